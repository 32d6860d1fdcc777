# SPDX-License-Identifier: EUPL-1.2
"""Hostile uploads against a running server: are they refused in seconds, with bounded memory, while the
server keeps answering everyone else?

Usage: python bench/hostile_uploads.py [--immediate] [--json] [--database-url URL]

It makes a throw-away installation (SQLite in a temp folder unless --database-url), loads the demo, starts
gunicorn (2 workers, as in production) and, unless --immediate, the task worker (``manage.py db_worker``,
the database backend). A case officer then uploads each hostile document (a .docx zip bomb, a .docx with
60 MB of XML, deep XML, entity expansion, a PDF whose stream inflates to 1.2 GB, and a real agreement for
comparison) through the upload page, while another user requests the agreement list without pause. For
each document it reports the upload request's time, the time until the draft was refused (or ready), the
reason shown, and the peak memory of the task worker and of the reader process under it; and for the
other user the number of requests, failures and p50/p95 latency meanwhile. ``--immediate`` is the quick
start's configuration: no worker, the task runs in the web process after the upload commits (the upload
request waits for it; the other gunicorn worker keeps answering).

Exit status 1 when a hostile document was not refused, a page answered 5xx, or another user's request failed.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.apps.documents import hostile  # noqa: E402

SEED = next((ROOT / "tests" / "domain" / "importer" / "fixtures" / "seeds").glob("003_*.txt"))
PASSWORD = "partnerskap-demo"
DOCUMENTS = [
    ("avtal.txt (a real agreement)", "avtal.txt", lambda: SEED.read_bytes(), False),
    ("zip bomb .docx (300 MB picture)", "bomb.docx", lambda: hostile.docx_zip_bomb(300), True),
    ("60 MB of XML .docx", "huge.docx", lambda: hostile.docx_huge_xml(60), True),
    ("deep XML .docx (200 000 levels)", "deep.docx", lambda: hostile.docx_deep_xml(200_000), True),
    ("entity expansion .docx", "laughs.docx", hostile.docx_entity_expansion, True),
    ("PDF bomb (stream inflates to 1.2 GB)", "bomb.pdf", lambda: hostile.pdf_bomb(1200), True),
]


@dataclass
class Outcome:
    document: str
    size_kb: float
    upload_ms: float
    refused_after_s: float | None
    status: str
    reason: str
    worker_peak_mb: float | None
    reader_peak_mb: float | None


@dataclass
class Others:
    requests: int = 0
    failures: int = 0
    latencies_ms: list[float] = field(default_factory=list)

    def summary(self) -> dict:
        ordered = sorted(self.latencies_ms) or [0.0]
        return {
            "requests": self.requests,
            "failures": self.failures,
            "p50_ms": round(statistics.median(ordered), 1),
            "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))], 1),
            "max_ms": round(ordered[-1], 1),
        }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Session:
    """A browser-like session: cookies, CSRF token from the page's form, no redirects followed."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):  # noqa: ANN002, ANN003
                return None

        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect())

    def request(self, path: str, data: bytes | None = None, headers: dict | None = None) -> tuple[int, str, dict]:
        req = urllib.request.Request(self.base + path, data=data, headers=headers or {})
        try:
            with self.opener.open(req, timeout=120) as response:
                return response.status, response.read().decode("utf-8", "replace"), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace"), dict(error.headers)

    def csrf(self, html: str) -> str:
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        if not match:
            raise RuntimeError("no CSRF token on the page")
        return match.group(1)

    def login(self, username: str) -> None:
        _status, html, _ = self.request("/logga-in/")
        body = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": self.csrf(html), "username": username, "password": PASSWORD}
        ).encode()
        status, _html, headers = self.request("/logga-in/", body, {"Referer": self.base + "/logga-in/"})
        if status != 302:
            raise RuntimeError(f"login as {username} failed ({status})")

    def upload(self, public_body: str, name: str, data: bytes) -> tuple[int, str, dict, float]:
        _status, html, _ = self.request("/import/ladda-upp/")
        boundary = uuid.uuid4().hex
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n{self.csrf(html)}\r\n',
            f'--{boundary}\r\nContent-Disposition: form-data; name="public_body"\r\n\r\n{public_body}\r\n',
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n",
        ]
        body = "".join(parts).encode() + data + f"\r\n--{boundary}--\r\n".encode()
        headers = {
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Referer": self.base + "/import/ladda-upp/",
        }
        started = time.perf_counter()
        status, page, response_headers = self.request("/import/ladda-upp/", body, headers)
        return status, page, response_headers, (time.perf_counter() - started) * 1000


def _rss_mb(pid: int, key: str = "VmRSS") -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def _children(pid: int) -> list[int]:
    """The process's children, started from any of its threads (the kernel lists them per thread)."""
    found: list[int] = []
    try:
        for thread in Path(f"/proc/{pid}/task").iterdir():
            try:
                found += [int(p) for p in (thread / "children").read_text().split()]
            except OSError:
                continue
    except OSError:
        return []
    return found


class MemoryWatch(threading.Thread):
    """Samples the resident memory of a process and of its children (the bounded reader) every 20 ms."""

    def __init__(self, pids: list[int]) -> None:
        super().__init__(daemon=True)
        self.pids, self.stop, self.own, self.child = pids, threading.Event(), 0.0, 0.0

    def run(self) -> None:
        while not self.stop.is_set():
            for pid in self.pids:
                self.own = max(self.own, _rss_mb(pid) or 0.0)
                below = _children(pid)
                while below:  # every process under it: the reader, also under a worker's own task process
                    child = below.pop()
                    self.child = max(self.child, _rss_mb(child) or 0.0)
                    below.extend(_children(child))
            time.sleep(0.02)


