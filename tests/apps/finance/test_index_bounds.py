# SPDX-License-Identifier: EUPL-1.2
"""An index value outside the stored range is refused on its field, in words, not by a database constraint."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from apps.accounts.models import Role
from apps.finance import services
from apps.finance.models import IndexSeries, IndexValue
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("percent", ["150", "-60", "100", "-50"])
@pytest.mark.parametrize(
    ("language", "words"), [("sv", "Indexvärdet måste vara"), ("en", "The index value must be more than")]
)
def test_out_of_range_percent_is_a_field_error(orgs, percent, language, words):
    controller = make_user("c", (orgs["city"], Role.CONTROLLER))
    series = IndexSeries.objects.create(code="PKV", name="PKV", tenant=orgs["city"])
    with translation.override(language), pytest.raises(ValidationError) as refused:
        services.index_value_save(
            actor=controller, series=series, data={"year": 2025, "reference_month": 10, "percent": Decimal(percent)}
        )
    assert list(refused.value.message_dict) == ["percent"]
    assert words in refused.value.message_dict["percent"][0]
    assert "indexvalue_percent_range" not in str(refused.value)
    assert not IndexValue.objects.exists()


def test_a_value_inside_the_range_is_saved(orgs):
    controller = make_user("c", (orgs["city"], Role.CONTROLLER))
    series = IndexSeries.objects.create(code="PKV", name="PKV", tenant=orgs["city"])
    services.index_value_save(
        actor=controller, series=series, data={"year": 2025, "reference_month": 10, "percent": Decimal("99.5")}
    )
    assert IndexValue.objects.get().percent == Decimal("99.5")
