#!/usr/bin/env python
# SPDX-License-Identifier: EUPL-1.2
"""Fail when a user-facing string has no Swedish translation.

Every app keeps its own catalogue (apps/<app>/locale/sv/LC_MESSAGES/django.po); the project-level
strings live in locale/. The check works on a private copy of the source tree: each catalogue is
re-extracted there (makemessages) and its untranslated and fuzzy entries listed with msgattrib, so
running the check never touches the working tree (not even briefly, while someone else edits a .po file).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECT_IGNORES = [".venv", "var", "apps/*", "tests/*", "domain/*", "bench/*", "scripts/*"]


COPY_IGNORES = shutil.ignore_patterns(".venv", "var", ".git", "__pycache__", "*.mo", ".hypothesis", "node_modules")


def catalogues(root: Path) -> list[tuple[Path, list[str]]]:
    found = [(root, PROJECT_IGNORES)]
    for app in sorted((root / "apps").iterdir()):
        if not app.name.startswith(("_", ".")) and (app / "locale").is_dir():
            found.append((app, []))
    return found


def check(root: Path, directory: Path, ignores: list[str]) -> tuple[list[str], str]:
    po = directory / "locale" / "sv" / "LC_MESSAGES" / "django.po"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "partnerskap.settings.test", "PYTHONPATH": str(root)}
    # The django-admin script, not "python -m django": with cwd inside an app, an app module such as
    # selectors.py would shadow the standard library module of the same name.
    django_admin = [str(Path(sys.executable).parent / "django-admin")]
    subprocess.run(
        [*django_admin, "makemessages", "-l", "sv", "-v0", *(f"--ignore={i}" for i in ignores)],
        cwd=directory,
        env=env,
        check=True,
    )
    if not po.exists():
        return [], "no messages"
    stats = subprocess.run(
        ["msgfmt", "--statistics", "-o", os.devnull, str(po)], capture_output=True, text=True, check=True
    ).stderr.strip()
    pending = "".join(
        subprocess.run(["msgattrib", flag, "--no-obsolete", str(po)], capture_output=True, text=True, check=True).stdout
        for flag in ("--untranslated", "--only-fuzzy")
    )
    return pending_msgids(pending), stats


def pending_msgids(po_text: str) -> list[str]:
    """The msgids in msgattrib's output, also those wrapped over several lines (msgid "" "…" "…")."""
    found = []
    for first, rest in re.findall(r'^msgid "(.*)"\n((?:".*"\n)*)', po_text, flags=re.M):
        msgid = first + "".join(re.findall(r'^"(.*)"$', rest, flags=re.M))
        if msgid:  # the header entry has an empty msgid
            found.append(msgid)
    return found


def main() -> int:
    failed = False
    with tempfile.TemporaryDirectory(prefix="partnerskap-i18n-") as tmp:
        root = Path(tmp) / "src"
        shutil.copytree(ROOT, root, ignore=COPY_IGNORES)
        results = [(d.relative_to(root).as_posix() or ".", *check(root, d, i)) for d, i in catalogues(root)]
    for name, problems, stats in results:
        if not problems and ("untranslated" in stats or "fuzzy" in stats):
            problems = [f"(msgfmt counts: {stats})"]
        if problems:
            failed = True
            print(f"{name}: strings without a Swedish translation (locale/sv/LC_MESSAGES/django.po):")
            for msgid in problems:
                print(f"  {msgid}")
        else:
            print(f"{name}: {stats}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
