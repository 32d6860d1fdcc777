# SPDX-License-Identifier: EUPL-1.2
"""Every app and every domain module says, in its opening docstring, what it holds and what it may import."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MODULES = sorted([*ROOT.glob("apps/*/__init__.py"), *(ROOT / "domain").rglob("*.py")])


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_the_module_opens_with_what_it_holds_and_may_import(path: Path) -> None:
    docstring = ast.get_docstring(ast.parse(path.read_text()))
    assert docstring, f"{path.relative_to(ROOT)}: start with a docstring saying what the module holds"
    summary, *rest = docstring.splitlines()
    assert summary.strip(), "the first line says what the module holds"
    assert "May import:" in docstring, f"{path.relative_to(ROOT)}: say what it may import ('May import: …')"


def test_every_app_is_in_the_layers_contract() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    layers = next(c["layers"] for c in config if c["type"] == "layers")
    modules = {m.strip() for layer in layers for m in layer.split("|")}
    for app in sorted(p.parent.name for p in ROOT.glob("apps/*/__init__.py")):
        assert f"apps.{app}" in modules, f"apps.{app} is missing from the layers contract in pyproject.toml"
