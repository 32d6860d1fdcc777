# SPDX-License-Identifier: EUPL-1.2
"""One draft awaiting review per uploaded file and public body, also when the uploads race.

The thread test runs against PostgreSQL (CI sets TEST_DATABASE_URL); SQLite serialises every write, so
it is skipped there. The integrity-error path itself is tested on any database by letting the second
upload slip past the check before its save.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection

from apps.documents import services
from apps.documents.models import ImportDraft

from .conftest import seed_upload


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="a race needs concurrent transactions: SQLite serialises writes (runs on PostgreSQL in CI)",
)
@pytest.mark.django_db(transaction=True)
def test_parallel_uploads_of_one_file_make_one_draft_and_tell_the_others_it_was_already_imported(users, orgs) -> None:
    count = 6
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = services.importdraft_upload(
                actor=users["officer_north"], public_body=orgs["north"], file=seed_upload()
            )
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

    drafts = [r for r in results if isinstance(r, ImportDraft)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(drafts) == 1, results
    assert len(refused) == count - 1, results
    assert all(r.code in ("already_imported", "busy") for r in refused), results
    assert ImportDraft.objects.filter(public_body=orgs["north"], status="pending").count() == 1


@pytest.mark.django_db
def test_an_upload_that_slips_past_the_check_gets_the_already_imported_message(monkeypatch, users, orgs) -> None:
    first = services.importdraft_upload(actor=users["officer_north"], public_body=orgs["north"], file=seed_upload())
    # As when another upload of the same file commits between this one's check and its save.
    real = services._open_with
    calls = {"n": 0}

    def not_yet(public_body, sha):
        calls["n"] += 1
        return None if calls["n"] == 1 else real(public_body, sha)

    monkeypatch.setattr(services, "_open_with", not_yet)
    with pytest.raises(services.AlreadyImported) as refused:
        services.importdraft_upload(actor=users["officer_north"], public_body=orgs["north"], file=seed_upload())
    assert refused.value.draft == first
    assert refused.value.messages[0].startswith("Filen importerades redan ")
    assert ImportDraft.objects.filter(public_body=orgs["north"]).count() == 1
