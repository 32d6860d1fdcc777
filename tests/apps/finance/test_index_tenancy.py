# SPDX-License-Identifier: EUPL-1.2
"""Index series and tenancy: a national series (PKV) is kept by the platform's index keepers and read by all;
a tenant's own series is kept by its controllers, and another tenant does not see it (404).

The conftest's city ("Testkommun") stands for Göteborg, with an agreement on PKV and its payment plan;
Mölndal is a second municipality with its own controller.
"""

from __future__ import annotations

import re
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from apps.accounts.models import Role, User
from apps.agreements.models import Agreement
from apps.audit.models import AuditEvent
from apps.finance import selectors, services
from apps.finance.models import FinanceTerms, IndexSeries, IndexValue
from apps.organisations.models import Organisation
from tests.apps.finance.formdata import form_data
from tests.conftest import make_user

D = Decimal
VALUE = {"year": 2025, "reference_month": 10, "percent": D("40")}


@pytest.fixture
def molndal(db) -> Organisation:
    return Organisation.objects.create(name="Mölndals stad", org_number="212000-1363", kind="public_body")


@pytest.fixture
def molndal_controller(molndal: Organisation) -> User:
    nämnd = Organisation.objects.create(
        name="Social- och arbetsmarknadsnämnden", org_number="212000-1363", kind="public_body", parent=molndal
    )
    return make_user("controller_molndal", (nämnd, Role.CONTROLLER))  # below the tenant, not at its top


@pytest.fixture
def keeper(db) -> User:
    """A platform index keeper: no membership anywhere, the model permission through a group."""
    user = make_user("plattform")
    group = Group.objects.create(name="Indexförvaltare")
    group.permissions.add(Permission.objects.get(content_type__app_label="finance", codename="keep_national_index"))
    user.groups.add(group)
    return user


@pytest.fixture
def city_series(orgs: dict[str, Organisation]) -> IndexSeries:
    return IndexSeries.objects.create(code="GBG-LPI", name="Göteborgs löne- och prisindex", tenant=orgs["city"])


def plan(agreement: Agreement) -> list[tuple[str, Decimal]]:
    return sorted(agreement.payments.values_list("key", "amount"))


