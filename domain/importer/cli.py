"""Command-line entry: ``python -m domain.importer PATH [--json]``.

A file prints one JSON draft and exits 0; a failure prints a Swedish message on stderr, nothing on
stdout, and exits 2. A directory prints a JSON list of ``{"path", "ok", "draft" | "error"}`` and exits
0 when every file was imported, 1 when some failed and 2 when none could be imported.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any, TextIO

from domain.importer.errors import ImportFailure
from domain.importer.service import import_directory, import_path


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise ImportFailure(f"Felaktiga argument: {message}")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="import_agreement", description="Läs en IOP-överenskommelse och skriv ett utkast som JSON.",
                     add_help=False)
    parser.add_argument("path", help="en .txt-, .pdf- eller .docx-fil, eller en mapp")
    parser.add_argument("--json", action="store_true", help="skriv utkastet som JSON (standard)")
    parser.add_argument("--indent", type=int, default=None, help="indrag i JSON-utskriften")
    parser.add_argument("--no-evidence", action="store_true", help="utelämna källstyckena (evidence)")
    return parser


def main(argv: list[str], stdout: TextIO, stderr: TextIO) -> int:
    try:
        args = _parser().parse_args(argv)
    except ImportFailure as failure:
        print(failure.message, file=stderr)
        return 2
    path = Path(args.path)
    if path.is_dir():
        return _run_directory(path, args, stdout, stderr)
    try:
        draft = import_path(path)
    except ImportFailure as failure:
        print(failure.message, file=stderr)
        return 2
    if args.no_evidence:
        draft.pop("evidence", None)
    stdout.write(json.dumps(draft, ensure_ascii=False, indent=args.indent) + "\n")
    return 0


def _run_directory(path: Path, args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    results: list[dict[str, Any]] = []
    failures = 0
    for file, outcome in import_directory(path):
        if isinstance(outcome, ImportFailure):
            failures += 1
            print(outcome.message, file=stderr)
            results.append({"path": str(file), "ok": False, "error": outcome.message})
        else:
            if args.no_evidence:
                outcome.pop("evidence", None)
            results.append({"path": str(file), "ok": True, "draft": outcome})
    if not results:
        print(f"Mappen {path.name} innehåller inga .txt-, .pdf- eller .docx-filer.", file=stderr)
        return 2
    stdout.write(json.dumps(results, ensure_ascii=False, indent=args.indent) + "\n")
    if failures == 0:
        return 0
    return 2 if failures == len(results) else 1
