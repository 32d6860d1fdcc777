# SPDX-License-Identifier: EUPL-1.2
"""Committed amounts kept as data: each agreement's amounts per year, per funding source, and its partners.

The portfolio and ``commitments`` read these rows with grouped queries (:mod:`apps.finance.selectors`)
instead of computing every agreement's money in Python on every request. They are derived data, written
only here, always in the transaction that changes what they are computed from, with the same rules as the
payment plan (:func:`apps.finance.calculations.year_figures`):

* one agreement's terms, funding sources or period (``services._regenerate``, which every such write
  calls): :func:`refresh` of that agreement;
* an index series' values: the bulk recalculation computes the figures once for the plan and the amounts
  and stores them with :func:`store`, batch by batch (``recalculation._batch``);
* the parties of an agreement or the name of a non-profit (receivers): :func:`refresh_partners`;
* an installation upgraded from before these rows, or a check: :func:`rebuild` (``manage.py
  refresh_commitments``).

An agreement whose amounts cannot be computed keeps no year rows and its summary holds the reason as an
error code, shown by the portfolio in the reader's language.

May import: agreements (models), core (the cache), domain, this app's models, calculations and errors.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from django.db.models import QuerySet

from apps.agreements.models import Agreement, Party
from apps.core.cache import register_changed
from domain.errors import DomainError

from . import calculations
from .errors import encode_params
from .models import CommitmentSummary, FinanceTerms, FundingSource, IndexValue, YearAmount, YearSourceAmount

CHUNK = 500  # agreements read and written together by refresh and rebuild


@dataclass(frozen=True)
class Computed:
    """An agreement's year figures, or the error that kept them from being computed."""

    figures: Sequence[calculations.YearFigure] = ()
    error: DomainError | None = None


def compute(
    agreement: Agreement, terms: FinanceTerms, sources: list[FundingSource], values: list[IndexValue]
) -> Computed:
    try:
        return Computed(figures=calculations.year_figures(agreement, terms, sources, values))
    except DomainError as exc:
        return Computed(error=exc)


def partner_names(agreement_ids: Iterable[int]) -> dict[int, list[str]]:
    """The names of each agreement's non-profit parties, in the agreement's order: one query."""
    names: dict[int, list[str]] = defaultdict(list)
    rows = (
        Party.objects.filter(
            agreement_id__in=list(agreement_ids), role=Party.Role.NON_PROFIT, status=Party.Status.ACCEPTED
        )
        .order_by("agreement_id", "position", "id")
        .values_list("agreement_id", "organisation__name")
    )
    for agreement_id, name in rows:
        names[agreement_id].append(name)
    return dict(names)


def label(names: Sequence[str]) -> str:
    """The partners as one name, as the portfolio groups and shows them."""
    return ", ".join(names)[:2000]


def store(results: Mapping[int, Computed], names: Mapping[int, list[str]] | None = None) -> None:
    """Replace the stored amounts of the agreements in ``results`` (inside the caller's transaction)."""
    ids = sorted(results)
    if not ids:
        return
    names = partner_names(ids) if names is None else names
    years: list[YearAmount] = []
    splits: list[YearSourceAmount] = []
    summaries: list[CommitmentSummary] = []
    for agreement_id in ids:
        computed = results[agreement_id]
        error = computed.error
        summaries.append(
            CommitmentSummary(
                agreement_id=agreement_id,
                partners=label(names.get(agreement_id, [])),
                partner_names=names.get(agreement_id, []),
                problem_code=error.code if error else "",
                problem_params=encode_params(error.params) if error else {},
            )
        )
        for figure in computed.figures:
            years.append(
                YearAmount(
                    agreement_id=agreement_id,
                    year=figure.year,
                    months=figure.months,
                    base_amount=figure.base,
                    indexed_amount=figure.indexed,
                    is_forecast=figure.is_forecast,
                )
            )
            splits.extend(
                YearSourceAmount(agreement_id=agreement_id, year=figure.year, position=i, source=name, amount=amount)
                for i, (name, amount) in enumerate(figure.by_source.items())
            )
    YearAmount.objects.filter(agreement_id__in=ids).delete()
    YearSourceAmount.objects.filter(agreement_id__in=ids).delete()
    CommitmentSummary.objects.bulk_create(
        summaries,
        update_conflicts=True,
        unique_fields=["agreement"],
        update_fields=["partners", "partner_names", "problem_code", "problem_params", "computed_at"],
    )
    YearAmount.objects.bulk_create(years, batch_size=2000)
    YearSourceAmount.objects.bulk_create(splits, batch_size=2000)
    register_changed()  # the cached portfolio pages are retired once this commits


def forget(agreement_ids: Iterable[int]) -> None:
    """No amounts for these agreements (they have no finance terms)."""
    ids = list(agreement_ids)
    if not ids:
        return
    YearAmount.objects.filter(agreement_id__in=ids).delete()
    YearSourceAmount.objects.filter(agreement_id__in=ids).delete()
    CommitmentSummary.objects.filter(agreement_id__in=ids).delete()
    register_changed()


def _chunks(ids: Sequence[int], size: int) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def refresh(agreement_ids: Iterable[int]) -> None:
    """Compute and store the amounts of ``agreement_ids`` from their rows as they are now, in bulk."""
    ids = sorted(set(agreement_ids))
    for chunk in _chunks(ids, CHUNK):
        terms_of = {
            t.agreement_id: t
            for t in FinanceTerms.objects.filter(agreement_id__in=chunk).select_related("index_series")
        }
        forget(set(chunk) - set(terms_of))
        if not terms_of:
            continue
        agreements = Agreement.objects.only("pk", "start_date", "end_date").in_bulk(list(terms_of))
        sources_of: dict[int, list[FundingSource]] = defaultdict(list)
        for source in FundingSource.objects.filter(agreement_id__in=list(terms_of)):  # in their order
            sources_of[source.agreement_id].append(source)
        series_ids = {t.index_series_id for t in terms_of.values() if t.index_series_id}
        values_of: dict[int, list[IndexValue]] = defaultdict(list)
        for value in IndexValue.objects.filter(series_id__in=series_ids):
            values_of[value.series_id].append(value)
        results = {}
        for agreement_id, terms in terms_of.items():
            agreement = agreements[agreement_id]
            terms.agreement = agreement
            values = values_of[terms.index_series_id] if terms.index_series_id else []
            results[agreement_id] = compute(agreement, terms, sources_of[agreement_id], values)
        store(results)


def refresh_partners(agreement_ids: Iterable[int]) -> None:
    """Bring the partner names of ``agreement_ids`` in line with their parties (one read, one write a chunk)."""
    ids = sorted(set(agreement_ids))
    for chunk in _chunks(ids, CHUNK):
        summaries = list(CommitmentSummary.objects.filter(agreement_id__in=chunk))
        names = partner_names(chunk)
        changed = []
        for summary in summaries:
            now = names.get(summary.agreement_id, [])
            if summary.partner_names != now:
                summary.partners, summary.partner_names = label(now), now
                changed.append(summary)
        CommitmentSummary.objects.bulk_update(changed, ["partners", "partner_names"])
        if changed:
            register_changed()


def rebuild(agreements: QuerySet[Agreement] | None = None) -> int:
    """Compute again the amounts of every agreement (or of ``agreements``); the number of agreements."""
    qs = Agreement.objects.all() if agreements is None else agreements
    ids = list(qs.order_by("pk").values_list("pk", flat=True))
    refresh(ids)
    return len(ids)
