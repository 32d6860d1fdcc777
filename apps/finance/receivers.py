# SPDX-License-Identifier: EUPL-1.2
"""Finance's reactions to writes in lower areas, connected once in :meth:`FinanceConfig.ready`.

Holds: the receivers of other apps' signals, and :func:`connect`. May import: the signals of lower apps
(agreements), this app's services. Receivers live here, not in ``services.py``, so that they are
connected because the app is installed, never because some module happened to be imported.
"""

from __future__ import annotations

from typing import Any

from apps.agreements.models import Agreement, Party
from apps.agreements.signals import agreement_changed
from apps.organisations.models import Organisation
from apps.organisations.signals import organisation_changed

from . import amounts, services

# The agreement fields the money follows: the amounts per year and the plan come from the period.
PERIOD_FIELDS = frozenset({"start_date", "end_date"})


def regenerate_plan_on_period_change(
    sender: type[Agreement], *, agreement: Agreement, actor: Any, changes: dict[str, Any], **kwargs: Any
) -> None:
    """An extended or shortened period changes the amounts per year: bring the payment plan in line.

    This runs inside the agreement's writing transaction, deliberately, not after commit: the plan is
    derived from the period, and integrity needs the two to change together. If the new period cannot
    carry the money (longer than the rules compute for, funding that no longer fits a part year), the
    regeneration's ValidationError refuses the date change itself with that message, and nothing is
    saved; after commit the period would be saved with a stale plan and the refusal would come too late
    to show on the edit page. It is one agreement's plan (bounded work), unlike a change that
    regenerates many plans, which belongs in a task queued with ``transaction.on_commit``.
    """
    if PERIOD_FIELDS & set(changes):
        services.payment_plan_follow_agreement(actor=actor, agreement=agreement)


def partners_follow_parties(
    sender: type[Agreement], *, agreement: Agreement, actor: Any, changes: dict[str, Any], **kwargs: Any
) -> None:
    """The portfolio groups the committed amounts by the non-profit parties: keep their names in line."""
    if "parties" in changes:
        amounts.refresh_partners([agreement.pk])


def partners_follow_names(
    sender: type[Organisation], *, organisation: Organisation, actor: Any, changes: dict[str, Any], **kwargs: Any
) -> None:
    """A non-profit's new name is the name the portfolio shows, in every agreement it is party to (one read and
    one write per 500 agreements, in the renaming transaction)."""
    if "name" in changes:
        ids = Party.objects.filter(organisation=organisation, role=Party.Role.NON_PROFIT).values_list(
            "agreement_id", flat=True
        )
        amounts.refresh_partners(list(ids))


# (signal, receiver, dispatch_uid): every cross-app receiver of this app. The fresh-interpreter test
# (tests/apps/finance/test_receivers.py) checks that each is connected once the apps are ready.
RECEIVERS: list[tuple[Any, Any, str, type]] = [
    (agreement_changed, regenerate_plan_on_period_change, "finance.regenerate_plan_on_period_change", Agreement),
    (agreement_changed, partners_follow_parties, "finance.partners_follow_parties", Agreement),
    (organisation_changed, partners_follow_names, "finance.partners_follow_names", Organisation),
]


def connect() -> None:
    """Connect every receiver (idempotent: the dispatch_uid keeps ready() from connecting twice)."""
    for signal, receiver, uid, sender in RECEIVERS:
        signal.connect(receiver, sender=sender, dispatch_uid=uid)
