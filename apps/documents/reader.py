# SPDX-License-Identifier: EUPL-1.2
"""Reading an uploaded document in a separate, bounded process.

An uploaded file is untrusted: a small .docx can unpack to hundreds of megabytes, a 1 MB PDF can hold a
stream that inflates to gigabytes, and a parser may loop. The file is therefore never parsed in the web
or task worker's own process. :func:`read_bounded` starts ``python -m apps.documents.reader`` with a
memory limit (address space) and a CPU limit that the child sets on itself before it imports a parser,
waits at most a wall-clock limit, and turns every way the child can end into a draft or an
:class:`~domain.importer.ImportFailure` (``importer.too_slow``, ``importer.too_much_memory``, ...).

The child imports only the standard library and :mod:`domain.importer` (no Django, no database): it gets
a path and answers one JSON document on stdout.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from domain.importer import ImportFailure

_ROOT = Path(__file__).resolve().parents[2]
_OUT_OF_MEMORY = 3  # the child's exit status after a MemoryError


@dataclass(frozen=True)
class Limits:
    memory_mb: int = 768
    seconds: int = 30


def read_bounded(data: bytes, name: str, limits: Limits) -> tuple[dict[str, Any], str]:
    """The importer's draft and the normalised text of ``data`` (a file called ``name``), read in a child
    process within ``limits``; :class:`ImportFailure` when it cannot be read or exceeds them."""
    with tempfile.TemporaryDirectory(prefix="partnerskap-import-") as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        command = [sys.executable, "-m", "apps.documents.reader", str(path), str(limits.memory_mb), str(limits.seconds)]
        environment = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE"))}
        environment["PYTHONPATH"] = str(_ROOT)
        try:
            child = subprocess.run(  # noqa: S603 - our own interpreter and module, the path is ours
                command,
                capture_output=True,
                timeout=limits.seconds + 5,  # the CPU limit stops a busy child; this one a child that waits
                cwd=folder,
                env=environment,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise ImportFailure("importer.too_slow", name=name, seconds=limits.seconds) from exc
    return _answer(child, name, limits)


def _answer(child: subprocess.CompletedProcess[bytes], name: str, limits: Limits) -> tuple[dict[str, Any], str]:
    if child.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        raise ImportFailure("importer.too_slow", name=name, seconds=limits.seconds)
    if child.returncode == _OUT_OF_MEMORY:
        raise ImportFailure("importer.too_much_memory", name=name, megabytes=limits.memory_mb)
    try:
        answer = json.loads(child.stdout)
    except ValueError:
        answer = None
    if child.returncode != 0 or not isinstance(answer, dict):
        tail = child.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [f"exit {child.returncode}"]
        raise ImportFailure("importer.internal_error", name=name, error=tail[0][:200])
    if "failure" in answer:
        failure = answer["failure"]
        raise ImportFailure(failure["code"], **failure["params"])
    return answer["draft"], answer["text"]


def _limit_self(memory_mb: int, seconds: int) -> None:
    import resource

    memory = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def main(argv: list[str]) -> int:
    """The child: read one file and print ``{"draft", "text"}`` or ``{"failure": {"code", "params"}}``."""
    path, memory_mb, seconds = Path(argv[0]), int(argv[1]), int(argv[2])
    _limit_self(memory_mb, seconds)
    try:
        from domain.importer import looks_like_agreement, normalize_text, parse_text, read_document

        raw = read_document(path)  # once: what import_path does, keeping the text for the review
        draft = parse_text(raw)
        if not looks_like_agreement(draft, raw):
            raise ImportFailure("importer.not_an_agreement", name=path.name)
        answer: dict[str, Any] = {"draft": draft, "text": normalize_text(raw)}
    except ImportFailure as failure:
        answer = {"failure": {"code": failure.code, "params": dict(failure.params)}}
    except MemoryError:
        return _OUT_OF_MEMORY
    except Exception as exc:  # noqa: BLE001 - a parser bug on one file becomes that file's failure
        answer = {
            "failure": {"code": "importer.internal_error", "params": {"name": path.name, "error": type(exc).__name__}}
        }
    try:
        sys.stdout.write(json.dumps(answer, ensure_ascii=False, default=str))
    except MemoryError:
        return _OUT_OF_MEMORY
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
