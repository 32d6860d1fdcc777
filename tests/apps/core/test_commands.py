# SPDX-License-Identifier: EUPL-1.2
"""The management commands' contract, run as a person runs them: in a fresh process, from the shell.

Bad input → exit status 2, nothing on stdout, one clear Swedish message on stderr, never a traceback.
The commands run against a file database of this module's own (migrated once), never the demo database.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SEED = next((ROOT / "tests" / "domain" / "importer" / "fixtures" / "seeds").glob("003_*.txt"))


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    database = tmp_path_factory.mktemp("commands") / "db.sqlite3"
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin"),
        "PARTNERSKAP_COMMAND_TEST_DB": str(database),
        "DJANGO_SETTINGS_MODULE": "tests.apps.core.command_settings",
        "PYTHONPATH": str(ROOT),
    }
    done = subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return environment


def run(env: dict[str, str], *args: str, extra_env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**env, **(extra_env or {})},
        capture_output=True,
        text=True,
        timeout=120,
    )


BAD_INPUT = [
    # (arguments, what the Swedish message says)
    (["payment_plan"], "Argument saknas: agreement_id"),
    (["payment_plan", "abc"], "agreement_id ska vara ett heltal, inte ”abc”."),
    (["payment_plan", "999999"], "Det finns ingen överenskommelse med id 999999."),
    (["payment_plan", "1", "--format", "xml"], "”xml” är inget giltigt värde för --format; välj ett av: json."),
    (["commitments", "--from", "2024"], "Argument saknas: --to"),
    (["commitments", "--from", "tjugo", "--to", "2025"], "--from: ”tjugo” är inget årtal."),
    (["commitments", "--from", "2024", "--to", "99999"], "--to: året ska ligga mellan 1900 och 2200, inte 99999."),
    (["commitments", "--from", "2026", "--to", "2024"], "--to får inte vara före --from."),
    (["commitments", "--from", "2024", "--to", "2025", "--format", "csv"], "”csv” är inget giltigt värde för --format"),
    (
        ["export_register", "--format", "pdf"],
        "”pdf” är inget giltigt värde för --format; välj ett av: json, csv, xlsx.",
    ),
    (
        ["export_register", "--output", "/nonexistent-folder/register.json"],
        "Filen /nonexistent-folder/register.json kunde inte skrivas (mappen finns inte).",
    ),
    (["export_register", "--bogus"], "Okänt argument: --bogus."),
    (["import_agreement"], "Argument saknas: path"),
    (["import_agreement", "saknas.txt", "--json"], "Filen saknas.txt finns inte."),
    (["import_agreement", "README.md", "--json"], "Filformatet (.md) för README.md stöds inte."),
    (["import_agreement", str(SEED), "--indent", "två"], "--indent ska vara ett heltal, inte ”två”."),
    (["import_agreement", str(SEED), "--public-body", "999999"], "Det finns ingen offentlig organisation 999999"),
]


@pytest.mark.parametrize(("args", "message"), BAD_INPUT, ids=lambda v: " ".join(v) if isinstance(v, list) else "")
def test_bad_input_exits_2_with_a_swedish_message_and_nothing_on_stdout(env, args, message):
    done = run(env, *args)
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    assert message in done.stderr
    assert "Traceback" not in done.stderr and "CommandError" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_the_language_is_the_products_whatever_the_shell_says(env):
    done = run(env, "payment_plan", "999999", extra_env={"LANG": "en_US.UTF-8", "LANGUAGE": "en"})
    assert (done.returncode, done.stdout) == (2, "")
    assert "Det finns ingen överenskommelse med id 999999." in done.stderr


def test_good_input_still_prints_its_output_and_exits_0(env):
    done = run(env, "commitments", "--from", "2024", "--to", "2026")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []
    done = run(env, "export_register", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []


def test_an_unexpected_error_is_one_line_and_exit_1_and_traceback_on_request(env, tmp_path):
    # A database that is not migrated: the command cannot work, and says so without a traceback.
    broken = {"PARTNERSKAP_COMMAND_TEST_DB": str(tmp_path / "empty.sqlite3")}
    done = run(env, "payment_plan", "1", extra_env=broken)
    assert (done.returncode, done.stdout) == (1, "")
    assert "Kommandot avbröts på grund av ett internt fel (OperationalError)" in done.stderr
    assert "Traceback" not in done.stderr
    done = run(env, "payment_plan", "1", "--traceback", extra_env=broken)
    assert done.returncode == 1 and "Traceback" in done.stderr