def _reason(html: str) -> str:
    match = re.search(r"<dt>(?:Skäl|Orsak|Reason)</dt><dd>(.*?)</dd>", html, re.S) or re.search(
        r"((?:Word-|PDF-)?[Ff]ilen [^<]+)", html
    )
    return re.sub(r"\s+", " ", match.group(1)).strip() if match else ""


def run(immediate: bool, database_url: str | None) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="partnerskap-hostile-"))
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "partnerskap.settings.dev",
            "PARTNERSKAP_VAR_DIR": str(folder),
            "PARTNERSKAP_TASK_BACKEND": "django.tasks.backends.immediate.ImmediateBackend"
            if immediate
            else "django_tasks_db.DatabaseBackend",
            "DEBUG": "0",
            "LOG_LEVEL": "WARNING",
        }
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    python = sys.executable
    for command in (["migrate", "--noinput", "-v0"], ["seed_demo", "--password", PASSWORD]):
        subprocess.run([python, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True)
    port = _free_port()
    server = subprocess.Popen(
        [python, "-m", "gunicorn", "partnerskap.wsgi", "-w", "2", "-b", f"127.0.0.1:{port}", "--timeout", "60"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    worker = None
    if not immediate:
        worker = subprocess.Popen(
            [python, "manage.py", "db_worker", "--interval", "0.2"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        officer, other = Session(base), Session(base)
        officer.login("handlaggare")
        other.login("controller")
        _status, page, _ = officer.request("/import/ladda-upp/")
        found = re.search(r'<select name="public_body"[^>]*>.*?<option value="(\d+)"', page, re.S)
        if found is None:
            raise RuntimeError("the upload page offers no public body")
        body_id = found.group(1)

        others, stop = Others(), threading.Event()

        def keep_asking() -> None:
            while not stop.is_set():
                started = time.perf_counter()
                status, _html, _ = other.request("/avtal/")
                others.latencies_ms.append((time.perf_counter() - started) * 1000)
                others.requests += 1
                others.failures += status != 200

        asking = threading.Thread(target=keep_asking, daemon=True)
        asking.start()
        watched = [worker.pid] if worker else _children(server.pid)
        outcomes: list[Outcome] = []
        for label, name, make, _hostile in DOCUMENTS:
            data = make()
            watch = MemoryWatch(watched)
            watch.start()
            started = time.perf_counter()
            status, html, headers, upload_ms = officer.upload(body_id, name, data)
            refused_after, state, reason = None, "?", ""
            if status == 400:  # the quick start: read at once, refused on the form
                refused_after, state, reason = time.perf_counter() - started, "failed", _reason(html)
            elif status == 302:
                location = urllib.parse.urlsplit(headers["Location"]).path
                while time.perf_counter() - started < 120:
                    _s, page, _ = officer.request(location)
                    if 'id="reading-status"' not in page:
                        refused_after = time.perf_counter() - started
                        state = "failed" if "<dd>Kunde inte läsas</dd>" in page else "ready"
                        reason = _reason(page)
                        break
                    time.sleep(0.1)
            else:
                state = f"HTTP {status}"
            watch.stop.set()
            watch.join()
            outcomes.append(
                Outcome(
                    document=label,
                    size_kb=round(len(data) / 1024, 1),
                    upload_ms=round(upload_ms, 1),
                    refused_after_s=round(refused_after, 2) if refused_after is not None else None,
                    status=state,
                    reason=reason[:160],
                    worker_peak_mb=round(watch.own, 1),
                    reader_peak_mb=round(watch.child, 1),
                )
            )
        stop.set()
        asking.join(timeout=30)
    finally:
        for process in (worker, server):
            if process is not None:
                process.terminate()
                process.wait(timeout=30)
    problems = [
        o.document for o, (_l, _n, _m, bad) in zip(outcomes, DOCUMENTS, strict=True) if bad and o.status != "failed"
    ]
    problems += [o.document for o in outcomes if o.status.startswith("HTTP 5")]
    return {
        "configuration": "immediate (quick start)" if immediate else "database backend + db_worker",
        "database": "PostgreSQL" if database_url else "SQLite",
        "documents": [asdict(o) for o in outcomes],
        "other_user_during": others.summary(),
        "problems": problems + (["another user's request failed"] if others.failures else []),
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--immediate", action="store_true", help="the quick start's configuration (no worker)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    args = parser.parse_args(argv)
    result = run(args.immediate, args.database_url)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print(f"{result['configuration']}, {result['database']}")
        print(f"{'document':<40} {'kB':>7} {'upload ms':>10} {'done s':>7} {'worker MB':>10} {'reader MB':>10}  status")
        for o in result["documents"]:
            print(
                f"{o['document']:<40} {o['size_kb']:>7} {o['upload_ms']:>10} {o['refused_after_s']!s:>7} "
                f"{o['worker_peak_mb']!s:>10} {o['reader_peak_mb']!s:>10}  {o['status']}: {o['reason'][:70]}"
            )
        print("another user meanwhile:", result["other_user_during"])
        if result["problems"]:
            print("PROBLEMS:", result["problems"])
    return 1 if result["problems"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
