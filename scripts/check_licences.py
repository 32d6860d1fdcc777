#!/usr/bin/env python
# SPDX-License-Identifier: EUPL-1.2
"""Fail when an installed dependency's licence does not allow distributing Partnerskap under EUPL-1.2.

Reads every installed distribution's licence with pip-licenses and applies the policy below: permissive
licences, weak copyleft (LGPL, MPL, EUPL) and public-domain dedications pass; network copyleft (AGPL,
SSPL), source-available licences (BUSL, Commons Clause) and unknown licences fail; strong copyleft (GPL)
fails too unless the package is a development tool that is never shipped with the product, reviewed by
name in REVIEWED with the reason. ``--from-json FILE`` checks a pip-licenses JSON list instead of the
installed packages (used by the tests to show that an AGPL dependency fails the check).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Licence families, matched case-insensitively against each part of the licence expression.
REFUSED = [
    r"\bAGPL",
    r"Affero",
    r"\bSSPL",
    r"Server Side Public",
    r"\bBUSL",
    r"Business Source",
    r"Commons Clause",
    r"Elastic License",
    r"Non-?Commercial",
]
STRONG_COPYLEFT = [r"(?<!L)GPL", r"(?<!Lesser )General Public License"]
ALLOWED = [
    r"\bMIT\b",
    r"\bBSD\b",
    r"\bBSD-\d",
    r"0BSD",
    r"Apache",
    r"\bISC\b",
    r"\bPSF\b",
    r"Python Software Foundation",
    r"\bHPND\b",
    r"\bZlib\b",
    r"\bCC0\b",
    r"Unlicense",
    r"Public Domain",
    r"\bLGPL",
    r"Lesser General Public",
    r"\bMPL\b",
    r"Mozilla Public",
    r"\bEUPL\b",
    r"CNRI-Python",
    r"MIT-CMU",
    r"MIT-0",
    r"dependency licenses",
    r"Historical Permission",
]

# Reviewed by hand: package name -> (licence as read from its own files, why it is acceptable).
REVIEWED: dict[str, tuple[str, str]] = {
    "axe-playwright-python": ("MIT", "its LICENSE file is MIT; the package metadata lacks the licence field"),
    "djlint": (
        "GPL-3.0-or-later",
        "a template linter run in development and CI; never shipped with or linked into the product",
    ),
}


def parts(expression: str) -> list[str]:
    return [p.strip() for p in re.split(r"\s+(?:AND|OR|WITH)\s+|[,;/]|\n", expression) if p.strip()]


def verdict(name: str, licence: str) -> str | None:
    """None when the package may be used, otherwise why not."""
    reviewed = REVIEWED.get(name.lower())
    if any(re.search(p, licence, re.I) for p in REFUSED):
        return f"{licence}: network copyleft or source-available licences are not compatible with distribution"
    if reviewed is not None:
        return None
    if any(re.search(p, licence, re.I) for p in STRONG_COPYLEFT):
        return f"{licence}: strong copyleft; only reviewed development tools may carry it (see REVIEWED)"
    pieces = parts(licence)
    if not pieces or licence.strip().upper() in {"UNKNOWN", "LICENSE", "OTHER/PROPRIETARY LICENSE"}:
        return f"{licence or 'no licence'}: unknown licence; read the package's licence file and add it to REVIEWED"
    unknown = [p for p in pieces if not any(re.search(a, p, re.I) for a in ALLOWED)]
    if unknown:
        return f"{licence}: unrecognised licence part(s) {unknown}; review it and extend ALLOWED or REVIEWED"
    return None


def installed() -> list[dict[str, str]]:
    pip_licenses = Path(sys.executable).parent / "pip-licenses"
    out = subprocess.run(
        [str(pip_licenses), "--format=json", "--from=mixed"], capture_output=True, text=True, check=True
    ).stdout
    return json.loads(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from-json", type=Path, help="check this pip-licenses JSON list instead")
    args = parser.parse_args(argv)
    packages = json.loads(args.from_json.read_text()) if args.from_json else installed()
    problems = [(p["Name"], v) for p in packages if (v := verdict(p["Name"], p["License"]))]
    vendor = sorted(d.name for d in (ROOT / "static" / "vendor").iterdir() if d.is_dir()) if not args.from_json else []
    missing = [d for d in vendor if not any((ROOT / "static" / "vendor" / d).glob("LICENSE*"))]
    for name, why in problems:
        print(f"licence check: {name}: {why}", file=sys.stderr)
    for name in missing:
        print(f"licence check: static/vendor/{name} has no LICENSE file beside it", file=sys.stderr)
    if problems or missing:
        return 1
    print(f"licence check: {len(packages)} dependencies and {len(vendor)} vendored assets compatible with EUPL-1.2")
    return 0


if __name__ == "__main__":
    sys.exit(main())
