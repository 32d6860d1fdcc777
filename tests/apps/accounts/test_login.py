# SPDX-License-Identifier: EUPL-1.2
"""Login: 10 failures in 15 minutes pause logging in per account and per address, with a page that says
when to try again; logins and failures are in the audit trail (never the password); signed-in pages are
never stored by a cache (issue 8, item 6)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.urls import reverse

from apps.accounts.models import User
from apps.accounts.throttle import retry_at
from apps.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"  # tests/conftest.py make_user
WRONG = "wrong-password-xyz"
STOCKHOLM = ZoneInfo("Europe/Stockholm")
T0 = dt.datetime(2026, 3, 2, 10, 0, 0, tzinfo=STOCKHOLM)


def _post(client: Client, username: str, password: str, address: str = "10.0.0.1") -> Any:
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def _fail(client: Client, username: str, times: int, address: str = "10.0.0.1") -> list[Any]:
    return [_post(client, username, WRONG, address) for _ in range(times)]


def test_ten_failures_pause_the_account_with_a_swedish_page_giving_the_time(users: dict[str, User]) -> None:
    client = Client()
    with time_machine.travel(T0, tick=False):
        responses = _fail(client, "officer_north", 10)
        assert [r.status_code for r in responses[:9]] == [200] * 9
        assert "Användarnamnet eller lösenordet är fel" in responses[8].content.decode()
        locked = responses[9]
        assert locked.status_code == 429
        html = locked.content.decode()
        assert "Inloggningen har pausats efter för många misslyckade försök. Du kan försöka igen kl. 10:15." in html
        assert 'lang="sv"' in html and "Too many" not in html and "try again" not in html
        # Even the right password is refused while paused, and the time promised does not move.
        again = _post(client, "officer_north", PASSWORD)
        assert again.status_code == 429 and "kl. 10:15" in again.content.decode()
        assert "_auth_user_id" not in client.session
    with time_machine.travel(T0 + dt.timedelta(minutes=15, seconds=1), tick=False):
        response = _post(client, "officer_north", PASSWORD)
        assert response.status_code == 302 and client.session["_auth_user_id"] == str(users["officer_north"].pk)


def test_nine_failures_then_the_right_password_logs_in(users: dict[str, User]) -> None:
    client = Client()
    _fail(client, "officer_north", 9)
    assert _post(client, "officer_north", PASSWORD).status_code == 302


def test_per_account_across_addresses(users: dict[str, User]) -> None:
    """Ten failures for one account from ten addresses pause that account from any address, not others."""
    client = Client()
    with time_machine.travel(T0, tick=False):
        for index in range(10):
            _fail(client, "officer_north", 1, address=f"10.0.1.{index}")
        assert _post(client, "officer_north", PASSWORD, address="10.9.9.9").status_code == 429
        assert _post(client, "officer_south", PASSWORD, address="10.9.9.9").status_code == 302


def test_per_address_across_accounts(users: dict[str, User]) -> None:
    """Ten failures from one address, each for another name, pause that address for every account."""
    client = Client()
    with time_machine.travel(T0, tick=False):
        for index in range(10):
            _fail(client, f"guess{index}", 1, address="10.0.2.1")
        assert _post(client, "officer_south", PASSWORD, address="10.0.2.1").status_code == 429
        assert _post(Client(), "officer_south", PASSWORD, address="10.0.2.2").status_code == 302


def test_failures_older_than_fifteen_minutes_do_not_count(users: dict[str, User]) -> None:
    client = Client()
    with time_machine.travel(T0, tick=False):
        _fail(client, "officer_north", 9)
    with time_machine.travel(T0 + dt.timedelta(minutes=16), tick=False):
        assert _fail(client, "officer_north", 1)[0].status_code == 200
        assert _post(client, "officer_north", PASSWORD).status_code == 302


def test_lockout_page_in_english_when_chosen(users: dict[str, User]) -> None:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with time_machine.travel(T0, tick=False):
        locked = _fail(client, "officer_north", 10)[-1]
    html = locked.content.decode()
    assert locked.status_code == 429
    assert "Logging in has been paused after too many failed attempts. You can try again at 10:15." in html
    assert "försök" not in html and "Inloggningen" not in html


def test_logins_and_failures_are_audited_without_the_password(users: dict[str, User]) -> None:
    client = Client()
    _post(client, "officer_north", WRONG, address="10.0.3.1")
    _post(client, "no-such-person", WRONG, address="10.0.3.1")
    _post(client, "officer_north", PASSWORD, address="10.0.3.1")
    events = list(AuditEvent.objects.filter(action__startswith="login.").order_by("id"))
    assert [e.action for e in events] == ["login.failed", "login.failed", "login.succeeded"]
    failed, unknown, ok = events
    assert failed.actor is None and failed.object_id == str(users["officer_north"].pk)
    assert failed.summary == "Misslyckad inloggning som officer_north från adressen 10.0.3.1"
    assert unknown.summary_params == {"user": "no-such-person", "address": "10.0.3.1"}
    assert ok.actor == users["officer_north"]
    assert ok.summary == "officer_north loggade in från adressen 10.0.3.1"
    for event in events:
        stored = f"{event.summary} {event.summary_params} {event.changes} {event.object_id}"
        assert WRONG not in stored and PASSWORD not in stored
    for attempt in AccessAttempt.objects.all():
        assert WRONG not in attempt.post_data


def test_a_login_without_a_request_behind_it_is_not_written(users: dict[str, User]) -> None:
    """The test client's force_login is no person at a page; the form's login is (test above)."""
    Client().force_login(users["officer_north"])
    assert not AuditEvent.objects.filter(action__startswith="login.").exists()


def test_the_failure_that_pauses_and_the_refused_ones_are_audited_as_paused(users: dict[str, User]) -> None:
    client = Client()
    with time_machine.travel(T0, tick=False):
        _fail(client, "officer_north", 11)
    actions = list(
        AuditEvent.objects.filter(action__startswith="login.").order_by("id").values_list("action", flat=True)
    )
    assert actions == ["login.failed"] * 9 + ["login.paused"] * 2


def test_signed_in_pages_are_not_stored(users: dict[str, User]) -> None:
    client = Client()
    anonymous = client.get(reverse("healthz"))
    assert "no-store" not in anonymous.get("Cache-Control", "")
    client.force_login(users["officer_north"])
    for url in (reverse("agreements:list"), reverse("home"), reverse("healthz")):
        response = client.get(url)
        directives = {d.strip() for d in response["Cache-Control"].split(",")}
        assert {"no-store", "private"} <= directives, (url, directives)
    after_login = _post(Client(), "officer_south", PASSWORD)
    assert "no-store" in after_login["Cache-Control"]


def test_lockout_page_is_a_product_page_with_a_way_back(users: dict[str, User]) -> None:
    with time_machine.travel(T0, tick=False):
        html = _fail(Client(), "officer_north", 10)[-1].content.decode()
    assert re.search(r"<h1[^>]*>\s*För många misslyckade inloggningar\s*</h1>", html)
    assert 'role="alert"' in html and reverse("home") in html


class TestRetryAt:
    now = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
    cool_off = dt.timedelta(minutes=15)

    def at(self, minutes_ago: float) -> dt.datetime:
        return self.now - dt.timedelta(minutes=minutes_ago)

    def test_below_the_limit_is_not_paused(self) -> None:
        assert retry_at([(self.at(1), 9)], limit=10, cool_off=self.cool_off, now=self.now) is None

    def test_one_record_lifts_cool_off_after_its_last_failure(self) -> None:
        result = retry_at([(self.at(5), 10)], limit=10, cool_off=self.cool_off, now=self.now)
        assert result == self.at(5) + self.cool_off

    def test_several_records_lift_when_enough_have_expired(self) -> None:
        rows = [(self.at(10), 4), (self.at(2), 3), (self.at(6), 4)]  # 11 in all
        # The oldest (4) expiring leaves 7 < 10: the pause lifts 15 minutes after the oldest.
        assert retry_at(rows, limit=10, cool_off=self.cool_off, now=self.now) == self.at(10) + self.cool_off
        rows = [(self.at(10), 1), (self.at(6), 1), (self.at(2), 10)]
        assert retry_at(rows, limit=10, cool_off=self.cool_off, now=self.now) == self.at(2) + self.cool_off

    def test_expired_records_do_not_count(self) -> None:
        assert retry_at([(self.at(20), 50), (self.at(1), 2)], limit=10, cool_off=self.cool_off, now=self.now) is None


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "10.0.0.1"),  # no proxy configured: the header is the client's own words
        (1, "203.0.113.9", "203.0.113.9"),  # one load balancer appended the client's address
        (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # a spoofed entry on the left is ignored
        (2, "203.0.113.9, 192.0.2.1", "203.0.113.9"),  # two proxies: the second from the right
        (2, "203.0.113.9", "10.0.0.1"),  # fewer entries than proxies: not trusted
    ],
)
def test_failed_logins_count_per_client_address_behind_proxies(rf, settings, proxies, forwarded, expected) -> None:
    from apps.accounts.throttle import client_address

    settings.PARTNERSKAP_TRUSTED_PROXIES = proxies
    request = rf.post("/logga-in/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


def test_behind_a_proxy_one_address_locked_out_does_not_lock_out_another(client, settings, users) -> None:
    settings.PARTNERSKAP_TRUSTED_PROXIES = 1
    for _ in range(10):
        client.post(
            "/logga-in/",
            {"username": "nobody", "password": "wrong-password"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR="203.0.113.9",
        )
    locked = client.post(
        "/logga-in/", {"username": "x", "password": "y"}, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9"
    )
    assert locked.status_code == 429
    other = client.post(
        "/logga-in/", {"username": "x", "password": "y"}, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7"
    )
    assert other.status_code != 429  # the same proxy, another person: not locked out
