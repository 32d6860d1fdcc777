# SPDX-License-Identifier: EUPL-1.2
"""factory_boy factories for tests that need many rows: organisations, users with memberships, agreements
with their parties, interventions, goals and indicators, and the money terms.

They write rows directly (no audit events): use them for volume, and the services where the test is
about a write. Every organisation number they make is valid (Luhn check digit).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import factory
from factory.django import DjangoModelFactory

from apps.accounts.models import Membership, Role, User
from apps.agreements.models import Agreement, Decision, Goal, Indicator, Intervention, Party
from apps.finance.models import BudgetLine, FinanceTerms, FundingSource, IndexSeries, IndexValue, Payment
from apps.organisations.models import Organisation
from domain.orgnr import check_digit


def org_number(first_digit: int, n: int) -> str:
    """A valid organisation number: ``first_digit`` (2 public body, 8 association, ...) then ``n``."""
    nine = f"{first_digit}{n % 10**8:08d}"
    return f"{nine[:6]}-{nine[6:]}{check_digit(nine)}"


class OrganisationFactory(DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Föreningen Fabrik {n}")
    org_number: Any = factory.Sequence(lambda n: org_number(8, n))
    kind = Organisation.Kind.NON_PROFIT


class PublicBodyFactory(OrganisationFactory):  # a public body: shares the municipality's number
    name = factory.Sequence(lambda n: f"Socialnämnden Fabrik {n}")
    org_number = "212000-1355"
    kind = Organisation.Kind.PUBLIC_BODY


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"Förnamn{n}")
    last_name = "Efternamn"
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct-horse-battery")


class MembershipFactory(DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(PublicBodyFactory)
    role = Role.CASE_OFFICER


def user_with_role(organisation: Organisation, role: str, **fields: Any) -> User:
    """A user holding ``role`` over ``organisation``."""
    user_fields = {f"user__{k}": v for k, v in fields.items()}
    return MembershipFactory.create(organisation=organisation, role=role, **user_fields).user


class AgreementFactory(DjangoModelFactory[Agreement]):
    """An active agreement 2025-07-01 – 2028-06-30. Pass ``public=`` and ``nonprofit=`` (organisations) to get
    the two parties; ``goals=n`` adds n goals with ``indicators`` indicators each (collected by the partner)."""

    class Meta:
        model = Agreement
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"IOP Fabriksavtal {n}")
    case_number = factory.Sequence(lambda n: f"SOCN-2025-{n:05d}")
    purpose = "Stärka föräldrar i området."
    start_date = dt.date(2025, 7, 1)
    end_date = dt.date(2028, 6, 30)
    extension_max_months = 12
    notice_period_months = 4
    renewal_decision_months_before_end = 6
    status = Agreement.Status.ACTIVE

    parties = factory.PostGeneration(lambda agreement, create, extracted, **kw: _parties(agreement, create, **kw))
    goals = factory.PostGeneration(
        lambda agreement, create, extracted, **kw: _goals(agreement, create, extracted, **kw)
    )


def _parties(
    agreement: Agreement, create: bool, *, public: Organisation | None = None, nonprofit: Organisation | None = None
) -> None:
    if not create:
        return
    if public:
        PartyFactory.create(agreement=agreement, organisation=public, role=Party.Role.PUBLIC, position=0)
    if nonprofit:
        PartyFactory.create(
            agreement=agreement,
            organisation=nonprofit,
            role=Party.Role.NON_PROFIT,
            position=1,
            signatory_name="Ordförande Fabrik",
        )


def _goals(agreement: Agreement, create: bool, count: int | None, *, indicators: int = 2) -> None:
    if not create or not count:
        return
    intervention = InterventionFactory.create(agreement=agreement)
    partner = agreement.parties.filter(role=Party.Role.NON_PROFIT).first()
    for i in range(count):
        goal = GoalFactory.create(agreement=agreement, intervention=intervention if i % 2 else None, position=i)
        for j in range(indicators):
            indicator = IndicatorFactory.create(goal=goal, position=j)
            if partner:
                indicator.collected_by.add(partner)


class PartyFactory(DjangoModelFactory[Party]):
    class Meta:
        model = Party

    agreement = factory.SubFactory(AgreementFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Party.Role.NON_PROFIT


class DecisionFactory(DjangoModelFactory[Decision]):
    class Meta:
        model = Decision

    agreement = factory.SubFactory(AgreementFactory)
    body = "Socialnämnden"
    decided_on = dt.date(2025, 5, 28)


class InterventionFactory(DjangoModelFactory[Intervention]):
    class Meta:
        model = Intervention

    agreement = factory.SubFactory(AgreementFactory)
    kind = "overall"
    title = factory.Sequence(lambda n: f"Insats {n}")


class GoalFactory(DjangoModelFactory[Goal]):
    class Meta:
        model = Goal

    agreement = factory.SubFactory(AgreementFactory)
    text = factory.Sequence(lambda n: f"Mål {n}: fler föräldrar känner till stödet.")


class IndicatorFactory(DjangoModelFactory[Indicator]):
    class Meta:
        model = Indicator

    goal = factory.SubFactory(GoalFactory)
    name = factory.Sequence(lambda n: f"Antal deltagare {n}")
    kind = Indicator.Kind.COUNT
    follow_ups_per_year = 2


class IndexSeriesFactory(DjangoModelFactory[IndexSeries]):
    class Meta:
        model = IndexSeries
        django_get_or_create = ("code",)

    code = "PKV"
    name = "Prisindex för kommunal verksamhet (SKR)"


class IndexValueFactory(DjangoModelFactory[IndexValue]):
    class Meta:
        model = IndexValue

    series = factory.SubFactory(IndexSeriesFactory)
    year = factory.Sequence(lambda n: 2020 + n)
    reference_month = 10
    percent = Decimal("2.900")
    source = "Fabriksvärde"


class FinanceTermsFactory(DjangoModelFactory[FinanceTerms]):
    """1 200 000 kr a year, paid in advance in January and July, indexed by PKV (October)."""

    class Meta:
        model = FinanceTerms

    agreement = factory.SubFactory(AgreementFactory)
    basis = FinanceTerms.Basis.ANNUAL
    annual_amount = Decimal("1200000")
    default_source = "Socialnämnden"
    index_series = factory.SubFactory(IndexSeriesFactory)
    index_reference_month = 10
    payment_frequency = FinanceTerms.Frequency.SEMIANNUAL
    payment_in_advance = True
    payment_months = factory.LazyFunction(lambda: [1, 7])


class FundingSourceFactory(DjangoModelFactory[FundingSource]):
    class Meta:
        model = FundingSource

    agreement = factory.SubFactory(AgreementFactory)
    name = factory.Sequence(lambda n: f"Folkhälsomedel {n}")
    annual_amount = Decimal("200000")
    invoiced_separately = True


class BudgetLineFactory(DjangoModelFactory[BudgetLine]):
    class Meta:
        model = BudgetLine

    agreement = factory.SubFactory(AgreementFactory)
    label = factory.Sequence(lambda n: f"Projektledare {n}")
    category = BudgetLine.Category.PERSONNEL
    annual_amount = Decimal("600000")


class PaymentFactory(DjangoModelFactory[Payment]):
    class Meta:
        model = Payment

    agreement = factory.SubFactory(AgreementFactory)
    key = factory.Sequence(lambda n: f"fabrik-{n}")
    due_on = dt.date(2026, 1, 30)
    amount = Decimal("600000")
    funding_source = "Socialnämnden"
    covers_from = dt.date(2026, 1, 1)
    covers_to = dt.date(2026, 6, 30)
