# SPDX-License-Identifier: EUPL-1.2
"""Fixtures for the import pages: uploaded seed documents and a media folder per test."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from apps.documents import services
from apps.documents.review import DraftReview
from apps.organisations.models import Organisation

SEEDS = Path(__file__).resolve().parents[2] / "domain" / "importer" / "fixtures" / "seeds"
TIDIGT = next(SEEDS.glob("003_*.txt"))  # Socialnämnden Nordost and Föreningen Tidigt föräldrastöd (802473-9412)
RECIPE = "Pannkakor: 3 dl mjöl, 6 dl mjölk, 3 ägg. Stek i smör.".encode()


@pytest.fixture(autouse=True)
def swedish():
    """Messages are asserted in Swedish, whatever an earlier test (e.g. a management command) left active."""
    with translation.override("sv"):
        yield


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def seed_upload(path: Path = TIDIGT, name: str | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name or path.name, path.read_bytes(), content_type="text/plain")


@pytest.fixture
def nordost(orgs) -> Organisation:
    """The committee named in the seed document, registered under the officer's body by that name."""
    return Organisation.objects.create(
        name="Socialnämnden Nordost", org_number="212000-1355", kind="public_body", parent=orgs["north"]
    )


@pytest.fixture
def upload(users, orgs, django_capture_on_commit_callbacks):
    """Upload as the page does, then let the upload's commit run what it queued: the reading task (at once,
    as in the quick start), so that the draft is read (or failed) when this returns."""

    def make(*, actor=None, public_body=None, file=None):
        with django_capture_on_commit_callbacks(execute=True):
            draft = services.importdraft_upload(
                actor=actor or users["officer_north"],
                public_body=public_body or orgs["north"],
                file=file or seed_upload(),
            )
        draft.refresh_from_db()
        return draft

    return make


def post_data(review: DraftReview, **changes) -> dict:
    """The review page's form as the browser would submit it unchanged, with ``changes`` applied."""
    data: dict = {}
    for formset in review.all_formsets():
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = str(management[name].value())
    forms = [review.form, *(f for fs in review.all_formsets() for f in fs.forms)]
    for form in forms:
        for bound in form:
            value = bound.value()
            if value is None or value == "" or value is False:
                continue
            if value is True:
                data[bound.html_name] = "on"
            elif isinstance(value, (list, tuple)):
                data[bound.html_name] = [str(v) for v in value]
            elif isinstance(value, dt.date):
                data[bound.html_name] = value.isoformat()
            else:
                data[bound.html_name] = str(value)
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data
