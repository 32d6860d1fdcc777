# SPDX-License-Identifier: EUPL-1.2
"""Matching party names and data collectors from documents (pure) and proposals on the review page."""

from difflib import SequenceMatcher

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.documents import matching
from apps.documents.review import DraftReview, indicator_kind

REGISTER = [
    (1, "Socialnämnden Nordost", "212000-1355"),
    (2, "Socialförvaltningen Nordost", "212000-1355"),
    (3, "Socialnämnden Sydväst", "212000-1355"),
    (4, "Föreningen Tidigt Föräldrastöd", "802473-9412"),
    (5, "Skyddsvärnet i Göteborg", "857201-5728"),
]


def best(name, number):
    found = matching.best_match(name, number, matching.rank_organisations(name, number, REGISTER))
    return found.id if found else None


def test_organisation_number_decides_when_unique():
    assert best("Tidigt föräldrastöd (föreningen)", "802473-9412") == 4
    assert best("Helt annat namn", "857201-5728") == 5


def test_shared_number_is_settled_by_name():
    assert best("Socialnämnden Nordost", "212000-1355") == 1
    assert best("SF Nordost", "212000-1355") == 2
    assert best("Kulturnämnden", "212000-1355") is None


def test_name_alone():
    assert best("Socialnämnden  nordost", None) == 1
    assert best("Skyddsvärnet", None) == 5
    assert best("Okänd förening", None) is None


def test_collectors_map_to_parties():
    parties = ["Socialnämnden Nordost", "Föreningen Tidigt föräldrastöd", "Förskoleförvaltningen"]
    assert matching.match_collectors(["Tidigt föräldrastöd"], parties) == [1]
    assert matching.match_collectors(["SF Nordost", "Tidigt föräldrastöd"], parties) == [0, 1]
    assert matching.match_collectors(["Någon annan"], parties) == []


@pytest.mark.parametrize(
    ("text", "dims", "kind"),
    [
        ("Antal träffar", [], "count"),
        ("Antal deltagare fördelat på kön", ["gender"], "count_by_dimensions"),
        ("Kvalitativ uppföljning", [], "qualitative"),
        ("Andel nöjda deltagare", [], "share"),
    ],
)
def test_indicator_kind_guess(text, dims, kind):
    assert indicator_kind(text, dims) == kind


@pytest.mark.django_db
def test_review_proposes_matches_by_number_and_by_name(upload, orgs, nordost):
    review = DraftReview(upload())
    proposals = {row.name: row.form.initial["match"] for row in review.party_rows}
    assert proposals["Socialnämnden Nordost"] == f"org:{nordost.pk}"  # by name
    assert proposals["Föreningen Tidigt föräldrastöd"] == f"org:{orgs['alpha'].pk}"  # by 802473-9412
    assert proposals["Förskoleförvaltningen"] == "new"


@pytest.mark.django_db
def test_unknown_public_party_proposes_the_body_it_was_uploaded_for(upload, orgs):
    review = DraftReview(upload(public_body=orgs["north_dept"]))
    public = next(row for row in review.party_rows if row.form.initial["role"] == "public")
    assert public.form.initial["match"] == f"org:{orgs['north_dept'].pk}"


# The shortcuts that make matching a name against a national register quick change no answer -----------------

_WORD = st.text(alphabet="aeiouåäönrstlkmdg", min_size=0, max_size=12)
_NAME = st.lists(st.one_of(_WORD, st.sampled_from(["föreningen", "sf", "i", "Nordost", "stiftelsen"])), max_size=5)


def _reference_similarity(a: str, b: str) -> float:
    """similarity() as it was written before its shortcuts (no memory, no bounds)."""

    def close(x: str, y: str) -> bool:
        return x == y or (len(x) > 3 and SequenceMatcher(None, x, y).ratio() >= 0.85)

    ka, kb = matching.key(a), matching.key(b)
    if not ka or not kb:
        return 0.0
    if ka == kb:
        return 1.0
    wa, wb = ka.split(), kb.split()
    if set(wa) <= set(wb) or set(wb) <= set(wa):
        return 0.85
    n = sum(any(close(x, y) for y in wb) for x in wa) + sum(any(close(y, x) for x in wa) for y in wb)
    return min(SequenceMatcher(None, ka, kb).ratio(), n / (len(wa) + len(wb)))


@settings(max_examples=400, deadline=None)
@given(_NAME, _NAME)
def test_the_shortcuts_give_the_same_similarity(a: list[str], b: list[str]) -> None:
    left, right = " ".join(a), " ".join(b)
    assert matching.similarity(left, right) == _reference_similarity(left, right)
    assert matching.similarity(right, left) == _reference_similarity(right, left)
