# SPDX-License-Identifier: EUPL-1.2
"""The one permission model: who sees which agreement, and who may change it."""

import pytest

from apps.agreements import selectors
from apps.agreements.selectors import RegisterFilter

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(make_agreement, orgs, users):
    north = make_agreement(title="Norr Alfa")
    south = make_agreement(
        title="Söder Beta", actor=users["officer_south"], public=orgs["south"], nonprofit=orgs["beta"]
    )
    return north, south


@pytest.mark.parametrize(
    "who, sees",
    [
        ("officer_north", {"Norr Alfa"}),
        ("viewer_north", {"Norr Alfa"}),
        ("officer_south", {"Söder Beta"}),
        ("controller_city", {"Norr Alfa", "Söder Beta"}),  # the whole municipality
        ("partner_alpha", {"Norr Alfa"}),
        ("partner_beta", {"Söder Beta"}),
        ("nobody", set()),
    ],
)
def test_visible_agreements(two, users, who, sees):
    assert {a.title for a in selectors.visible_agreements(users[who])} == sees


def test_a_partner_cannot_fetch_another_partners_agreement_by_id(two, users):
    _north, south = two
    with pytest.raises(type(south).DoesNotExist):
        selectors.get_agreement(users["partner_alpha"], south.pk)


@pytest.mark.parametrize(
    "who, can_change",
    [
        ("officer_north", True),
        ("viewer_north", False),
        ("controller_city", False),
        ("partner_alpha", False),
        ("officer_south", False),
    ],
)
def test_change_permission(two, users, who, can_change):
    north, _south = two
    assert users[who].has_perm("agreements.change_agreement", north) is can_change


def test_search_matches_title_party_org_number_and_case_number(two, users):
    user = users["controller_city"]

    def titles(**kw):
        return {a.title for a in selectors.register(user, RegisterFilter(**kw))}

    assert titles(q="alfa") == {"Norr Alfa"}
    assert titles(q="Stiftelsen") == {"Söder Beta"}
    assert titles(q="857201-5728") == {"Söder Beta"}
    assert titles(q="8572015728") == {"Söder Beta"}
    assert titles(q="SOCN-2025") == {"Norr Alfa", "Söder Beta"}


def test_search_never_widens_the_scope(two, users):
    assert {a.title for a in selectors.register(users["partner_alpha"], RegisterFilter(q="Beta"))} == set()


def test_filters_and_sorting(two, users, orgs, make_agreement):
    user = users["controller_city"]
    make_agreement(
        title="Gammal",
        start_date=__import__("datetime").date(2020, 1, 1),
        end_date=__import__("datetime").date(2021, 12, 31),
    )
    assert {a.title for a in selectors.register(user, RegisterFilter(year=2021))} == {"Gammal"}
    assert {a.title for a in selectors.register(user, RegisterFilter(public_body=orgs["north"].pk))} == {
        "Norr Alfa",
        "Gammal",
    }
    assert [a.title for a in selectors.register(user, RegisterFilter(sort="title"))] == [
        "Gammal",
        "Norr Alfa",
        "Söder Beta",
    ]
    assert {a.title for a in selectors.register(user, RegisterFilter(status="active"))} == set()
