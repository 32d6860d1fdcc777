#!/usr/bin/env python
"""Fail when a user-facing string has no Swedish translation.

Every app keeps its own catalogue (apps/<app>/locale/sv/LC_MESSAGES/django.po); the project-level
strings live in locale/. For each catalogue the messages are re-extracted (makemessages), untranslated
and fuzzy entries are listed with msgattrib, and the .po file is put back exactly as it was, so running
the check never leaves a change behind.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECT_IGNORES = [".venv", "var", "apps/*", "tests/*", "domain/*", "bench/*", "scripts/*"]


def catalogues() -> list[tuple[Path, list[str]]]:
    found = [(ROOT, PROJECT_IGNORES)]
    for app in sorted((ROOT / "apps").iterdir()):
        if not app.name.startswith(("_", ".")) and (app / "locale").is_dir():
            found.append((app, []))
    return found


def check(directory: Path, ignores: list[str]) -> tuple[list[str], str]:
    po = directory / "locale" / "sv" / "LC_MESSAGES" / "django.po"
    original = po.read_bytes() if po.exists() else None
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "partnerskap.settings.test", "PYTHONPATH": str(ROOT)}
    # The django-admin script, not "python -m django": with cwd inside an app, an app module such as
    # selectors.py would shadow the standard library module of the same name.
    django_admin = [str(Path(sys.executable).parent / "django-admin")]
    try:
        subprocess.run([*django_admin, "makemessages", "-l", "sv", "-v0", *(f"--ignore={i}" for i in ignores)],
                       cwd=directory, env=env, check=True)
        if not po.exists():
            return [], "no messages"
        stats = subprocess.run(["msgfmt", "--statistics", "-o", os.devnull, str(po)], capture_output=True,
                               text=True, check=True).stderr.strip()
        pending = "".join(
            subprocess.run(["msgattrib", flag, "--no-obsolete", str(po)], capture_output=True, text=True,
                           check=True).stdout
            for flag in ("--untranslated", "--only-fuzzy")
        )
    finally:
        if original is None:
            po.unlink(missing_ok=True)
        else:
            po.write_bytes(original)
    return list(re.findall(r'^msgid "(.+)"$', pending, flags=re.M)), stats


def main() -> int:
    failed = False
    for directory, ignores in catalogues():
        problems, stats = check(directory, ignores)
        name = directory.relative_to(ROOT).as_posix() or "."
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
