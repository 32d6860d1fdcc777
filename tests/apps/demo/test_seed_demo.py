# SPDX-License-Identifier: EUPL-1.2
import json
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from apps.accounts.models import User
from apps.agreements.models import Agreement, Goal, Indicator
from apps.audit.models import AuditEvent
from apps.demo.data import GBG, MLN
from apps.finance.models import IndexSeries
from apps.organisations.models import Organisation
from apps.organisations.scope import tenant_ids

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent_and_holds_the_documents_facts():
    call_command("seed_demo", "--password", "hemligt-losen-123", stdout=StringIO())
    counts = (Agreement.objects.count(), Goal.objects.count(), Indicator.objects.count(), User.objects.count())
    call_command("seed_demo", "--password", "hemligt-losen-123", stdout=StringIO())
    assert (Agreement.objects.count(), Goal.objects.count(), Indicator.objects.count(), User.objects.count()) == counts
    assert counts[0] == 5  # Göteborg's three from the documents, Mölndal's two made-up ones
    for name in (
        "handlaggare",
        "controller",
        "plattform",
        "partner-reningsborg",
        "partner-skyddsvarnet",
        "partner-tidigt",
        "handlaggare-molndal",
    ):
        assert User.objects.get(username=name).check_password("hemligt-losen-123")
    # The national PKV is the platform's: its keeper writes it, the municipality's controller does not.
    pkv = IndexSeries.objects.get(code="PKV", tenant=None)
    assert User.objects.get(username="plattform").has_perm("finance.change_index", pkv)
    assert not User.objects.get(username="controller").has_perm("finance.change_index", pkv)
    assert set(
        AuditEvent.objects.filter(action="finance.index_value_saved").values_list("actor__username", flat=True)
    ) == {"plattform"}
    tidigt = Agreement.objects.get(case_number="SOCN-2025-00771")
    assert (tidigt.start_date.isoformat(), tidigt.end_date.isoformat()) == ("2025-07-01", "2028-07-01")
    assert (tidigt.extension_max_months, tidigt.notice_period_months, tidigt.renewal_decision_months_before_end) == (
        12,
        4,
        6,
    )
    assert tidigt.parties.get(role="nonprofit").organisation.org_number == "802473-9412"
    assert tidigt.parties.get(role="dialogue").organisation.name == "Förskoleförvaltningen"
    assert tidigt.interventions.filter(label="Del 1", title="Kulturtolkar i Angered").exists()
    dims = Indicator.objects.get(goal__agreement=tidigt, name__startswith="Antal deltagare fördelat").dimensions
    assert set(dims) == {"gender", "language_group"}


def test_demo_users_see_only_their_own(client):
    call_command("seed_demo", stdout=StringIO())
    from apps.agreements.selectors import visible_agreements

    goteborg = set(Agreement.objects.filter(parties__organisation__org_number=GBG).values_list("pk", flat=True))
    molndal = set(Agreement.objects.filter(parties__organisation__org_number=MLN).values_list("pk", flat=True))
    assert len(goteborg) == 3 and len(molndal) == 2 and not goteborg & molndal
    assert set(visible_agreements(User.objects.get(username="handlaggare")).values_list("pk", flat=True)) == goteborg
    assert set(visible_agreements(User.objects.get(username="handlaggare-molndal")).values_list("pk", flat=True)) == (
        molndal
    )
    partner = User.objects.get(username="partner-skyddsvarnet")
    assert [a.title for a in visible_agreements(partner)] == [
        Agreement.objects.get(parties__organisation__org_number="857201-5728").title
    ]
    # The shared non-profit: one login, an agreement with each municipality (not Mölndal's other one).
    tidigt = visible_agreements(User.objects.get(username="partner-tidigt"))
    assert {a.case_number for a in tidigt} == {"SOCN-2025-00771", "SAN 2024/0312"}


