# SPDX-License-Identifier: EUPL-1.2
"""Signals other areas listen to, so that they learn of every audited write without the audit trail knowing
them (core is its sibling: neither imports the other).

May import: Django only.
"""

from django.dispatch import Signal

# Sent inside the writing transaction once audit events were written, by audit_record (one event) and
# audit_record_many (several). Sender: AuditEvent. Arguments: events (the list of AuditEvent written).
# apps/organisations/receivers.py retires the cached values derived from the register (apps.core.cache)
# after the transaction commits.
recorded = Signal()
