# SPDX-License-Identifier: EUPL-1.2
"""The error pages are the product's own: styled like every page, in Swedish, in English when chosen."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client, RequestFactory
from django.urls import reverse

from apps.core import views

pytestmark = pytest.mark.django_db

# (status, heading in Swedish, heading in English) per page, and how each is reached.
NOT_FOUND = (404, "Sidan kunde inte hittas", "The page could not be found")
FORBIDDEN = (403, "Du har inte behörighet att göra det här", "You are not allowed to do this")
BAD_REQUEST = (400, "Begäran kunde inte tolkas", "The request could not be understood")
SERVER_ERROR = (500, "Något gick fel", "Something went wrong")
CSRF = (403, "Formuläret kunde inte skickas", "The form could not be sent")
DJANGO_DEFAULTS = ["Not Found", "403 Forbidden", "Bad Request (400)", "Server Error (500)", "CSRF verification failed"]


def choose(client: Client, language: str) -> Client:
    if language != "sv":
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def assert_error_page(response, status: int, heading: str, language: str) -> str:
    html = response.content.decode()
    assert response.status_code == status
    assert f'lang="{language}"' in html
    assert heading in html
    assert 'class="site-header"' in html and "css/app.css" in html  # the product's layout, not Django's page
    for default in DJANGO_DEFAULTS:
        assert default not in html
    return html


@pytest.mark.parametrize("language", ["sv", "en"])
def test_unknown_address_is_the_products_404(client, language):
    status, sv, en = NOT_FOUND
    html = assert_error_page(
        choose(client, language).get("/finns-inte/"), status, sv if language == "sv" else en, language
    )
    assert (en if language == "sv" else sv) not in html
    assert reverse("home") in html  # a way back


def test_another_partners_agreement_answers_the_products_404(client, users, make_agreement, orgs):
    theirs = make_agreement(
        title="Söder Beta", actor=users["officer_south"], public=orgs["south"], nonprofit=orgs["beta"]
    )
    client.force_login(users["partner_alpha"])
    html = assert_error_page(client.get(reverse("agreements:detail", args=[theirs.pk])), *NOT_FOUND[:2], "sv")
    assert "Söder Beta" not in html
    assert 'aria-label="Huvudmeny"' in html  # signed in: the menu is there to go on from


@pytest.mark.parametrize("language", ["sv", "en"])
def test_refused_page_is_the_products_403(client, users, language):
    status, sv, en = FORBIDDEN
    client.force_login(users["partner_alpha"])
    response = choose(client, language).get(reverse("organisations:list"))
    html = assert_error_page(response, status, sv if language == "sv" else en, language)
    assert (en if language == "sv" else sv) not in html


def test_403_offers_the_page_the_user_came_from(client, users, make_agreement):
    agreement = make_agreement()
    client.force_login(users["partner_alpha"])
    came_from = "http://testserver" + agreement.get_absolute_url()
    html = client.get(reverse("agreements:edit", args=[agreement.pk]), HTTP_REFERER=came_from).content.decode()
    assert f'href="{came_from}"' in html and "Tillbaka till föregående sida" in html
    other_site = client.get(
        reverse("agreements:edit", args=[agreement.pk]), HTTP_REFERER="https://evil.example/"
    ).content.decode()
    assert "evil.example" not in other_site and "Tillbaka till föregående sida" not in other_site


@pytest.mark.parametrize("language", ["sv", "en"])
def test_bad_request_is_the_products_400(client, language):
    status, sv, en = BAD_REQUEST
    response = choose(client, language).get("/logga-in/", HTTP_HOST="evil.example")  # DisallowedHost
    html = assert_error_page(response, status, sv if language == "sv" else en, language)
    assert (en if language == "sv" else sv) not in html


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.urls("tests.apps.core.urls_failing")
def test_server_error_is_the_products_500(language):
    status, sv, en = SERVER_ERROR
    client = choose(Client(raise_request_exception=False), language)
    html = assert_error_page(client.get("/test-fails/"), status, sv if language == "sv" else en, language)
    assert "a programming error" not in html and "RuntimeError" not in html


def test_500_page_touches_neither_session_nor_database(django_assert_num_queries):
    request = RequestFactory().get("/")  # no session, no user: the 500 page needs neither
    with django_assert_num_queries(0):
        response = views.server_error(request)
    assert response.status_code == 500 and SERVER_ERROR[1] in response.content.decode()


@pytest.mark.parametrize("language", ["sv", "en"])
def test_form_without_csrf_token_is_refused_with_an_explanation(users, language):
    status, sv, en = CSRF
    client = choose(Client(enforce_csrf_checks=True), language)
    response = client.post(
        reverse("login"),
        {"username": "officer_north", "password": "correct-horse-battery"},
        HTTP_REFERER="http://testserver/logga-in/",
    )
    html = assert_error_page(response, status, sv if language == "sv" else en, language)
    assert (en if language == "sv" else sv) not in html
    assert 'href="http://testserver/logga-in/"' in html  # back to the form, to send it again
    assert "_auth_user_id" not in client.session  # nothing happened: not signed in


@pytest.mark.parametrize(
    ("language", "heading"),
    [("sv", "Sidan kan inte användas på det sättet"), ("en", "This page cannot be used that way")],
)
def test_a_get_on_a_post_only_action_shows_the_405_page(client, language, heading):
    from apps.accounts.models import User

    client.force_login(User.objects.create_user("u405", password="correct-horse-battery"))
    response = choose(client, language).get("/logga-ut/")
    html = assert_error_page(response, 405, heading, language)
    assert response["Allow"] == "POST, OPTIONS"
    assert "Error 405" in html or "Fel 405" in html
