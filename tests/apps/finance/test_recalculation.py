# SPDX-License-Identifier: EUPL-1.2
"""The payment plans of an index series recalculated in bulk after a value changed (apps.finance.recalculation).

Saving a value does no regeneration in the request: it stores the value, its audit event and a queued
recalculation, and the task runs after the commit. The task recalculates exactly the agreements the change
reaches, in batches with a constant number of queries, to the same plans the per-agreement regeneration
(``services._regenerate``) gives; recorded payments are never touched; a refused agreement does not stop
the others; a second run changes nothing; a newer recalculation supersedes a queued one. The pages show it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from apps.accounts.models import Role, User
from apps.agreements.models import Agreement
from apps.audit.models import AuditEvent
from apps.finance import recalculation, services
from apps.finance.models import (
    FinanceTerms,
    IndexSeries,
    IndexValue,
    Payment,
    PlanRecalculation,
    PlanRecalculationRefusal,
)
from apps.organisations.models import Organisation
from domain.payments import first_weekday_on_or_after
from tests.callbacks import queued_tasks
from tests.conftest import make_user

D = Decimal
TODAY = dt.datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Europe/Stockholm"))
PAYMENT_FIELDS = (
    "key",
    "due_on",
    "amount",
    "funding_source",
    "covers_from",
    "covers_to",
    "adjusts",
    "status",
    "invoice_number",
    "invoiced_on",
    "paid_on",
    "note",
    "version",
)


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(TODAY, tick=False):
        yield


def terms(pkv: IndexSeries, **overrides: Any) -> dict[str, Any]:
    data = {
        "basis": "annual",
        "annual_amount": D("1200000"),
        "default_source": "Socialnämnden Norr",
        "index_series": pkv,
        "index_reference_month": 10,
        "payment_frequency": "semiannual",
        "payment_in_advance": True,
        "payment_months": [],
    }
    data.update(overrides)
    return data


@pytest.fixture
def on_pkv(make_agreement, users, pkv):
    """An agreement with money on PKV for the period given."""
    counter = iter(range(1, 10_000))

    def make(start: dt.date, end: dt.date, **overrides: Any) -> Agreement:
        agreement = make_agreement(start_date=start, end_date=end, case_number=f"SOCN-2025-{next(counter):05d}")
        services.finance_terms_save(actor=users["officer_north"], agreement=agreement, data=terms(pkv, **overrides))
        return agreement

    return make


def plan(agreement: Agreement) -> list[tuple[Any, ...]]:
    return list(Payment.objects.filter(agreement=agreement).order_by("key").values_list(*PAYMENT_FIELDS))


def regenerated_events(agreement: Agreement) -> list[dict[str, Any]]:
    return list(
        AuditEvent.objects.filter(agreement=agreement, action="payment_plan.regenerated")
        .order_by("pk")
        .values_list("changes", flat=True)
    )


def queue(series: IndexSeries, year: int, actor: User | None = None) -> PlanRecalculation:
    with transaction.atomic():
        found = recalculation.plan_recalculation_queue(
            actor=actor, series=series, year=year, trigger=PlanRecalculation.Trigger.SAVED, force=True
        )
    assert found is not None
    return found


def run(found: PlanRecalculation, **kwargs: Any) -> PlanRecalculation:
    done = recalculation.plan_recalculation_run(found.pk, **kwargs)
    assert done is not None
    return done


def save_value(user: User, series: IndexSeries, **data: Any) -> IndexValue:
    value = data.pop("value", None)
    return services.index_value_save(
        actor=user,
        series=series,
        data={"year": 2025, "reference_month": 10, "percent": D("2.8"), **data},
        value=value,
        expected_version=value.version if value else None,
    )


# The request does no regeneration ------------------------------------------------------------------------------


def test_saving_a_value_queues_the_recalculation_and_leaves_the_plans_until_it_runs(
    funded, users, index_keeper, pkv, django_capture_on_commit_callbacks
) -> None:
    before = plan(funded)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        value = save_value(index_keeper, pkv)
    assert plan(funded) == before  # nothing regenerated in the request
    assert IndexValue.objects.get() == value
    assert AuditEvent.objects.filter(action="finance.index_value_saved").count() == 1
    assert not AuditEvent.objects.filter(action="payment_plan.regenerated", actor=index_keeper).exists()
    found = PlanRecalculation.objects.get()
    assert value.recalculation == found
    assert (found.status, found.series, found.value, found.year, found.from_year) == ("queued", pkv, value, 2025, 2026)
    assert found.requested_by == index_keeper and found.trigger == "saved"
    assert len(queued_tasks(queued)) == 1  # the task, for after the commit
    queued_tasks(queued)[0]()
    found.refresh_from_db()
    assert (found.status, found.agreements_total, found.agreements_done, found.agreements_changed) == ("done", 1, 1, 1)
    assert plan(funded) != before
    # 4 040 000 × 1.028 / 2 − 400 000
    assert funded.payments.get(key="2026-01:Socialnämnden Norr").amount == D("1676560")
    (event,) = AuditEvent.objects.filter(action="payment_plan.regenerated", actor=index_keeper)
    assert event.summary_msgid == "Payment plan updated" and event.agreement_id == funded.pk


def test_the_request_makes_as_many_queries_at_3n_agreements_as_at_n(
    on_pkv, index_keeper, pkv, django_capture_on_commit_callbacks
) -> None:
    def agreements(n: int) -> None:
        for _ in range(n):
            on_pkv(dt.date(2025, 1, 1), dt.date(2027, 12, 31))

    agreements(2)
    with django_capture_on_commit_callbacks(execute=False):
        save_value(index_keeper, pkv, year=2023)  # warm: the keeper's permissions are read once and kept
    PlanRecalculation.objects.update(status="done")  # none to supersede in the measured saves: the same work
    with CaptureQueriesContext(connection) as at_n, django_capture_on_commit_callbacks(execute=False):
        save_value(index_keeper, pkv, year=2024)
    PlanRecalculation.objects.update(status="done")
    agreements(4)
    with CaptureQueriesContext(connection) as at_3n, django_capture_on_commit_callbacks(execute=False):
        save_value(index_keeper, pkv, year=2025)
    assert len(at_3n) == len(at_n) < 40, [q["sql"] for q in at_3n.captured_queries]
    assert not any("finance_payment" in q["sql"] for q in at_3n.captured_queries)


def test_a_change_the_plans_do_not_depend_on_queues_nothing(
    funded, index_keeper, pkv, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        value = save_value(index_keeper, pkv)
    assert PlanRecalculation.objects.count() == 1
    value.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True) as queued:
        edited = save_value(index_keeper, pkv, value=value, source="SKR cirkulär 25:41", reference_month=10)
    assert edited.recalculation is None and not queued_tasks(queued)
    assert PlanRecalculation.objects.count() == 1


def test_no_agreement_on_the_series_no_recalculation(
    users, index_keeper, pkv, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as queued:
        value = save_value(index_keeper, pkv)
    assert value.recalculation is None and not queued_tasks(queued) and not PlanRecalculation.objects.exists()


# Exactly the agreements the change reaches --------------------------------------------------------------------


def test_only_the_agreements_whose_money_reaches_the_january_after_the_value(on_pkv, pkv, users) -> None:
    """A value for October 2025 is applied from the January 2026 invoice (domain.indexation)."""
    until_december = on_pkv(dt.date(2024, 1, 1), dt.date(2025, 12, 31))
    till_1_january = on_pkv(dt.date(2024, 1, 1), dt.date(2026, 1, 1))  # "till 1 januari 2026": through 31 December
    into_january = on_pkv(dt.date(2024, 1, 1), dt.date(2026, 1, 31))
    starting_2026 = on_pkv(dt.date(2026, 3, 1), dt.date(2027, 12, 31))  # uplifted from 2027 with the 2025 value
    only_2026 = on_pkv(dt.date(2026, 1, 1), dt.date(2026, 12, 31))  # never uplifted
    no_rule = on_pkv(dt.date(2024, 1, 1), dt.date(2028, 12, 31), payment_frequency="")  # no plan to compute
    affected = {into_january.pk, starting_2026.pk}
    assert set(recalculation.affected_agreements(pkv, 2026)) == affected

    IndexValue.objects.create(series=pkv, year=2025, percent=D("3.5"))
    before = {a.pk: plan(a) for a in (until_december, till_1_january, into_january, starting_2026, only_2026, no_rule)}
    done = run(queue(pkv, 2025))
    assert (done.agreements_total, done.agreements_done, done.agreements_changed) == (2, 2, 2)
    changed = {pk for pk, rows in before.items() if plan(Agreement.objects.get(pk=pk)) != rows}
    assert changed == affected
    # The ones left alone are exactly as the per-agreement regeneration would leave them: the rule is exact.
    for agreement in (until_december, till_1_january, only_2026, no_rule):
        with transaction.atomic():
            counts = services._regenerate(actor=users["officer_north"], agreement=agreement)
            transaction.set_rollback(True)
        assert not (counts.get("add") or counts.get("update") or counts.get("remove")), agreement


# The same plans as the per-agreement regeneration ------------------------------------------------------------


class Rollback(Exception):
    pass


def _per_agreement(agreements: list[Agreement], actor: User, *, keep: bool = False) -> dict[int, Any]:
    """What ``services._regenerate`` gives each agreement, each on its own (rolled back unless ``keep``)."""
    result: dict[int, Any] = {}
    for agreement in agreements:
        events = len(regenerated_events(agreement))
        try:
            with transaction.atomic():
                services._regenerate(actor=actor, agreement=agreement)
                result[agreement.pk] = (plan(agreement), regenerated_events(agreement)[events:])
                if not keep:
                    raise Rollback
        except Rollback:
            pass
        except ValidationError as exc:
            result[agreement.pk] = ("refused", exc.messages)
    return result


SOURCE = st.fixed_dictionaries(
    {
        "annual_amount": st.sampled_from([None, D("100000"), D("400000"), D("1190000")]),
        "share_percent": st.sampled_from([D("10"), D("50")]),
        "invoiced_separately": st.booleans(),
    }
)
SPEC = st.fixed_dictionaries(
    {
        "start": st.dates(min_value=dt.date(2023, 1, 1), max_value=dt.date(2026, 12, 31)).map(
            lambda d: d.replace(day=1 if d.day < 20 else 15)
        ),
        "months": st.integers(min_value=3, max_value=60),
        "basis": st.sampled_from(["annual", "annual", "total"]),
        "amount": st.sampled_from([D("1200000"), D("999999.99"), D("3000000"), D("2400000.50")]),
        "frequency": st.sampled_from(["once", "annual", "semiannual", "semiannual", "quarterly", "monthly", ""]),
        "in_advance": st.booleans(),
        "sources": st.lists(SOURCE, max_size=2),
        "recorded": st.lists(
            st.tuples(st.integers(0, 12), st.sampled_from(["invoiced", "paid", "withheld"])), max_size=5
        ),
    }
)
PERCENTS = st.sampled_from([D("-8"), D("-1.5"), D("0"), D("2.8"), D("4.25"), D("12")])


def _make(spec: dict[str, Any], n: int, make_agreement, users, pkv) -> Agreement | None:
    from domain.periods import add_months

    officer = users["officer_north"]
    start = spec["start"]
    agreement = make_agreement(start_date=start, end_date=add_months(start, spec["months"]), case_number=f"HYP-{n:05d}")
    for i, source in enumerate(spec["sources"]):
        data = {
            "name": f"Källa {i}",
            "annual_amount": source["annual_amount"],
            "share_percent": None if source["annual_amount"] is not None else source["share_percent"],
            "invoiced_separately": source["invoiced_separately"],
        }
        services.funding_source_save(actor=officer, agreement=agreement, data=data)
    annual = spec["basis"] == "annual"
    data = terms(
        pkv,
        basis=spec["basis"],
        annual_amount=spec["amount"] if annual else None,
        total_amount=None if annual else spec["amount"],
        payment_frequency=spec["frequency"],
        payment_in_advance=spec["in_advance"],
    )
    try:
        services.finance_terms_save(actor=officer, agreement=agreement, data=data)
    except ValidationError:
        return None  # the sources do not fit: no terms, nothing on the series
    payments = list(Payment.objects.filter(agreement=agreement).order_by("due_on", "key"))
    for index, status in spec["recorded"]:
        if index >= len(payments):
            continue
        payment = Payment.objects.get(pk=payments[index].pk)
        if payment.status != "planned":
            continue
        details = {"invoice_number": f"F-{payment.pk}", "invoiced_on": payment.due_on} if status != "withheld" else {}
        if status == "paid":
            details["paid_on"] = payment.due_on
        services.payment_record(actor=officer, payment=payment, status=status, **details)
    return agreement


CHANGES = st.tuples(st.integers(-1, 3), PERCENTS, st.booleans())  # (year after the first start, percent, forecast)


def _change(pkv: IndexSeries, year: int, percent: Decimal | None, forecast: bool) -> None:
    if percent is None:
        IndexValue.objects.filter(series=pkv, year=year).delete()
    else:
        IndexValue.objects.update_or_create(
            series=pkv, year=year, reference_month=10, defaults={"percent": percent, "is_forecast": forecast}
        )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    specs=st.lists(SPEC, min_size=1, max_size=4),
    existing=st.dictionaries(st.integers(2022, 2027), PERCENTS, max_size=3),
    earlier=st.none() | CHANGES,
    later_days=st.integers(0, 120),
    change=CHANGES,
    undo=st.integers(0, 3).map(lambda n: n == 0),
    batch_size=st.integers(1, 3),
)
def test_the_bulk_recalculation_gives_every_agreement_the_plan_the_per_agreement_regeneration_gives(
    make_agreement, users, pkv, specs, existing, earlier, later_days, change, undo, batch_size
) -> None:
    """Varied periods, amounts, rules, funding sources and recorded payments, perhaps an earlier change of a
    value (regenerated agreement by agreement, leaving adjustments on recorded slots) and some days later a
    change (a value for a year around the first agreement's start, or the earlier change undone): the payments,
    the audit events and the refusals of the bulk recalculation are those of ``services._regenerate``."""
    first_year = specs[0]["start"].year
    with transaction.atomic():
        for value_year, value_percent in existing.items():
            IndexValue.objects.create(series=pkv, year=value_year, percent=value_percent)
        made = [_make(spec, n, make_agreement, users, pkv) for n, spec in enumerate(specs)]
        agreements = [a for a in made if a is not None]
        if earlier is not None:
            _change(pkv, first_year + earlier[0], earlier[1], earlier[2])
            _per_agreement(agreements, users["controller_city"], keep=True)
        with time_machine.travel(TODAY + dt.timedelta(days=later_days), tick=False):
            if undo and earlier is not None:  # the earlier change undone
                year = first_year + earlier[0]
                _change(pkv, year, existing.get(year), False)
            else:
                year = first_year + change[0]
                _change(pkv, year, change[1], change[2])
            recorded_before = {
                p.pk: p for p in Payment.objects.filter(agreement__in=agreements).exclude(status="planned")
            }
            expected = _per_agreement(agreements, users["controller_city"])
            before = {a.pk: (plan(a), len(regenerated_events(a))) for a in agreements}
            done = run(queue(pkv, year, actor=users["controller_city"]), batch_size=batch_size)
        assert done.status == "done"
        refused = dict(PlanRecalculationRefusal.objects.filter(recalculation=done).values_list("agreement_id", "code"))
        reached = set(recalculation.affected_agreements(pkv, done.from_year))
        for agreement in agreements:
            if agreement.pk not in reached:
                # The change cannot reach its money: left as it was. (Regenerated on its own some days later,
                # an overdue adjustment would move to the new day: time passing, not the value.)
                assert agreement.pk not in refused and plan(agreement) == before[agreement.pk][0], agreement
                assert len(regenerated_events(agreement)) == before[agreement.pk][1]
                continue
            if expected[agreement.pk][0] == "refused":
                assert agreement.pk in refused, agreement
                assert plan(agreement) == before[agreement.pk][0]  # left as it was
                refusal = PlanRecalculationRefusal.objects.get(recalculation=done, agreement=agreement)
                assert [recalculation.refusal_text(refusal.code, refusal.params)] == expected[agreement.pk][1]
                continue
            assert agreement.pk not in refused
            rows, events = expected[agreement.pk]
            assert plan(agreement) == rows, agreement
            assert regenerated_events(agreement)[before[agreement.pk][1] :] == events
        for pk, payment in recorded_before.items():  # recorded payments untouched, field by field
            stored = Payment.objects.get(pk=pk)
            assert [getattr(stored, f) for f in PAYMENT_FIELDS] == [getattr(payment, f) for f in PAYMENT_FIELDS]
        assert done.agreements_changed == sum(
            1 for pk, e in expected.items() if pk in reached and e[0] != "refused" and e[1]
        )
        assert done.agreements_refused == len(refused)
        kinds = {kind for e in expected.values() if e[0] != "refused" for c in e[1] for kind, v in c.items() if v[1]}
        event(f"changed: {min(done.agreements_changed, 2)}, refused: {min(len(refused), 1)}")
        event(f"added, changed, removed: {sorted(kinds)}")
        event(f"adjustments: {any(r[6] for a in agreements for r in plan(a))}")
        transaction.set_rollback(True)


def test_adjustments_on_recorded_slots_are_added_moved_and_removed_as_the_per_agreement_regeneration_does(
    funded, users, pkv
) -> None:
    """An invoiced January 2026 instalment: a value for 2025 adds an adjustment, a correction 40 days later
    changes its amount and moves its due date to that day, and removing the value removes it again."""
    officer, controller = users["officer_north"], users["controller_city"]
    january = funded.payments.get(key="2026-01:Socialnämnden Norr")
    services.payment_record(
        actor=officer, payment=january, status="invoiced", invoice_number="F-1", invoiced_on=dt.date(2026, 1, 2)
    )
    steps = [
        (0, lambda: IndexValue.objects.create(series=pkv, year=2025, percent=D("2.8")), {"added"}),
        (40, lambda: IndexValue.objects.filter(series=pkv, year=2025).update(percent=D("3.5")), {"changed"}),
        (41, lambda: IndexValue.objects.filter(series=pkv, year=2025).delete(), {"removed"}),
    ]
    for days, change, kinds in steps:
        with time_machine.travel(TODAY + dt.timedelta(days=days), tick=False):
            change()
            ((rows, events),) = _per_agreement([funded], controller).values()
            done = run(queue(pkv, 2025, actor=controller))
        assert plan(funded) == rows and regenerated_events(funded)[-1:] == events
        assert done.agreements_changed == 1
        assert kinds <= {kind for kind, (_none, count) in events[0].items() if count}
        adjustment = funded.payments.filter(key__contains=":adjustment-").first()
        if "removed" in kinds:
            assert adjustment is None
        else:
            assert adjustment is not None and adjustment.adjusts == "2026-01:Socialnämnden Norr"
            # Due on the first bank day on or after the day it is made (2026-04-11 is a Saturday: the 13th).
            assert adjustment.due_on == first_weekday_on_or_after((TODAY + dt.timedelta(days=days)).date())
    january.refresh_from_db()
    assert (january.status, january.amount, january.version) == ("invoiced", D("1620000"), 2)


# Refusals, idempotence, superseding, failure ------------------------------------------------------------------


@pytest.fixture
def cannot_carry(make_agreement, users, pkv):
    """An agreement whose fixed funder (4 000 000 of 4 040 000) no longer fits a year after a fall of 2 %."""
    agreement = make_agreement(case_number="SOCN-2025-09999", title="IOP Som inte bär")
    officer = users["officer_north"]
    services.funding_source_save(
        actor=officer,
        agreement=agreement,
        data={"name": "Folkhälsomedel", "annual_amount": D("4000000"), "share_percent": None},
    )
    services.finance_terms_save(
        actor=officer, agreement=agreement, data=terms(pkv, annual_amount=D("4040000"), payment_frequency="annual")
    )
    return agreement


def test_a_plan_the_values_cannot_carry_is_refused_and_the_others_are_recalculated(funded, cannot_carry, pkv) -> None:
    kept = plan(cannot_carry)
    IndexValue.objects.create(series=pkv, year=2025, percent=D("-2"))
    before = plan(funded)
    done = run(queue(pkv, 2025), batch_size=1)
    assert (done.status, done.agreements_total, done.agreements_changed, done.agreements_refused) == ("done", 2, 1, 1)
    assert plan(cannot_carry) == kept and plan(funded) != before
    (refusal,) = done.refusals.all()
    assert refusal.agreement == cannot_carry and refusal.code == "funding.exceeds_year_amount"
    assert refusal.params["amount"] == {"decimal": "3959200.00"} and refusal.params["year"] == 2026
    text = recalculation.refusal_text(refusal.code, refusal.params)  # in the viewer's language, amounts as amounts
    assert text == "2026 bidrar finansiärerna med 4\xa0000\xa0000\xa0kr, mer än årets belopp 3\xa0959\xa0200\xa0kr."


def test_running_twice_changes_nothing_the_second_time(funded, pkv) -> None:
    IndexValue.objects.create(series=pkv, year=2025, percent=D("2.8"))
    found = queue(pkv, 2025)
    first = run(found)
    after, events = plan(funded), AuditEvent.objects.count()
    again = run(found)  # the task delivered twice: the recalculation is done, nothing is run
    assert (again.status, again.agreements_done, again.finished_at) == ("done", 1, first.finished_at)
    second = run(queue(pkv, 2025))  # a new recalculation of the same values: every plan is as it is
    assert (second.agreements_total, second.agreements_changed) == (1, 0)
    assert plan(funded) == after and AuditEvent.objects.count() == events


def test_a_newer_recalculation_supersedes_a_queued_one_and_covers_its_years(on_pkv, pkv) -> None:
    ends_2026 = on_pkv(dt.date(2024, 1, 1), dt.date(2026, 12, 31))
    ends_2028 = on_pkv(dt.date(2024, 1, 1), dt.date(2028, 12, 31))
    IndexValue.objects.create(series=pkv, year=2025, percent=D("3"))
    older = queue(pkv, 2025)
    IndexValue.objects.create(series=pkv, year=2027, percent=D("4"))
    newer = queue(pkv, 2027)
    older.refresh_from_db()
    assert (older.status, older.superseded_by) == ("superseded", newer)
    assert newer.from_year == 2026  # the older one's years are taken over
    before = plan(ends_2026)
    assert run(older).status == "superseded" and plan(ends_2026) == before  # its task finds it replaced
    done = run(newer)
    assert (done.agreements_total, done.agreements_changed) == (2, 2)
    assert plan(ends_2026) != before and ends_2028.payments.exists()


def test_a_recalculation_superseded_while_running_stops_before_its_next_batch(on_pkv, pkv, monkeypatch) -> None:
    for _ in range(3):
        on_pkv(dt.date(2024, 1, 1), dt.date(2027, 12, 31))
    IndexValue.objects.create(series=pkv, year=2025, percent=D("3"))
    found = queue(pkv, 2025)
    batch = recalculation._batch
    calls: list[int] = []

    def then_a_newer_one(recalc: PlanRecalculation, ids: list[int], **kwargs: Any) -> None:
        batch(recalc, ids, **kwargs)
        calls.append(len(ids))
        if len(calls) == 1:
            queue(pkv, 2025)

    monkeypatch.setattr(recalculation, "_batch", then_a_newer_one)
    stopped = run(found, batch_size=1)
    assert stopped.status == "superseded" and calls == [1] and stopped.agreements_done == 1


def test_an_unexpected_error_marks_it_failed_keeps_the_batches_before_and_may_be_started_again(
    on_pkv, pkv, index_keeper, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    first, second = (on_pkv(dt.date(2024, 1, 1), dt.date(2027, 12, 31)) for _ in range(2))
    IndexValue.objects.create(series=pkv, year=2025, percent=D("3"))
    before_second = plan(second)
    batch = recalculation._batch

    def fails_on_the_second(recalc: PlanRecalculation, ids: list[int], **kwargs: Any) -> None:
        if second.pk in ids:
            raise RuntimeError("the database went away")
        batch(recalc, ids, **kwargs)

    monkeypatch.setattr(recalculation, "_batch", fails_on_the_second)
    found = queue(pkv, 2025, actor=index_keeper)
    with pytest.raises(RuntimeError):
        recalculation.plan_recalculation_run(found.pk, batch_size=1)
    found.refresh_from_db()
    assert (found.status, found.agreements_done, found.error_code) == ("failed", 1, "recalculation.failed")
    assert plan(second) == before_second and regenerated_events(first)
    assert recalculation.may_retry(found)
    monkeypatch.setattr(recalculation, "_batch", batch)
    with django_capture_on_commit_callbacks(execute=True):
        again = recalculation.plan_recalculation_retry(actor=index_keeper, recalculation=found)
    again.refresh_from_db()
    assert (again.status, again.trigger, again.from_year, again.agreements_total) == ("done", "retried", 2026, 2)
    assert plan(second) != before_second
    assert AuditEvent.objects.filter(action="payment_plan.recalculation_retried", actor=index_keeper).count() == 1
    with pytest.raises(ValidationError):  # the failed one is no longer the latest
        recalculation.plan_recalculation_retry(actor=index_keeper, recalculation=found)


def test_a_plan_the_database_refuses_is_refused_alone(on_pkv, pkv, monkeypatch) -> None:
    from django.db import IntegrityError

    agreements = [on_pkv(dt.date(2024, 1, 1), dt.date(2027, 12, 31)) for _ in range(3)]
    IndexValue.objects.create(series=pkv, year=2025, percent=D("3"))
    batch = recalculation._batch

    def refuses_the_middle_one(recalc: PlanRecalculation, ids: list[int], **kwargs: Any) -> None:
        with transaction.atomic():
            batch(recalc, ids, **kwargs)
            if agreements[1].pk in ids:
                raise IntegrityError("a constraint")

    monkeypatch.setattr(recalculation, "_batch", refuses_the_middle_one)
    done = run(queue(pkv, 2025), batch_size=3)
    assert (done.status, done.agreements_done, done.agreements_changed, done.agreements_refused) == ("done", 3, 2, 1)
    assert list(done.refusals.values_list("agreement_id", "code")) == [(agreements[1].pk, "payment_plan.not_saved")]


# Queries per batch ---------------------------------------------------------------------------------------------


def test_a_batch_makes_as_many_queries_for_3n_agreements_as_for_n(on_pkv, pkv) -> None:
    def measured(n: int, year: int) -> list[str]:
        made = [on_pkv(dt.date(2024, 1, 1), dt.date(2028, 12, 31)) for _ in range(n)]
        IndexValue.objects.create(series=pkv, year=year, percent=D(year - 2020))  # not the value before it
        found = queue(pkv, year)
        FinanceTerms.objects.exclude(agreement__in=made).update(index_series=None)  # only the new ones
        with CaptureQueriesContext(connection) as captured:
            done = run(found, batch_size=100)
        assert done.agreements_changed == n
        return [q["sql"] for q in captured.captured_queries]

    at_n, at_3n = measured(2, 2025), measured(6, 2026)
    assert len(at_3n) == len(at_n), "\n".join(at_3n)


# The pages ------------------------------------------------------------------------------------------------------


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


HTMX = {"HTTP_HX_REQUEST": "true"}


def test_the_index_page_shows_the_recalculation_running_and_when_it_finished(
    on_pkv, index_keeper, pkv, django_capture_on_commit_callbacks
) -> None:
    for _ in range(3):
        on_pkv(dt.date(2024, 1, 1), dt.date(2027, 12, 31))
    client = logged_in(index_keeper)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(
            reverse("finance:index_value_add", args=[pkv.pk]),
            {"year": "2025", "reference_month": "10", "percent": "2.8"},
        )
    assert response.status_code == 302 and response["Location"] == f"{reverse('finance:index')}#series-{pkv.pk}"
    found = PlanRecalculation.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert "Indexvärdet sparades. Betalplanerna med serien räknas om" in page
    assert "Betalplanerna väntar på att räknas om." in page
    status = reverse("finance:recalculation_status", args=[pkv.pk, found.pk])
    assert f'hx-get="{status}?phase=queued-0"' in page and 'hx-trigger="every 2s"' in page

    assert client.get(status, {"phase": "queued-0"}, **HTMX).status_code == 204  # nothing changed: no new announcement
    PlanRecalculation.objects.filter(pk=found.pk).update(status="running", agreements_total=3, agreements_done=1)
    running = client.get(status, {"phase": "queued-0"}, **HTMX)
    assert running.status_code == 200
    html = running.content.decode()
    assert "Betalplanerna räknas om: 1 av 3 överenskommelser" in html and "phase=running-3" in html
    assert client.get(status, {"phase": "running-3"}, **HTMX).status_code == 204

    PlanRecalculation.objects.filter(pk=found.pk).update(status="queued", agreements_total=0, agreements_done=0)
    queued_tasks(queued)[0]()
    done = client.get(status, {"phase": "running-3"}, **HTMX).content.decode()
    assert "Omräknat 09:00: 3 betalplaner, 3 ändrade." in done
    assert "hx-get" not in done  # finished: the region stops asking
    assert "Omräknat 09:00: 3 betalplaner, 3 ändrade." in client.get(reverse("finance:index")).content.decode()
    assert client.get(status).status_code == 302  # without htmx: the recalculation's page


def test_in_english_and_a_day_later(funded, cannot_carry, index_keeper, pkv) -> None:
    IndexValue.objects.create(series=pkv, year=2025, percent=D("-2"))
    found = run(queue(pkv, 2025, actor=index_keeper))
    client = logged_in(index_keeper)
    client.cookies["django_language"] = "en"
    with time_machine.travel(TODAY + dt.timedelta(days=1), tick=False):
        page = client.get(reverse("finance:index"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Recalculated 2026-03-02 09:00: 2 payment plans, 1 changed" in page
    detail = reverse("finance:recalculation", args=[pkv.pk, found.pk])
    assert f'<a class="ds-link" href="{detail}#refused">1 could not be recalculated</a>' in page


def test_the_recalculation_page_names_the_refused_plans_the_user_sees_and_counts_the_others(
    funded, cannot_carry, pkv, users, make_agreement, orgs
) -> None:
    # A plan of the south committee that the north officer does not see, refused too.
    south = make_agreement(
        actor=users["officer_south"], public=orgs["south"], case_number="SOCN-2025-07777", title="IOP Söder"
    )
    services.funding_source_save(
        actor=users["officer_south"],
        agreement=south,
        data={"name": "Folkhälsomedel", "annual_amount": D("4000000"), "share_percent": None},
    )
    services.finance_terms_save(
        actor=users["officer_south"], agreement=south, data=terms(pkv, annual_amount=D("4040000"))
    )
    IndexValue.objects.create(series=pkv, year=2025, percent=D("-2"))
    found = run(queue(pkv, 2025))
    assert found.agreements_refused == 2
    url = reverse("finance:recalculation", args=[pkv.pk, found.pk])
    page = logged_in(users["officer_north"]).get(url).content.decode()
    assert "IOP Som inte bär" in page and "IOP Söder" not in page
    assert reverse("finance:agreement", args=[cannot_carry.pk]) in page
    assert "2026 bidrar finansiärerna med" in page
    assert "Ytterligare 1 hör till överenskommelser som du inte har tillgång till." in page
    controller = logged_in(users["controller_city"]).get(url).content.decode()  # the whole city: both named
    assert "IOP Som inte bär" in controller and "IOP Söder" in controller and "Ytterligare" not in controller


@pytest.fixture
def molndal_controller(db) -> User:
    molndal = Organisation.objects.create(name="Mölndals stad", org_number="212000-1363", kind="public_body")
    return make_user("controller_molndal", (molndal, Role.CONTROLLER))


def test_another_tenants_recalculation_is_not_found_and_a_partner_may_not_see_any(
    make_agreement, users, orgs, molndal_controller
) -> None:
    city_series = IndexSeries.objects.create(code="GBG-LPI", name="Göteborgs index", tenant=orgs["city"])
    found = queue(city_series, 2025)
    urls = [
        reverse("finance:recalculation", args=[city_series.pk, found.pk]),
        reverse("finance:recalculation_status", args=[city_series.pk, found.pk]),
    ]
    for url in urls:
        assert logged_in(users["controller_city"]).get(url, **HTMX).status_code == 200
        assert logged_in(molndal_controller).get(url, **HTMX).status_code == 404
        assert logged_in(users["partner_alpha"]).get(url, **HTMX).status_code == 403
    pkv = IndexSeries.objects.create(code="PKV", name="PKV")
    crossed = reverse("finance:recalculation", args=[pkv.pk, found.pk])  # under a series it is not of
    assert logged_in(users["controller_city"]).get(crossed).status_code == 404
    retry = reverse("finance:recalculation_retry", args=[city_series.pk, found.pk])
    assert logged_in(molndal_controller).post(retry).status_code == 404
    assert logged_in(users["officer_north"]).post(retry).status_code == 403  # reads the series, does not keep it
    assert PlanRecalculation.objects.count() == 1


def test_a_stalled_recalculation_says_so_and_its_keeper_may_start_it_again(
    funded, index_keeper, pkv, django_capture_on_commit_callbacks
) -> None:
    IndexValue.objects.create(series=pkv, year=2025, percent=D("2.8"))
    found = queue(pkv, 2025, actor=index_keeper)  # never run: no task worker
    client = logged_in(index_keeper)
    status = reverse("finance:recalculation_status", args=[pkv.pk, found.pk])
    with time_machine.travel(TODAY + dt.timedelta(minutes=3), tick=False):
        slow = client.get(status, {"phase": "queued-0"}, **HTMX).content.decode()
    assert "Omräkningen av betalplanerna tar längre tid än vanligt." in slow and "Starta omräkningen igen" not in slow
    with time_machine.travel(TODAY + dt.timedelta(minutes=11), tick=False):
        stalled = client.get(reverse("finance:index")).content.decode()
        assert "Starta omräkningen igen" in stalled
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("finance:recalculation_retry", args=[pkv.pk, found.pk]))
    assert response.status_code == 302
    found.refresh_from_db()
    again = PlanRecalculation.objects.latest("pk")
    assert (found.status, found.superseded_by, again.status, again.agreements_changed) == (
        "superseded",
        again,
        "done",
        1,
    )
    assert "Omräkningen av betalplanerna startades om." in client.get(response["Location"]).content.decode()


# A payment recorded while its plan is being recalculated ------------------------------------------------------

on_postgresql = pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="a race needs concurrent transactions: SQLite serialises writes (runs on PostgreSQL in CI)",
)


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_payment_recorded_during_the_recalculation_of_its_plan_is_not_lost(funded, users, pkv, monkeypatch) -> None:
    """The batch locks the plan's payments before it reads them: an invoice recorded meanwhile waits for the
    batch and is then recorded on the recalculated payment (without the lock the batch would write the payment
    back as planned, and the invoice would be lost)."""
    import threading
    import time

    from django.db import close_old_connections

    from apps.finance import calculations

    IndexValue.objects.create(series=pkv, year=2025, percent=D("2.8"))
    found = PlanRecalculation.objects.create(series=pkv, year=2025, from_year=2026)  # queued, run by the thread
    january = funded.payments.get(key="2026-01:Socialnämnden Norr")
    locked, outcome = threading.Event(), {}
    new_plan = calculations.new_plan

    def slow_plan(*args: Any, **kwargs: Any) -> Any:
        locked.set()  # the batch holds its locks now
        time.sleep(1.0)  # the other person records the invoice meanwhile
        return new_plan(*args, **kwargs)

    monkeypatch.setattr(calculations, "new_plan", slow_plan)

    def recalculate() -> None:
        try:
            outcome["recalculation"] = recalculation.plan_recalculation_run(found.pk).status
        finally:
            outcome["recalculated_at"] = time.monotonic()
            close_old_connections()
            connection.close()

    def record() -> None:
        try:
            assert locked.wait(timeout=30)
            outcome["payment"] = services.payment_record(
                actor=users["officer_north"],
                payment=january,
                status="invoiced",
                invoice_number="F-77",
                invoiced_on=dt.date(2026, 1, 2),
                expected_version=january.version,
            ).status
            outcome["recorded_at"] = time.monotonic()
        except Exception as exc:  # noqa: BLE001 - the test inspects it
            outcome["payment"] = exc
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=recalculate), threading.Thread(target=record)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert outcome["recalculation"] == "done" and outcome["payment"] == "invoiced", outcome
    assert outcome["recorded_at"] > outcome["recalculated_at"] - 0.05  # it waited for the batch's commit
    january.refresh_from_db()
    assert (january.status, january.invoice_number) == ("invoiced", "F-77")
    assert january.amount == D("1676560")  # the recalculated amount, invoiced as it is now
