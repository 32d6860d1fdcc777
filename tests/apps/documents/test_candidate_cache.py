# SPDX-License-Identifier: EUPL-1.2
"""The review's party proposals kept in the shared cache: the same as computed, and retired when an
organisation is added or renamed (the register's generation)."""

from __future__ import annotations

import pytest
from django.db import transaction

from apps.documents import selectors
from apps.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def test_the_proposals_are_those_computed_and_follow_a_new_organisation(orgs, django_capture_on_commit_callbacks):
    register = selectors.register_entries()
    first = selectors.party_candidates_in_register("Föreningen Alfa", None, register)
    assert first == selectors.party_candidates("Föreningen Alfa", None, register) and first[0].name == "Föreningen Alfa"
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():  # committed, as a request's
        Organisation.objects.create(name="Föreningen Alfa Väst", kind="non_profit")
    register = selectors.register_entries()
    again = selectors.party_candidates_in_register("Föreningen Alfa Väst", None, register)
    assert again[0].name == "Föreningen Alfa Väst"
    later = selectors.party_candidates_in_register("Föreningen Alfa", None, register)
    assert later == selectors.party_candidates("Föreningen Alfa", None, register)  # not the value from before
