# SPDX-License-Identifier: EUPL-1.2
"""The base of the site: layout, form helpers, error pages and error words, middleware, shared helpers.
May import: domain and Django only; never another app."""
