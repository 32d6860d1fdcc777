# SPDX-License-Identifier: EUPL-1.2
"""No English on a Swedish page and no Swedish on an English one, in what every page shares."""

from __future__ import annotations

import pytest
from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from apps.agreements.models import Party

pytestmark = pytest.mark.django_db


class PartyRoleForm(forms.ModelForm):
    class Meta:
        model = Party
        fields = ["role", "organisation"]


@pytest.mark.parametrize(
    ("language", "empty", "other"), [("sv", "– Välj –", "Select an option"), ("en", "- Select an option -", "Välj")]
)
def test_every_select_offers_an_empty_choice_in_the_pages_language(orgs, language, empty, other):
    """Django 6's empty choice ("- Select an option -") has no Swedish in Django's catalogue: ours gives it."""
    with translation.override(language):
        html = str(PartyRoleForm())
    assert html.count(f'<option value="" selected>{empty}</option>') == 2  # a choices field and a foreign key
    assert other not in html


def test_select_on_a_page_is_swedish(client, users):
    client.force_login(users["officer_north"])
    html = client.get(reverse("agreements:create")).content.decode()
    assert "<select" in html and "– Välj –" in html and "Select an option" not in html


@pytest.mark.parametrize(
    ("language", "expected", "absent"),
    [
        (
            "sv",
            ["Hoppa till huvudinnehållet", "Huvudmeny", "Meny", "Logga ut", "Överenskommelser"],
            ["Skip to main content", "Main menu", ">Menu<", "Log out", ">Agreements<"],
        ),
        (
            "en",
            ["Skip to main content", "Main menu", ">Menu<", "Log out", ">Agreements<"],
            ["Hoppa till huvudinnehållet", "Huvudmeny", ">Meny<", "Logga ut", "Överenskommelser"],
        ),
    ],
)
def test_the_layout_speaks_one_language(client, users, language, expected, absent):
    client.force_login(users["officer_north"])
    if language != "sv":
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = client.get(reverse("agreements:list")).content.decode()
    assert f'<html lang="{language}">' in html
    for text in expected:
        assert text in html
    for text in absent:
        assert text not in html
