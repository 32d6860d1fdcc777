# SPDX-License-Identifier: EUPL-1.2
"""Users, login and memberships (a role over an organisation), with the audited membership services.
May import: core, audit and domain; never organisations or any area above (the scope is organisations')."""
