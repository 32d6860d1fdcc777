# SPDX-License-Identifier: EUPL-1.2
"""Sums and uniqueness that must hold under concurrency: funding sources within the annual amount, one
index value per series, month and year.

The thread tests run against PostgreSQL (CI sets TEST_DATABASE_URL): each thread has its own connection
and transaction, started together at a barrier. SQLite serialises every write, so they say nothing there
and are skipped. The integrity-error paths themselves are also tested on any database, one at a time, by
letting the uniqueness slip past the checks before the save.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection
from django.test import Client
from django.urls import reverse

from apps.accounts.models import User
from apps.finance import services
from apps.finance.models import FundingSource, IndexSeries, IndexValue

on_postgresql = pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="a race needs concurrent transactions: SQLite serialises writes (runs on PostgreSQL in CI)",
)


def _in_parallel(count: int, work: Callable[[int], Any]) -> list[Any]:
    """Run ``work(i)`` in ``count`` threads started together; each result is a return value or an exception."""
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = work(i)
        except Exception as exc:  # noqa: BLE001 - the test inspects what each thread got
            results[i] = exc
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_funding_sources_never_exceed_the_annual_amount(funded, users) -> None:
    # 4 040 000 kr a year, 800 000 of it folkhälsomedel: room for 10 more sources of 300 000, not 11.
    officer = users["officer_north"]

    def add(i: int) -> FundingSource:
        return services.funding_source_save(
            actor=officer,
            agreement=funded,
            data={"name": f"Fond {i:02d}", "annual_amount": Decimal("300000"), "share_percent": None},
        )

    results = _in_parallel(20, add)
    saved = [r for r in results if isinstance(r, FundingSource)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(saved) + len(refused) == 20, [r for r in results if not isinstance(r, (FundingSource, ValidationError))]
    assert len(saved) == 10
    total = sum(s.annual_amount for s in FundingSource.objects.filter(agreement=funded))
    assert total == Decimal("3800000") <= Decimal("4040000")


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_parallel_additions_of_one_index_value_store_one_and_refuse_the_others_with_a_message(pkv) -> None:
    platform = User.objects.create_superuser(username="platform", password="correct-horse-battery")
    clients = []
    for _ in range(8):
        client = Client()
        client.force_login(platform)
        clients.append(client)
    url = reverse("finance:index_value_add", args=[pkv.pk])
    data = {"year": "2026", "reference_month": "10", "percent": "2,9", "source": "SKR"}

    results = _in_parallel(8, lambda i: clients[i].post(url, {**data, "percent": f"2.{i}"}))
    statuses = sorted(r.status_code if hasattr(r, "status_code") else repr(r) for r in results)
    assert statuses == [302] + [400] * 7
    assert IndexValue.objects.filter(series=pkv, year=2026, reference_month=10).count() == 1
    for response in results:
        if response.status_code == 400:
            assert "2026" in response.content.decode()  # the form is shown again with what was typed


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_parallel_index_values_of_different_years_are_all_stored(pkv) -> None:
    platform = User.objects.create_superuser(username="platform", password="correct-horse-battery")

    def add(i: int) -> IndexValue:
        return services.index_value_save(
            actor=platform, series=pkv, data={"year": 2020 + i, "reference_month": 10, "percent": Decimal("2.0")}
        )

    results = _in_parallel(6, add)
    assert all(isinstance(r, IndexValue) for r in results), results
    assert IndexValue.objects.filter(series=pkv).count() == 6


# The integrity-error paths, one at a time, on any database ------------------------------------------------


@pytest.mark.django_db
def test_an_index_value_that_slips_past_the_checks_is_refused_on_its_field_not_with_a_500(
    monkeypatch, pkv: IndexSeries
) -> None:
    platform = User.objects.create_superuser(username="platform", password="correct-horse-battery")
    IndexValue.objects.create(series=pkv, year=2026, reference_month=10, percent=Decimal("2.9"))
    # As when another transaction commits the same value between this one's check and its save.
    monkeypatch.setattr(IndexValue, "validate_unique", lambda self, exclude=None: None)
    monkeypatch.setattr(IndexValue, "validate_constraints", lambda self, exclude=None: None)
    client = Client()
    client.force_login(platform)
    response = client.post(
        reverse("finance:index_value_add", args=[pkv.pk]),
        {"year": "2026", "reference_month": "10", "percent": "3.1"},
    )
    assert response.status_code == 400
    assert "Indexserien har redan ett värde för den här månaden och året." in response.content.decode()
    assert IndexValue.objects.get(series=pkv, year=2026).percent == Decimal("2.9")


@pytest.mark.django_db
def test_a_funding_source_name_that_slips_past_the_checks_is_refused_on_its_field(monkeypatch, funded, users) -> None:
    monkeypatch.setattr(FundingSource, "validate_unique", lambda self, exclude=None: None)
    monkeypatch.setattr(FundingSource, "validate_constraints", lambda self, exclude=None: None)
    with pytest.raises(ValidationError) as refused:
        services.funding_source_save(
            actor=users["officer_north"],
            agreement=funded,
            data={"name": "Folkhälsomedel", "annual_amount": Decimal("1000"), "share_percent": None},
        )
    assert refused.value.message_dict == {"name": ["Överenskommelsen har redan en finansiär med det här namnet."]}
    assert FundingSource.objects.filter(agreement=funded).count() == 1