def load(path: Path, *args: str) -> str:
    out = StringIO()
    call_command("load_index", str(path), *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def csv_file(tmp_path: Path) -> Path:
    path = tmp_path / "index.csv"
    path.write_text("2025;40\n", encoding="utf-8")
    return path


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- The national series: no municipality's controller writes it ------------------------------------------


def test_a_molndal_controller_cannot_write_pkv_through_the_service(funded, pkv, molndal_controller) -> None:
    before = plan(funded)
    with pytest.raises(PermissionDenied):
        services.index_value_save(actor=molndal_controller, series=pkv, data=VALUE)
    assert not IndexValue.objects.exists()
    assert plan(funded) == before and before


@pytest.mark.parametrize("who", ["molndal", "city"])
def test_no_municipality_controller_writes_pkv_through_the_pages(
    funded, pkv, molndal_controller, users, who: str
) -> None:
    """Neither Mölndal's controller nor Göteborg's own: PKV is the platform's. The page answers 403 (the
    series is read by everyone signed in), for a new value and for an existing one, and stores nothing."""
    existing = IndexValue.objects.create(series=pkv, year=2024, percent=D("3.3"))
    before = plan(funded)
    client = logged_in(molndal_controller if who == "molndal" else users["controller_city"])
    add = reverse("finance:index_value_add", args=[pkv.pk])
    edit = reverse("finance:index_value_edit", args=[pkv.pk, existing.pk])
    assert client.get(add).status_code == 403
    assert client.post(add, {"year": "2025", "reference_month": "10", "percent": "40"}).status_code == 403
    assert client.get(edit).status_code == 403
    posted = client.post(edit, {"year": "2024", "reference_month": "10", "percent": "40", "version": "1"})
    assert posted.status_code == 403
    assert list(IndexValue.objects.values_list("year", "percent")) == [(2024, D("3.300"))]
    assert plan(funded) == before
    html = client.get(reverse("finance:index")).content.decode()
    assert "PKV" in html and add not in html and edit not in html  # read, without the links to write


def test_a_molndal_controller_cannot_load_pkv(funded, pkv, molndal_controller, tmp_path) -> None:
    before = plan(funded)
    with pytest.raises(CommandError) as refused:
        load(csv_file(tmp_path), "--series", "PKV", "--user", molndal_controller.username)
    assert refused.value.returncode == 2
    assert str(refused.value) == "Användaren controller_molndal får inte föra indexserien PKV."
    assert not IndexValue.objects.exists() and plan(funded) == before


def test_the_platform_keeper_writes_pkv_and_the_plans_follow(
    funded, pkv, keeper, tmp_path, django_capture_on_commit_callbacks
) -> None:
    before = plan(funded)
    with django_capture_on_commit_callbacks(execute=True):  # the recalculation, queued for after the commit
        services.index_value_save(actor=keeper, series=pkv, data={**VALUE, "percent": D("2.8")})
    after_service = plan(funded)
    assert after_service != before
    client = logged_in(keeper)
    html = client.get(reverse("finance:index")).content.decode()
    assert reverse("finance:index_value_add", args=[pkv.pk]) in html
    response = client.post(
        reverse("finance:index_value_add", args=[pkv.pk]), {"year": "2026", "reference_month": "10", "percent": "3.1"}
    )
    assert response.status_code == 302
    assert load(csv_file(tmp_path), "--series", "pkv", "--user", keeper.username)
    assert dict(IndexValue.objects.values_list("year", "percent")) == {2025: D("40.000"), 2026: D("3.100")}
    assert set(AuditEvent.objects.filter(action="finance.index_value_saved").values_list("actor", flat=True)) == {
        keeper.pk
    }
    assert plan(funded) != after_service


def test_without_user_load_index_acts_as_the_platform(funded, pkv, tmp_path) -> None:
    before = plan(funded)
    load(csv_file(tmp_path), "--series", "PKV")
    assert IndexValue.objects.get().percent == D("40")
    assert plan(funded) != before


def test_a_superuser_keeps_every_series(pkv, city_series) -> None:
    root = User.objects.create_superuser("root", password="correct-horse-battery")
    for series in (pkv, city_series):
        assert selectors.access_index_series(root, series.pk, perm="finance.change_index") == series
        services.index_value_save(actor=root, series=series, data=VALUE)
    assert IndexValue.objects.count() == 2


# --- A tenant's own series --------------------------------------------------------------------------------


def test_a_tenant_series_is_written_by_its_own_controllers_only(city_series, users, molndal_controller, keeper) -> None:
    services.index_value_save(actor=users["controller_city"], series=city_series, data=VALUE)
    for refused in (users["officer_north"], molndal_controller, keeper):
        with pytest.raises(PermissionDenied):
            services.index_value_save(actor=refused, series=city_series, data={**VALUE, "year": 2026})
    assert list(IndexValue.objects.values_list("series", "year")) == [(city_series.pk, 2025)]


def test_a_tenant_series_page_for_its_controller_and_its_staff(city_series, users) -> None:
    add = reverse("finance:index_value_add", args=[city_series.pk])
    controller = logged_in(users["controller_city"])
    assert add in controller.get(reverse("finance:index")).content.decode()
    response = controller.post(add, {"year": "2025", "reference_month": "10", "percent": "2.5"})
    assert response.status_code == 302
    officer = logged_in(users["officer_north"])  # staff of the tenant: reads it, does not keep it
    html = officer.get(reverse("finance:index")).content.decode()
    assert "GBG-LPI" in html and add not in html
    assert officer.get(add).status_code == 403


def test_another_tenants_series_is_not_there(city_series, molndal_controller, keeper, tmp_path) -> None:
    value = IndexValue.objects.create(series=city_series, year=2024, percent=D("3.3"))
    for user in (molndal_controller, keeper):
        client = logged_in(user)
        assert "GBG-LPI" not in client.get(reverse("finance:index")).content.decode()
        assert client.get(reverse("finance:index_value_add", args=[city_series.pk])).status_code == 404
        assert client.get(reverse("finance:index_value_edit", args=[city_series.pk, value.pk])).status_code == 404
        posted = client.post(
            reverse("finance:index_value_add", args=[city_series.pk]),
            {"year": "2025", "reference_month": "10", "percent": "40"},
        )
        assert posted.status_code == 404
    with pytest.raises(CommandError) as refused:
        load(csv_file(tmp_path), "--series", "GBG-LPI", "--user", molndal_controller.username)
    assert str(refused.value) == "Det finns ingen indexserie med koden GBG-LPI."
    assert list(IndexValue.objects.values_list("year", flat=True)) == [2024]


def test_the_tenant_is_read_once_per_request(city_series, users, django_assert_num_queries) -> None:
    """The user's tenants are computed on the first check and kept in the request cache: each further
    lookup is its one query for the series."""
    controller = users["controller_city"]
    selectors.access_index_series(controller, city_series.pk, perm="finance.change_index")
    with django_assert_num_queries(5):
        for _ in range(5):
            selectors.access_index_series(controller, city_series.pk, perm="finance.change_index")


# --- The money terms form: national series and the user's own tenant's ------------------------------------


def _options(html: str) -> set[str]:
    select = re.search(r'<select[^>]*name="index_series"[^>]*>(.*?)</select>', html, re.S)
    assert select, html[:2000]
    return set(re.findall(r'<option value="[0-9]+"[^>]*>([^<]*)</option>', select.group(1)))


def test_the_terms_form_lists_only_allowed_series(funded, pkv, city_series, molndal, users) -> None:
    IndexSeries.objects.create(code="MLN-IDX", name="Mölndals index", tenant=molndal)
    officer = logged_in(users["officer_north"])
    url = reverse("finance:terms", args=[funded.pk])
    html = officer.get(url).content.decode()
    assert _options(html) == {"PKV", "GBG-LPI"}


def test_another_tenants_series_posted_to_the_terms_form_is_refused(funded, pkv, molndal, users) -> None:
    other = IndexSeries.objects.create(code="MLN-IDX", name="Mölndals index", tenant=molndal)
    officer = logged_in(users["officer_north"])
    url = reverse("finance:terms", args=[funded.pk])
    data: dict[str, Any] = form_data(officer.get(url).content.decode(), containing="index_series")
    data["index_series"] = str(other.pk)
    response = officer.post(url, data)
    assert response.status_code == 400
    assert 'id="id_index_series_error"' in response.content.decode()
    assert FinanceTerms.objects.get(agreement=funded).index_series == pkv


# --- An imported document names its index by code ----------------------------------------------------------


@pytest.mark.parametrize(("code", "expected"), [("pkv", "PKV"), ("GBG-LPI", "GBG-LPI"), ("MLN-IDX", None)])
def test_an_imported_index_is_national_or_the_users_own_never_another_tenants(
    make_agreement, pkv, city_series, molndal, users, code: str, expected: str | None
) -> None:
    IndexSeries.objects.create(code="MLN-IDX", name="Mölndals index", tenant=molndal)
    agreement = make_agreement()
    services.finance_apply_draft(
        actor=users["officer_north"],
        agreement=agreement,
        annual_amount=D("100000"),
        total_amount=None,
        indexation={"index": code, "reference_month": 10},
        payment_schedule=None,
        budget_lines=[],
    )
    terms = FinanceTerms.objects.get(agreement=agreement)
    assert (terms.index_series.code if terms.index_series else None) == expected
    assert IndexSeries.objects.count() == 3  # nothing created for a code that exists


def test_the_terms_service_refuses_another_tenants_series(funded, pkv, molndal, users) -> None:
    other = IndexSeries.objects.create(code="MLN-IDX", name="Mölndals index", tenant=molndal)
    with pytest.raises(ValidationError) as refused:
        services.finance_terms_save(actor=users["officer_north"], agreement=funded, data={"index_series": other})
    assert list(refused.value.message_dict) == ["index_series"]
    assert FinanceTerms.objects.get(agreement=funded).index_series == pkv


@pytest.mark.parametrize("typed", ["2,9", "2.9", "2,9 %", " 2,9 "])
def test_a_value_is_typed_as_in_skrs_tables_with_a_decimal_comma(client: Client, keeper: User, pkv, typed) -> None:
    client.force_login(keeper)
    add = reverse("finance:index_value_add", args=[pkv.pk])
    response = client.post(add, {"year": "2025", "reference_month": "10", "percent": typed, "source": "SKR"})
    assert response.status_code == 302, response.content.decode()[:2000]
    saved = IndexValue.objects.get(series=pkv, year=2025)
    assert saved.percent == Decimal("2.9")
    edit = client.get(reverse("finance:index_value_edit", args=[pkv.pk, saved.pk])).content.decode()
    assert 'value="2,9"' in edit  # shown back the Swedish way


def test_a_negative_value_with_a_typographic_minus(client: Client, keeper: User, pkv) -> None:
    client.force_login(keeper)
    add = reverse("finance:index_value_add", args=[pkv.pk])
    assert client.post(add, {"year": "2026", "reference_month": "10", "percent": "−0,4"}).status_code == 302
    assert IndexValue.objects.get(series=pkv, year=2026).percent == Decimal("-0.4")
