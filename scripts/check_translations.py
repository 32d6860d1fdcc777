#!/usr/bin/env python
"""Fail when a user-facing string has no Swedish translation.

Re-extracts the messages (makemessages), counts untranslated and fuzzy entries with msgfmt, then puts
the .po file back exactly as it was, so running the check never leaves a change behind.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "sv" / "LC_MESSAGES" / "django.po"


def main() -> int:
    original = PO.read_bytes()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "partnerskap.settings.test"}
    try:
        subprocess.run(
            [sys.executable, "manage.py", "makemessages", "-l", "sv", "--ignore=.venv", "--ignore=var",
             "--ignore=tests/*", "--ignore=domain/*", "--ignore=bench/*", "-v0"],
            cwd=ROOT, env=env, check=True,
        )
        stats = subprocess.run(["msgfmt", "--statistics", "-o", os.devnull, str(PO)], capture_output=True, text=True,
                               check=True).stderr
        untranslated = subprocess.run(["msgattrib", "--untranslated", "--no-obsolete", str(PO)], capture_output=True,
                                      text=True, check=True).stdout
        fuzzy = subprocess.run(["msgattrib", "--only-fuzzy", "--no-obsolete", str(PO)], capture_output=True,
                               text=True, check=True).stdout
    finally:
        PO.write_bytes(original)
    problems = list(re.findall(r'^msgid "(.+)"$', untranslated + fuzzy, flags=re.M))
    if problems:
        print("Strings without a Swedish translation (locale/sv/LC_MESSAGES/django.po):")
        for msgid in problems:
            print(f"  {msgid}")
        return 1
    print(f"Translations complete: {stats.strip()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
