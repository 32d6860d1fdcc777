# SPDX-License-Identifier: EUPL-1.2
"""The shared cache (apps/core/cache.py, decision 0017): values kept per name, permission scope and
generation; never one scope's value for another; retired after a write commits, not on a rollback; Redis
shared and an unreachable Redis harmless."""

from __future__ import annotations

import datetime as dt
import logging
import socket
import time
import uuid
from collections.abc import Iterator

import pytest
from django.core.cache import cache, caches
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts.models import Membership, Role
from apps.agreements import selectors
from apps.agreements.models import Agreement
from apps.core import cache as shared
from apps.organisations.models import Organisation
from apps.organisations.scope import scope_key
from partnerskap.settings.base import cache_from_env
from tests.conftest import make_user
from tests.tenancy import client_for, make_tenants, tenant_agreement


def _generation() -> int:
    return shared.generations([shared.REGISTER])[0]


def _bodies(user) -> list[str]:
    return [body.name for body in selectors.register_choices(user).public_bodies]


pytestmark = pytest.mark.django_db  # transactions and on_commit need the database


# The mechanics -------------------------------------------------------------------------------------------------


def test_a_value_is_computed_once_per_name_scope_and_generation() -> None:
    calls: list[str] = []

    def compute(label: str):
        return lambda: calls.append(label) or f"value {label}"

    assert shared.cached("thing.1", scope="a", compute=compute("a")) == "value a"
    assert shared.cached("thing.1", scope="a", compute=compute("again")) == "value a"  # kept
    assert shared.cached("thing.1", scope="b", compute=compute("b")) == "value b"  # another scope: its own
    assert shared.cached("other.1", scope="a", compute=compute("other")) == "value other"  # another name
    shared._bump(shared.REGISTER)  # what register_changed does once the write commits
    assert shared.cached("thing.1", scope="a", compute=compute("fresh")) == "value fresh"
    assert calls == ["a", "b", "other", "fresh"]


def test_a_lost_generation_starts_after_every_number_it_reached() -> None:
    """Redis restarted or evicted the counter while values stayed: the new counter does not meet them."""
    before = _generation()
    for _ in range(5):
        shared._bump(shared.REGISTER)
    time.sleep(0.002)  # a counter moves once per committed write: far slower than once a microsecond
    cache.delete("generation:" + shared.REGISTER)
    assert _generation() > before + 5


def test_a_transaction_bumps_once_after_it_commits(django_capture_on_commit_callbacks) -> None:
    before = _generation()
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        for _ in range(3):  # a service saving an agreement, its parties and its audit event
            shared.register_changed()
        with transaction.atomic():  # a savepoint: its own bump, which its rollback would take back
            shared.register_changed()
            shared.register_changed()
        assert _generation() == before  # not before the commit
    assert len(callbacks) == 2
    assert _generation() == before + 2


