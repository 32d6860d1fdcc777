# SPDX-License-Identifier: EUPL-1.2
"""Organisations (public bodies and non-profits), their hierarchy, and a user's scope.
May import: accounts, core, audit and domain; higher areas add page sections through organisations.pages."""
