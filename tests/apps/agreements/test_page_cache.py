# SPDX-License-Identifier: EUPL-1.2
"""The cached fragments of the two most visited pages (apps.core.cache.cached_html): the agreement page's
content per user, the list's results per scope. Never another scope's rows, never another session's CSRF
token, retired when a write commits; the access check runs on every request."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.cache import csrf_placeholder
from apps.organisations import services as organisation_services
from tests.tenancy import client_for

pytestmark = pytest.mark.django_db


def _get(client: Client, url: str) -> tuple[int, str, int]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return response.status_code, response.content.decode(), len(captured.captured_queries)


def test_the_agreement_page_is_served_from_the_cache_with_the_readers_own_token(users, make_agreement) -> None:
    agreement = make_agreement(title="IOP Cachad")
    url = reverse("agreements:detail", args=[agreement.pk])
    first = Client(enforce_csrf_checks=True)
    first.force_login(users["officer_north"])
    status, html, cold = _get(first, url)
    assert status == 200 and "IOP Cachad" in html
    status, again, warm = _get(first, url)
    assert status == 200 and warm < cold and again.count("IOP Cachad") == html.count("IOP Cachad")
    other = Client(enforce_csrf_checks=True)  # the same user in another session: another CSRF secret
    other.force_login(users["officer_north"])
    _status, theirs, _queries = _get(other, url)
    assert csrf_placeholder() not in html + again + theirs
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', theirs)
    assert token, "the cached content holds the status form"
    # The form of the cached page posts with the reader's own token (CSRF checks on).
    response = other.post(
        reverse("agreements:transition", args=[agreement.pk]),
        {"csrfmiddlewaretoken": token.group(1), "target": "decided", "note": ""},
    )
    assert response.status_code == 302


def test_the_cached_agreement_page_is_per_user_and_still_checks_access(users, make_agreement) -> None:
    agreement = make_agreement(title="IOP Per person")
    url = reverse("agreements:detail", args=[agreement.pk])
    officer, viewer = client_for(users["officer_north"]), client_for(users["viewer_north"])
    _s, officer_html, _q = _get(officer, url)
    _s, viewer_html, _q = _get(viewer, url)
    edit = reverse("agreements:edit", args=[agreement.pk])
    assert edit in officer_html and edit not in viewer_html  # the officer's buttons are not the viewer's
    assert client_for(users["officer_south"]).get(url).status_code == 404  # another scope: never the cached page
    assert client_for(users["partner_beta"]).get(url).status_code == 404


def test_a_committed_change_is_on_the_agreement_page_and_in_the_list(
    users, orgs, make_agreement, django_capture_on_commit_callbacks
) -> None:
    """A non-profit's new name (its agreement's version unchanged) is shown once the rename commits."""
    agreement = make_agreement(title="IOP Namnbyte")
    client = client_for(users["officer_north"])
    url = reverse("agreements:detail", args=[agreement.pk])
    assert "Föreningen Alfa" in client.get(url).content.decode()
    assert "Föreningen Alfa" in client.get(reverse("agreements:list")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        organisation_services.organisation_update(
            actor=users["officer_north"], organisation=orgs["alpha"], data={"name": "Föreningen Omega"}
        )
    assert "Föreningen Omega" in client.get(url).content.decode()
    assert "Föreningen Omega" in client.get(reverse("agreements:list")).content.decode()


def test_the_cached_list_results_are_never_another_scopes(users, make_agreement, orgs) -> None:
    make_agreement(title="IOP Norr")
    make_agreement(title="IOP Söder", actor=users["officer_south"], public=orgs["south"], nonprofit=orgs["beta"])
    north = client_for(users["officer_north"]).get(reverse("agreements:list")).content.decode()
    south = client_for(users["officer_south"]).get(reverse("agreements:list")).content.decode()
    partner = client_for(users["partner_beta"]).get(reverse("agreements:list")).content.decode()
    assert "IOP Norr" in north and "IOP Söder" not in north
    assert "IOP Söder" in south and "IOP Norr" not in south
    assert "IOP Norr" not in partner
    filtered = client_for(users["officer_north"]).get(reverse("agreements:list"), {"q": "Söder"}).content.decode()
    assert "IOP Norr" not in filtered  # the filters are part of the key


def test_a_cached_page_is_never_served_after_access_is_taken_away(
    users, orgs, make_agreement, django_capture_on_commit_callbacks
) -> None:
    """The page is kept per user, without its access check on a hit: every way of losing the agreement retires
    it once committed. A membership removed, however (here as the admin would, not through a service)."""
    from apps.accounts.models import Membership

    agreement = make_agreement(title="IOP Åtkomst")
    url = reverse("agreements:detail", args=[agreement.pk])
    viewer = client_for(users["viewer_north"])
    assert (
        viewer.get(url).status_code == 200 and "IOP Åtkomst" in viewer.get(reverse("agreements:list")).content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        Membership.objects.filter(user=users["viewer_north"]).delete()
    assert viewer.get(url).status_code == 404
    assert "IOP Åtkomst" not in viewer.get(reverse("agreements:list")).content.decode()


def test_a_partner_removed_from_the_parties_loses_the_cached_page(
    users, orgs, make_agreement, django_capture_on_commit_callbacks
) -> None:
    from apps.agreements import services
    from apps.agreements.models import Agreement

    agreement = make_agreement(title="IOP Partner")
    services.agreement_share_with_partners(actor=users["officer_north"], agreement=agreement)
    url = reverse("agreements:detail", args=[agreement.pk])
    partner = client_for(users["partner_alpha"])
    assert partner.get(url).status_code == 200
    agreement = Agreement.objects.get(pk=agreement.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.agreement_update(
            actor=users["officer_north"],
            agreement=agreement,
            data={},
            parties=[
                services.PartyInput(role="public", organisation=orgs["north_dept"]),
                services.PartyInput(role="nonprofit", organisation=orgs["beta"]),
            ],
            expected_version=agreement.version,
        )
    assert partner.get(url).status_code == 404


def test_a_hit_reads_neither_the_agreement_nor_the_scope(users, make_agreement) -> None:
    agreement = make_agreement(title="IOP Träff")
    client = client_for(users["officer_north"])
    url = reverse("agreements:detail", args=[agreement.pk])
    _s, _html, cold = _get(client, url)
    _s, html, warm = _get(client, url)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    tables = " ".join(q["sql"] for q in captured.captured_queries)
    assert "IOP Träff" in html and warm < cold
    assert "agreements_agreement" not in tables and "RECURSIVE" not in tables


def test_the_menu_is_kept_per_user_and_follows_a_change_of_rights(users, django_capture_on_commit_callbacks) -> None:
    from django.contrib.auth.models import Permission

    controller, partner = client_for(users["controller_city"]), client_for(users["partner_alpha"])
    portfolio = reverse("finance:portfolio")
    assert portfolio in controller.get(reverse("agreements:list")).content.decode()
    assert portfolio not in partner.get(reverse("agreements:list")).content.decode()  # never another's menu
    nobody = client_for(users["nobody"])
    assert 'href="/admin/"' not in nobody.get(reverse("agreements:list")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        users["nobody"].is_staff = True
        users["nobody"].save()
        users["nobody"].user_permissions.add(Permission.objects.filter(content_type__app_label="finance").first())
    assert 'href="/admin/"' in nobody.get(reverse("agreements:list")).content.decode()
