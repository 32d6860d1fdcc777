# SPDX-License-Identifier: EUPL-1.2
"""The audit trail: one event table written by every service, and its human-readable display.
May import: domain and Django only (core is its sibling); events refer to objects by label and id."""
