# SPDX-License-Identifier: EUPL-1.2
"""The importer's warnings are stored as codes and parameters and shown in the reader's language."""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from .conftest import RECIPE

pytestmark = pytest.mark.django_db


def test_an_upload_stores_codes_and_parameters_not_words(upload):
    draft = upload()
    assert draft.warnings == draft.draft["warnings"]
    assert {
        "code": "importer.warning.org_number_missing",
        "params": {"name": "Socialnämnden Nordost"},
    } in draft.warnings
    assert all(set(w) == {"code", "params"} for w in draft.warnings)
    assert draft.warning_count == len(draft.warning_messages) == len(draft.warnings)


@pytest.mark.parametrize(
    ("language", "expected", "absent"),
    [
        ("sv", "Organisationsnummer saknas för Socialnämnden Nordost.", "The organisation number is missing"),
        ("en", "The organisation number is missing for Socialnämnden Nordost.", "Organisationsnummer saknas"),
    ],
)
def test_the_review_page_says_the_warnings_in_the_readers_language(client, users, upload, language, expected, absent):
    draft = upload()
    client.force_login(users["officer_north"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = client.get(reverse("documents:review", args=[draft.pk])).content.decode()
    assert expected in html and absent not in html


@pytest.mark.django_db(transaction=True)  # the upload commits, and the immediate backend reads it at once
def test_a_document_that_is_no_agreement_is_refused_in_the_uploaders_language(client, users, orgs):
    client.force_login(users["officer_north"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(
        reverse("documents:upload"), {"public_body": orgs["north"].pk, "file": SimpleUploadedFile("recept.txt", RECIPE)}
    )
    html = response.content.decode()
    assert "The file recept.txt does not seem to contain an agreement" in html
    assert "verkar inte innehålla" not in html
