# SPDX-License-Identifier: EUPL-1.2
"""The document importer's pages and files: upload, review beside the passages, confirm into an agreement.
May import: finance, agreements and everything below them; never demo."""
