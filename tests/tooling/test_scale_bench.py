# SPDX-License-Identifier: EUPL-1.2
"""bench/scale.py, the national-scale benchmark, keeps working: a small run gives the JSON other tools read, and
its bulk agreements are the services' (a difference is caught, not measured)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.db.models import F

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "bench" / "scale.py"

# Pages and commands the targets are read from: they must be in every run's output.
PAGES = [
    "bare/officer",
    "agreement_list/officer",
    "agreement_list/controller",
    "agreement_list/superuser",
    "agreement_search/officer",
    "agreement/officer",
    "agreement_money/controller",
    "agreement_history/officer",
    "portfolio/controller",
    "portfolio/superuser",
    "organisation_list/officer",
    "organisation_nonprofit/officer",
    "index_list/controller",
    "import_list/officer",
    "export_register_csv/officer",
    "export_register_xlsx/superuser",
    "export_portfolio_xlsx/controller",
]
COMMANDS = [
    "command_startup",
    "payment_plan",
    "commitments",
    "export_register_csv",
    "export_register_xlsx",
    "document_import",
    "index_value_add",
    "index_value_correct",
]


@pytest.fixture(scope="module")
def run() -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--agreements", "30", "--json", "--requests", "3", "--seconds", "1"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=240,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


def test_the_json_has_the_shape_other_tools_read(run: dict) -> None:
    assert run["agreements"] == 30
    assert run["database"] == "sqlite"
    assert set(PAGES) <= set(run["pages"]), set(PAGES) - set(run["pages"])
    for name, page in run["pages"].items():
        assert {"queries", "p50_ms", "p95_ms", "rps", "ratio"} <= set(page), name
        assert page["status"] == 200 and "error" not in page, (name, page)
        assert isinstance(page["queries"], int) and page["queries"] >= 2, name  # at least session and user
        assert 0 < page["p50_ms"] <= page["p95_ms"], name
        assert page["rps"] is None and page["ratio"] is None, name  # measured only with --http
    assert set(COMMANDS) <= set(run["commands"]), set(COMMANDS) - set(run["commands"])
    for name, command in run["commands"].items():
        assert "error" not in command, (name, command)
        assert command["seconds"] > 0 and command["peak_mb"] > 20, (name, command)
    assert run["commands"]["command_startup"]["exit"] == 2  # "no agreement 0": start-up alone
    assert run["commands"]["index_value_add"]["queries"] > 0
    assert run["commands"]["document_import"]["draft_status"] == "pending"


def test_the_register_is_built_through_the_services_and_in_bulk_alike(run: dict) -> None:
    build = run["build"]
    assert build["through_services"] >= 1 and build["in_bulk"] >= 20
    assert build["rows"]["agreements"] == 30
    assert build["rows"]["payments"] > 30 and build["rows"]["audit_events"] > 30
    checked = build["verification"]["checked"]
    assert len(checked) >= 3 and build["verified"] == len(checked)
    assert all(c["equal"] for c in checked) and not build["verification"]["problems"]
    assert any(c["recorded"] for c in checked), "some verified plans have invoiced or paid payments"


@pytest.mark.django_db(transaction=True)
def test_a_bulk_agreement_that_differs_from_the_services_is_caught() -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    import scale_world

    from apps.finance.models import Payment

    world = scale_world.build(12, sample=2, seed=3, verify_count=2)
    assert world.verified and not world.verification["problems"]
    spec, pk = world.verified[0]
    Payment.objects.filter(agreement_id=pk).update(amount=F("amount") + Decimal("0.01"))
    found = scale_world.verify([(spec, pk)], world.series, lambda s: world.tenant.controller, world.today)
    assert [p["agreement"] for p in found["problems"]] == [pk]
    differences = found["problems"][0]["differences"]
    assert any(d.startswith("payments:") for d in differences), differences
    assert any("payment_plan_regenerate" in d for d in differences), differences
