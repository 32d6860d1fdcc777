#!/usr/bin/env python
# SPDX-License-Identifier: EUPL-1.2
"""Check the pinned requirements for known vulnerabilities with pip-audit.

Fails (exit 1) when a pinned dependency has a known vulnerability. When the vulnerability service
cannot be reached (this machine may reach the package index but not its JSON API), it says so loudly
and names how many dependencies went unaudited: a skip is printed as a skip, never as a pass.
``PARTNERSKAP_AUDIT_STRICT=1`` turns a skip into a failure (for a release pipeline with network).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(service: str) -> dict[str, object] | None:
    pip_audit = Path(sys.executable).parent / "pip-audit"
    try:
        done = subprocess.run(
            [
                str(pip_audit),
                "-r",
                str(ROOT / "requirements.txt"),
                "--no-deps",
                "--disable-pip",
                "--format",
                "json",
                "--progress-spinner",
                "off",
                "--vulnerability-service",
                service,
                "--timeout",
                "20",
            ],
            capture_output=True,
            text=True,
            timeout=180,
        )
    except subprocess.TimeoutExpired:
        return None
    try:
        return json.loads(done.stdout)
    except json.JSONDecodeError:
        return None


def main() -> int:
    for service in ("pypi", "osv"):
        report = run(service)
        if report is None:
            continue
        deps = report.get("dependencies", [])
        assert isinstance(deps, list)
        audited = [d for d in deps if "skip_reason" not in d]
        if not audited:
            continue
        vulnerable = [d for d in audited if d.get("vulns")]
        for dep in vulnerable:
            ids = ", ".join(v["id"] for v in dep["vulns"])
            print(f"pip-audit: {dep['name']} {dep['version']} has known vulnerabilities: {ids}", file=sys.stderr)
        skipped = len(deps) - len(audited)
        note = f" ({skipped} not audited)" if skipped else ""
        if vulnerable:
            return 1
        print(f"pip-audit ({service}): no known vulnerabilities in {len(audited)} pinned dependencies{note}")
        return 0
    message = (
        "pip-audit: SKIPPED - no vulnerability service (PyPI JSON API, OSV) could be reached from this "
        "machine; the pinned requirements were NOT audited. Run `make audit` where the network allows."
    )
    print(message, file=sys.stderr)
    return 1 if os.environ.get("PARTNERSKAP_AUDIT_STRICT") == "1" else 0


if __name__ == "__main__":
    sys.exit(main())
