# SPDX-License-Identifier: EUPL-1.2
"""Signals other areas listen to, so that they depend on organisations and not the other way round.

May import: django.
"""

from django.dispatch import Signal

# Sent inside the writing transaction after an organisation's own fields changed (e.g. a non-profit's new
# name). Arguments: organisation, actor, changes ({field name: [old, new]}).
organisation_changed = Signal()
