# SPDX-License-Identifier: EUPL-1.2
"""`make lint` catches what it promises to: a wrong type in domain/, an import up a layer, an AGPL dependency.

Each check runs the real tool on a private copy of the tree with one deliberate fault added, so the
working tree is never touched; the unchanged copy passes, so the failure is the fault's.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
IGNORE = shutil.ignore_patterns(
    ".venv",
    "var",
    ".git",
    "__pycache__",
    "*.mo",
    ".hypothesis",
    ".mypy_cache",
    "node_modules",
    "tests",
    "static",
    "locale",
    "templates",
    "bench",
    "scripts",
)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    copy = tmp_path / "src"
    shutil.copytree(ROOT, copy, ignore=IGNORE)
    return copy


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=300)


def mypy_domain(cwd: Path) -> subprocess.CompletedProcess[str]:
    # domain/ alone, with the project's own configuration (its strict section for domain.*).
    return run([str(BIN / "mypy"), "--no-incremental", "--config-file", "pyproject.toml", "domain"], cwd)


def test_mypy_refuses_a_wrong_type_in_domain(tree: Path) -> None:
    (tree / "domain" / "lint_fault.py").write_text(
        '"""A deliberate fault."""\n\nfrom decimal import Decimal\n\n\n'
        "def base_amount() -> Decimal:\n    return None\n\n\ndef untyped(amount):\n    return amount\n"
    )
    result = mypy_domain(tree)
    assert result.returncode == 1, result.stdout
    assert (
        'domain/lint_fault.py:7: error: Incompatible return value type (got "None", expected "Decimal")'
        in result.stdout
    )
    assert "domain/lint_fault.py:10: error: Function is missing a type annotation" in result.stdout


def test_import_linter_refuses_an_import_up_a_layer_and_django_in_domain(tree: Path) -> None:
    assert run([str(BIN / "lint-imports"), "--no-cache"], tree).returncode == 0
    (tree / "apps" / "agreements" / "lint_fault.py").write_text("from apps.finance import models  # noqa\n")
    (tree / "domain" / "lint_fault.py").write_text("import django  # noqa\n")
    result = run([str(BIN / "lint-imports"), "--no-cache"], tree)
    assert result.returncode == 1, result.stdout
    assert "Layers point down BROKEN" in result.stdout
    assert "apps.agreements.lint_fault -> apps.finance.models" in result.stdout
    assert "Pure rules import no framework and no app BROKEN" in result.stdout
    assert "domain.lint_fault -> django" in result.stdout


def test_licence_check_refuses_agpl_and_unknown_licences(tmp_path: Path) -> None:
    listing = tmp_path / "licences.json"
    listing.write_text(
        json.dumps(
            [
                {"Name": "Django", "Version": "6.1", "License": "BSD-3-Clause"},
                {"Name": "psycopg", "Version": "3.3", "License": "LGPL-3.0-only"},
                {"Name": "PyMuPDF", "Version": "1.26", "License": "GNU AFFERO GPL 3.0"},
                {"Name": "mystery", "Version": "1.0", "License": "UNKNOWN"},
                {"Name": "some-gpl-lib", "Version": "1.0", "License": "GPL-3.0-or-later"},
            ]
        )
    )
    result = run([sys.executable, "scripts/check_licences.py", "--from-json", str(listing)], ROOT)
    assert result.returncode == 1
    assert "PyMuPDF" in result.stderr and "mystery" in result.stderr and "some-gpl-lib" in result.stderr
    assert "Django" not in result.stderr and "psycopg" not in result.stderr


def test_licence_check_passes_the_installed_dependencies() -> None:
    result = run([sys.executable, "scripts/check_licences.py"], ROOT)
    assert result.returncode == 0, result.stderr
