# SPDX-License-Identifier: EUPL-1.2
from decimal import Decimal

import pytest

from apps.finance.models import IndexSeries


@pytest.fixture
def pkv(db):
    return IndexSeries.objects.create(code="PKV", name="Prisindex för kommunal verksamhet")


@pytest.fixture
def funded(make_agreement, users, pkv):
    """The Tidigt föräldrastöd money: 4 040 000 kr a year, 800 000 folkhälsomedel invoiced separately,
    paid in advance in January and July, PKV October."""
    # Imported here, not at the top of the conftest: importing apps.finance.services at collection once
    # connected the agreement_changed receiver and hid that nothing else did. Receivers are connected by
    # FinanceConfig.ready() now; test_receivers.py checks that in a fresh interpreter.
    from apps.finance import services

    actor = users["officer_north"]
    agreement = make_agreement()
    services.funding_source_save(
        actor=actor,
        agreement=agreement,
        data={
            "name": "Folkhälsomedel",
            "annual_amount": Decimal("800000"),
            "share_percent": None,
            "invoiced_separately": True,
        },
    )
    services.finance_terms_save(
        actor=actor,
        agreement=agreement,
        data={
            "basis": "annual",
            "annual_amount": Decimal("4040000"),
            "default_source": "Socialnämnden Norr",
            "index_series": pkv,
            "index_reference_month": 10,
            "payment_frequency": "semiannual",
            "payment_in_advance": True,
            "payment_months": [1, 7],
        },
    )
    return agreement


def grant_national_index(user):
    """Make ``user`` a platform index keeper (the model permission finance.keep_national_index)."""
    from django.contrib.auth.models import Permission

    user.user_permissions.add(Permission.objects.get(content_type__app_label="finance", codename="keep_national_index"))
    return type(user).objects.get(pk=user.pk)  # a fresh object: the permission cache is per object


@pytest.fixture
def index_keeper(users):
    """The city's controller, also made a platform index keeper, so that it may write the national PKV."""
    users["controller_city"] = grant_national_index(users["controller_city"])
    return users["controller_city"]