def test_a_rollback_bumps_nothing(django_capture_on_commit_callbacks) -> None:
    before = _generation()
    with (  # noqa: PT012 - the write and the failure that rolls it back
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        shared.register_changed()
        raise RuntimeError
    assert callbacks == [] and _generation() == before


def test_scope_digest_is_stable_and_tells_scopes_apart() -> None:
    assert shared.scope_digest(("staff", (1, 2))) == shared.scope_digest(("staff", (1, 2)))
    assert shared.scope_digest(("staff", (1, 2))) != shared.scope_digest(("staff", (1, 3)))
    assert shared.scope_digest(("staff", (1,)), ("partner", ())) != shared.scope_digest(
        ("staff", ()), ("partner", (1,))
    )


# Scopes: never another's value ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_two_tenants_never_get_each_others_value(orgs) -> None:
    tenants = make_tenants(orgs)
    gbg, molndal = tenants.gbg_officer, tenants.molndal_officer
    assert scope_key(gbg) != scope_key(molndal)
    assert _bodies(gbg) == ["Socialförvaltningen Nordost"]
    assert _bodies(molndal) == ["Social- och arbetsmarknadsnämnden"]  # not Göteborg's, cached a moment ago
    assert _bodies(gbg) == ["Socialförvaltningen Nordost"]


@pytest.mark.django_db
def test_a_partner_and_staff_of_the_same_body_do_not_share(orgs, users, make_agreement) -> None:
    """Staff see every agreement of their bodies, the partner only those their organisation is party to (and
    only once shown to the partners): staff's value is never the partner's."""
    make_agreement(start_date=dt.date(2020, 1, 1))
    make_agreement(public=orgs["north"], nonprofit=orgs["beta"], title="Betas", case_number="SOCN-2")
    officer, partner = users["officer_north"], users["partner_alpha"]
    assert scope_key(officer) != scope_key(partner)
    assert _bodies(officer) == ["Socialförvaltningen Norr", "Socialnämnden Norr"]
    assert selectors.register_choices(officer).years[0] == 2020
    assert _bodies(partner) == ["Socialförvaltningen Norr"]  # Beta's agreement is not theirs
    Agreement.objects.update(shared_with_partners=False)
    assert _bodies(users["partner_beta"]) == []  # a new scope: computed, and nothing is shown to them


@pytest.mark.django_db
def test_users_who_see_the_same_share_one_value_whatever_their_role(users, make_agreement) -> None:
    """A case officer and a viewer of the same committee see the same agreements: one value, and the second
    asks the database nothing for it."""
    make_agreement()
    officer, viewer = users["officer_north"], users["viewer_north"]
    assert scope_key(officer) == scope_key(viewer)
    first = selectors.register_choices(officer)
    scope_key(viewer)  # the viewer's scope, read once per request in any case
    with CaptureQueriesContext(connection) as captured:
        assert selectors.register_choices(viewer) == first
    assert captured.captured_queries == []


@pytest.mark.django_db
def test_a_user_whose_membership_changes_gets_the_new_scope_at_once(orgs, users, make_agreement) -> None:
    make_agreement()
    make_agreement(actor=users["officer_south"], public=orgs["south"], title="Söder", case_number="SOCS-1")
    user = users["viewer_north"]
    assert _bodies(user) == ["Socialförvaltningen Norr"]
    Membership.objects.create(user=user, organisation=orgs["south"], role=Role.VIEWER)
    assert _bodies(user) == ["Socialförvaltningen Norr", "Socialnämnden Söder"]
    Membership.objects.filter(user=user).delete()
    assert _bodies(user) == []


@pytest.mark.django_db
def test_a_superuser_and_the_anonymous_have_keys_of_their_own(users) -> None:
    from django.contrib.auth.models import AnonymousUser

    admin = make_user("admin", is_superuser=True)
    assert scope_key(admin) == "superuser"
    assert scope_key(AnonymousUser()) == "anonymous"
    users["officer_north"].is_active = False
    assert scope_key(users["officer_north"]) == "anonymous"
    assert scope_key(users["nobody"]).startswith("scope-")


# Writes retire the values after they commit ---------------------------------------------------------------------


@pytest.mark.django_db
def test_a_write_through_a_service_retires_the_value_after_commit(
    orgs, users, make_agreement, django_capture_on_commit_callbacks
) -> None:
    officer = users["officer_north"]
    make_agreement()
    assert _bodies(officer) == ["Socialförvaltningen Norr"]
    with django_capture_on_commit_callbacks(execute=True):
        make_agreement(public=orgs["north"], title="Nämndens", case_number="SOCN-2")
        assert _bodies(officer) == ["Socialförvaltningen Norr"]  # not before the commit
    assert _bodies(officer) == ["Socialförvaltningen Norr", "Socialnämnden Norr"]


@pytest.mark.django_db
def test_a_write_rolled_back_retires_nothing(orgs, users, make_agreement, django_capture_on_commit_callbacks) -> None:
    officer = users["officer_north"]
    make_agreement()
    assert _bodies(officer) == ["Socialförvaltningen Norr"]
    before = _generation()
    with (  # noqa: PT012 - the write and the failure that rolls it back
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        make_agreement(public=orgs["north"], title="Nämndens", case_number="SOCN-2")
        raise RuntimeError
    assert callbacks == [] and _generation() == before


@pytest.mark.django_db
def test_an_organisation_renamed_outside_the_services_retires_the_value(
    users, make_agreement, django_capture_on_commit_callbacks
) -> None:
    """The admin saves an organisation without an audit event: its receiver retires the values too."""
    officer = users["officer_north"]
    agreement = make_agreement()
    assert _bodies(officer) == ["Socialförvaltningen Norr"]
    body = Organisation.objects.get(pk=agreement.parties.get(role="public").organisation_id)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():  # as the admin saves
        body.name = "Förvaltningen Norr"
        body.save()
    assert _bodies(officer) == ["Förvaltningen Norr"]


# Redis ---------------------------------------------------------------------------------------------------------


def _redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


redis_only = pytest.mark.skipif(not _redis_answers(), reason="no Redis answers at 127.0.0.1:6379")


@pytest.fixture
def redis_cache() -> Iterator[str]:
    """The Redis backend as production configures it (CACHE_URL), under a prefix of this test's own: the
    Redis may be shared, so only this test's keys are removed after it (never FLUSHDB)."""
    import redis

    prefix = f"partnerskap-test-{uuid.uuid4().hex}"
    config = cache_from_env("redis://127.0.0.1:6379/0") | {"KEY_PREFIX": prefix}
    with override_settings(CACHES={"default": config}):
        yield prefix
    client = redis.Redis.from_url("redis://127.0.0.1:6379/0")
    for key in client.scan_iter(match=f"{prefix}:*"):
        client.delete(key)


@redis_only
@pytest.mark.django_db
def test_the_redis_backend_keeps_values_and_generations_where_every_server_sees_them(
    redis_cache, orgs, users, make_agreement, django_capture_on_commit_callbacks
) -> None:
    import redis

    assert caches["default"].__class__.__name__ == "RedisCache"
    officer = users["officer_north"]
    make_agreement()
    assert _bodies(officer) == ["Socialförvaltningen Norr"]
    client = redis.Redis.from_url("redis://127.0.0.1:6379/0")
    keys = {key.decode() for key in client.scan_iter(match=f"{redis_cache}:*")}
    assert f"{redis_cache}:1:generation:register" in keys
    assert any(key.startswith(f"{redis_cache}:1:value:agreements.register_choices.1:scope-") for key in keys)
    before = int(client.get(f"{redis_cache}:1:generation:register") or 0)
    with django_capture_on_commit_callbacks(execute=True):
        make_agreement(public=orgs["north"], title="Nämndens", case_number="SOCN-2")
    assert int(client.get(f"{redis_cache}:1:generation:register") or 0) == before + 1
    assert _bodies(officer) == ["Socialförvaltningen Norr", "Socialnämnden Norr"]


@redis_only
@pytest.mark.django_db
def test_the_list_page_on_redis_asks_fewer_queries_the_second_time(redis_cache, users, make_agreement) -> None:
    make_agreement()
    client = client_for(users["officer_north"])
    url = reverse("agreements:list")
    with CaptureQueriesContext(connection) as first:
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as second:
        response = client.get(url)
    assert response.status_code == 200 and "Socialförvaltningen Norr" in response.content.decode()
    assert len(second.captured_queries) < len(first.captured_queries)


@pytest.mark.django_db
def test_an_unreachable_redis_still_serves_the_pages(
    users, orgs, make_agreement, caplog, django_capture_on_commit_callbacks
) -> None:
    """CACHE_URL names a Redis nobody answers at: every value is computed, a warning is logged, no 500, and a
    write still commits."""
    make_agreement()
    shared._last_warning[0] = 0.0  # the warning is logged at most once a minute: this test wants to see it
    with override_settings(CACHES={"default": cache_from_env("redis://127.0.0.1:1/0")}):
        client = client_for(users["officer_north"])
        with caplog.at_level(logging.WARNING, logger="apps.core.cache"):
            for _ in range(2):
                response = client.get(reverse("agreements:list"))
                assert response.status_code == 200
                assert "Socialförvaltningen Norr" in response.content.decode()  # the filter, computed
        assert any("Cache unreachable" in record.getMessage() for record in caplog.records)
        with django_capture_on_commit_callbacks(execute=True):
            agreement = tenant_agreement(users["officer_north"], orgs["north"], orgs["beta"], case_number="X-2")
        assert client.get(agreement.get_absolute_url()).status_code == 200
        assert _bodies(users["officer_north"]) == ["Socialförvaltningen Norr", "Socialnämnden Norr"]


@redis_only
def test_the_redis_backend_reuses_one_client_per_pool(redis_cache: str) -> None:
    """Django builds a redis.Redis per operation (a copy of its callbacks table each time): ours keeps one."""
    from django.core.cache import cache as django_cache

    client = django_cache._cache  # type: ignore[attr-defined]  # the backend's client holder
    assert client.get_client(write=True) is client.get_client(write=True)
    django_cache.set("reused", 1)
    assert django_cache.get("reused") == 1
