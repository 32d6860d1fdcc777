#!/usr/bin/env python
# SPDX-License-Identifier: EUPL-1.2
"""Every source file of the project carries its SPDX licence identifier (EUPL-1.2) near its top.

`python scripts/check_spdx.py` lists the files without it and fails; `--fix` adds the line (after a
shebang). Covers the project's own Python, JavaScript and CSS; vendored assets keep their own licences.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IDENTIFIER = "SPDX-License-Identifier: EUPL-1.2"
COMMENT = {".py": "# {}", ".js": "// {}", ".css": "/* {} */"}


def source_files() -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return sorted(
        ROOT / name
        for name in listed
        if Path(name).suffix in COMMENT and not name.startswith("static/vendor/") and (ROOT / name).exists()
    )


def has_identifier(path: Path) -> bool:
    return any(IDENTIFIER in line for line in path.read_text(encoding="utf-8").splitlines()[:3])


def add_identifier(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    line = COMMENT[path.suffix].format(IDENTIFIER) + "\n"
    if text.startswith("#!"):
        first, _, rest = text.partition("\n")
        path.write_text(f"{first}\n{line}{rest}", encoding="utf-8")
    else:
        path.write_text(line + text, encoding="utf-8")


def main(argv: list[str]) -> int:
    missing = [p for p in source_files() if not has_identifier(p)]
    if "--fix" in argv:
        for path in missing:
            add_identifier(path)
        return 0
    for path in missing:
        print(
            f"{path.relative_to(ROOT)}: no '{IDENTIFIER}' in its first lines (scripts/check_spdx.py --fix)",
            file=sys.stderr,
        )
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
