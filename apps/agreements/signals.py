# SPDX-License-Identifier: EUPL-1.2
"""Signals other areas listen to, so that they depend on agreements and not the other way round."""

from django.dispatch import Signal

# Sent inside the writing transaction after an agreement's own fields changed (e.g. its period was
# extended). Arguments: agreement, actor, changes ({field name: [old, new]}).
agreement_changed = Signal()
