# SPDX-License-Identifier: EUPL-1.2
"""The agreement page is long: a contents list ("På sidan") leads to each of its sections and interventions."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from apps.agreements import services

pytestmark = pytest.mark.django_db


def contents(html: str) -> tuple[str, list[str]]:
    nav = re.search(r'<nav class="page-toc" aria-labelledby="toc-heading">(.*?)</nav>', html, re.S)
    assert nav, "the agreement page has no contents list"
    return nav.group(1), re.findall(r'href="#([^"]+)"', nav.group(1))


@pytest.mark.parametrize(("language", "heading"), [("sv", "På sidan"), ("en", "On this page")])
def test_every_entry_leads_to_a_section_of_the_page(client, users, make_agreement, language, heading):
    agreement = make_agreement()
    part = services.intervention_save(
        actor=users["officer_north"],
        agreement=agreement,
        data={"kind": "local", "label": "Del 1", "title": "Kulturtolkar i Angered"},
    )
    client.force_login(users["officer_north"])
    if language != "sv":
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = client.get(reverse("agreements:detail", args=[agreement.pk])).content.decode()
    nav, anchors = contents(html)
    assert f'id="toc-heading">{heading}</h2>' in nav
    assert {"facts", "parties", "content", "goals", "interventions", f"intervention-{part.pk}"} <= set(anchors)
    assert "Kulturtolkar i Angered" in nav
    for anchor in anchors:
        assert html.count(f'id="{anchor}"') == 1, f"#{anchor} is in the contents list but not (once) on the page"


def test_status_entry_only_when_the_status_can_be_changed(client, users, make_agreement):
    agreement = make_agreement()
    client.force_login(users["partner_alpha"])  # reads the agreement, may not change its status
    html = client.get(reverse("agreements:detail", args=[agreement.pk])).content.decode()
    _nav, anchors = contents(html)
    assert "status" not in anchors and 'id="status"' not in html