def test_the_demo_has_two_municipalities_as_tenants():
    call_command("seed_demo", stdout=StringIO())
    molndal = Organisation.objects.get(name="Mölndals stad")
    committee = Organisation.objects.get(name="Social- och arbetsmarknadsnämnden")
    assert (molndal.org_number, molndal.parent, committee.parent, committee.org_number) == (MLN, None, molndal, MLN)
    officer = User.objects.get(username="handlaggare-molndal")
    assert tenant_ids(officer) == {molndal.pk}
    assert tenant_ids(User.objects.get(username="handlaggare")) == {Organisation.objects.get(name="Göteborgs Stad").pk}
    # Mölndal's agreements were registered by Mölndal's officer, and carry money and a payment plan of their own.
    for agreement in Agreement.objects.filter(parties__organisation=committee):
        assert agreement.created_by == officer
        assert agreement.payments.exists()


def test_seed_demo_refused_when_demo_data_is_not_allowed(settings):
    settings.PARTNERSKAP_ALLOW_DEMO_DATA = False
    with pytest.raises(CommandError) as refused:
        call_command("seed_demo", stdout=StringIO())
    assert refused.value.returncode == 2
    assert "Demodata är inte tillåtet" in str(refused.value)


def test_seed_demo_speaks_swedish():
    out = StringIO()
    call_command("seed_demo", "--password", "hemligt-losen-123", stdout=out)
    assert "Demodata klart: 5 överenskommelser skapade, 5 totalt." in out.getvalue()
    assert "Demoinloggningar (lösenord: hemligt-losen-123):" in out.getvalue()
    assert "  handlaggare-molndal" in out.getvalue().splitlines()


def test_export_register_json_shape():
    call_command("seed_demo", stdout=StringIO())
    out = StringIO()
    call_command("export_register", "--format", "json", stdout=out)
    records = json.loads(out.getvalue())
    assert len(records) == 5
    for record in records:
        assert {
            "id",
            "title",
            "case_number",
            "status",
            "start",
            "end",
            "public_parties",
            "nonprofit_parties",
            "dialogue_parties",
        } <= record.keys()
        for party in record["public_parties"] + record["nonprofit_parties"] + record["dialogue_parties"]:
            assert set(party) == {"name", "org_number"}
    skydd = next(r for r in records if r["start"] == "2025-02-01")
    assert skydd["nonprofit_parties"] == [{"name": "Skyddsvärnet i Göteborg", "org_number": "857201-5728"}]


def test_export_register_csv_and_xlsx(tmp_path):
    call_command("seed_demo", stdout=StringIO())
    out = StringIO()
    call_command("export_register", "--format", "csv", stdout=out)
    assert out.getvalue().count("\n") == 6
    target = tmp_path / "register.xlsx"
    call_command("export_register", "--format", "xlsx", "--output", str(target))
    assert target.read_bytes()[:2] == b"PK"


def test_production_settings_refuse_debug_and_default_secret():
    code = "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='partnerskap.settings.prod'; django.setup()"
    for env in (
        {"SECRET_KEY": "x" * 60, "DEBUG": "1"},
        {"SECRET_KEY": "insecure-short"},
        {"SECRET_KEY": "k" * 10 + "abcdefghij" * 5, "PARTNERSKAP_DEMO_DATA": "1"},
    ):
        result = subprocess.run(
            [sys.executable, "-c", code], env={"PATH": "/usr/bin", **env}, capture_output=True, text=True
        )
        assert result.returncode != 0 and "ImproperlyConfigured" in result.stderr


def test_check_deploy_is_clean_in_production():
    env = {
        "PATH": "/usr/bin",
        "DJANGO_SETTINGS_MODULE": "partnerskap.settings.prod",
        "SECRET_KEY": "Zq8-long-random-production-secret-key-!@#-0123456789-abcdef",
        "ALLOWED_HOSTS": "iop.example.se",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr + result.stdout
