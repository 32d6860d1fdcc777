# SPDX-License-Identifier: EUPL-1.2
"""SQLite has one writer at a time. A write that cannot get the lock in time is rolled back and answered
with a translated "busy, try again" page (503, Retry-After), never a 500; nothing of it is saved."""

from __future__ import annotations

import sqlite3

import pytest
from django.db import OperationalError
from django.urls import reverse

from apps.agreements import services as agreement_services
from apps.agreements.models import Agreement

pytestmark = pytest.mark.django_db


def test_a_locked_sqlite_database_says_database_is_locked(tmp_path) -> None:
    """The message the middleware recognises is the one SQLite gives when the busy timeout runs out."""
    path = tmp_path / "busy.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA journal_mode=WAL")
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN IMMEDIATE")
    waiter = sqlite3.connect(path, timeout=0.1, isolation_level=None)
    with pytest.raises(sqlite3.OperationalError, match="database is locked"):
        waiter.execute("BEGIN IMMEDIATE")
    holder.execute("ROLLBACK")


def test_a_write_that_cannot_get_the_lock_answers_503_and_saves_nothing(
    client, users, make_agreement, monkeypatch
) -> None:
    agreement = make_agreement()
    client.force_login(users["officer_north"])
    detail = reverse("agreements:detail", args=[agreement.pk])

    def busy(**kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(agreement_services, "agreement_transition", busy)
    response = client.post(
        reverse("agreements:transition", args=[agreement.pk]),
        {"target": "signed", "note": ""},
        HTTP_REFERER="http://testserver" + detail,
    )
    assert response.status_code == 503 and response["Retry-After"] == "5"
    html = response.content.decode()
    assert "Upptaget just nu" in html and "Inget av det du skickade sparades." in html
    assert f'href="http://testserver{detail}"' in html  # back to the page of the form
    assert Agreement.objects.get(pk=agreement.pk).status == agreement.status


def test_other_database_errors_are_not_hidden_as_busy(rf) -> None:
    from django.http import HttpResponse

    from apps.core import middleware

    busy = middleware.DatabaseBusyMiddleware(lambda request: HttpResponse())
    assert busy.process_exception(rf.get("/"), OperationalError("no such table: x")) is None
    assert busy.process_exception(rf.get("/"), ValueError("database is locked")) is None
