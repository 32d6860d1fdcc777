# SPDX-License-Identifier: EUPL-1.2
"""The national-scale benchmark: build a register of N agreements, then measure every main page, export and command.

Usage: python bench/scale.py --agreements N [--json] [--http] [--keep] [--sample S] [--requests R] [--seconds S]

The register is built on a throw-away database of the configured server: with DATABASE_URL (postgres://…) a new
database ``partnerskap_bench_<pid>`` on it, otherwise SQLite in a temporary directory; dropped afterwards unless
--keep. What it holds and how it is built: bench/scale_world.py (a sample through the real services, the rest in
bulk with plans from the same domain functions; a few bulk agreements are rebuilt through the services and
compared row by row, and the run stops with exit status 3 if anything differs).

Then, in one run:

* every main page and export, as a case officer and a controller of one municipality (and a superuser, the
  national index keeper or a partner where it matters): the number of queries (counted by an execute wrapper on the
  first request, which is also the warm-up) and p50/p95 of the following requests in-process (django.test.Client;
  up to --requests, at least 3, within --seconds per page);
* with --http, the same pages against gunicorn (2 sync workers, ``gunicorn partnerskap.wsgi`` on a free port of
  127.0.0.1, the same database and settings, signed in by session cookie): requests/s and p50/p95 at concurrency
  1 and 8 for --http-seconds each, beside a bare signed-in view on the same stack (bench/scale_urls.py, only in the
  benchmark's URLs); ``rps`` is at concurrency 8 and ``ratio`` is the page's rps over the bare view's; the
  workers' resident memory after each page;
* the commands, each as a subprocess (``python manage.py …`` on the bench database, so their start-up counts):
  ``payment_plan``, ``commitments`` for five years, ``export_register`` (json, csv, xlsx) and a command's bare
  start-up (``payment_plan`` of a missing id); and, through the services in a subprocess, entering an index value
  (``index_value_save`` on the national PKV: a new forecast, and a forecast corrected to the published value) and
  one document import (``importdraft_import`` of seeds/003_*.txt). ``seconds`` is the subprocess's wall time for a
  command and the service call's for a service (``wall_seconds`` is then the whole subprocess), ``peak_mb`` the
  subprocess's peak resident memory (ru_maxrss from wait4: its largest process, descendants included). After an
  index value, ``recalculation_seconds`` is the time a task worker (``db_worker --batch``) takes for what the
  entry queued.

The cache is production's: Redis at CACHE_URL (default redis://127.0.0.1:6379/0) under a key prefix of the run's
own, removed afterwards; ``CACHE_URL=dummy:// python bench/scale.py …`` measures without it. A page's
``queries`` and ``first_ms`` are its first request's (nothing of it cached yet), p50/p95 those of the requests
after it.

--json prints ``{"agreements": N, "pages": {name: {"queries", "p50_ms", "p95_ms", "rps", "ratio", …}}, "commands":
{name: {"seconds", "peak_mb", …}}, …}`` (rps and ratio null without --http); without it, a table. Page names are
``<page>/<user>``. Progress goes to stderr. Exit status: 0; 1 when a page, export or command failed (its error
is in the output); 3 when the bulk agreements differ from the services'.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.parse
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SETTINGS = "bench.scale_settings"
BARE_URL = "/bench/bare/"
SEED_003 = next((ROOT / "tests" / "domain" / "importer" / "fixtures" / "seeds").glob("003_*.txt"))
HTTP_TIMEOUT = 120  # seconds a load-generator request waits (gunicorn's own worker timeout is 30 s)


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# Settings, database and subprocess environment ----------------------------------------------------------------


class Bench:
    """One run: the temporary directory, the bench database and the environment every subprocess gets."""

    def __init__(self, database_url: str | None, keep: bool) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix="partnerskap-bench-"))
        (self.tmp / "staticfiles").mkdir()  # STATIC_ROOT: nothing collected, no page needs it
        self.keep = keep
        self.database_url = database_url
        self.secret = secrets.token_urlsafe(48)
        self.db_name = ""
        self.old_name = ""
        # Production caches in Redis (CACHE_URL): the benchmark too, under a key prefix of its own (its ids are
        # those of a throw-away database: another run's values must never be read). "dummy://" measures without.
        self.cache_url = os.environ.get("CACHE_URL", "redis://127.0.0.1:6379/0")
        self.cache_prefix = f"partnerskap-bench-{os.getpid()}-{secrets.token_hex(4)}"

    def base_env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "PARTNERSKAP_TASK_BACKEND")}
        env.update(
            DJANGO_SETTINGS_MODULE=SETTINGS,
            PARTNERSKAP_VAR_DIR=str(self.tmp),
            SECRET_KEY=self.secret,
            SECURE_SSL_REDIRECT="0",
            LOG_LEVEL=os.environ.get("LOG_LEVEL", "ERROR"),
            PYTHONPATH=os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]),
            CACHE_URL=self.cache_url,
            CACHE_KEY_PREFIX=self.cache_prefix,
        )
        return env

    def child_env(self, *, pool: bool = False) -> dict[str, str]:
        """For gunicorn and the command subprocesses: the bench database, production's task backend."""
        env = self.base_env()
        if self.database_url:
            parts = urllib.parse.urlsplit(self.database_url)
            env["DATABASE_URL"] = urllib.parse.urlunsplit(parts._replace(path="/" + self.db_name))
            env["DATABASE_POOL"] = "1" if pool else "0"
        return env

    def setup(self) -> None:
        """Django in this process on a new, migrated bench database."""
        os.environ.update(self.base_env())
        # This process builds through the services: tasks they queue after commit run at once, as in the quick
        # start, so the register is complete when the measuring begins. The subprocesses and gunicorn keep
        # production's database task backend.
        os.environ["PARTNERSKAP_TASK_BACKEND"] = "django.tasks.backends.immediate.ImmediateBackend"
        if self.database_url:
            os.environ["DATABASE_URL"] = self.database_url
            os.environ["DATABASE_POOL"] = "0"
        else:
            os.environ.pop("DATABASE_URL", None)
        import django

        django.setup()
        from django.db import connection

        if connection.vendor == "sqlite":
            self.db_name = str(self.tmp / "partnerskap.sqlite3")  # where the subprocesses' settings look
        else:
            self.db_name = f"partnerskap_bench_{os.getpid()}"
        connection.settings_dict.setdefault("TEST", {})["NAME"] = self.db_name
        progress(f"creating the bench database {self.db_name} ({connection.vendor}) and migrating it")
        self.old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)

    def clear_cache(self) -> None:
        """Drop this run's cached values (its own key prefix only)."""
        if not self.cache_url.startswith(("redis://", "rediss://", "unix://")):
            return
        try:
            import redis

            client = redis.Redis.from_url(self.cache_url, socket_connect_timeout=1, socket_timeout=5)
            keys = list(client.scan_iter(match=f"{self.cache_prefix}:*", count=1000))
            if keys:
                client.delete(*keys)
        except Exception as exc:  # noqa: BLE001 - a cache that cannot be reached holds nothing of this run
            progress(f"the bench's cached values were not removed: {exc}")

    def teardown(self) -> None:
        from django.db import connection

        self.clear_cache()

        if self.keep:
            progress(f"kept: database {self.db_name}, directory {self.tmp}")
            return
        if self.old_name:
            connection.creation.destroy_test_db(self.old_name, verbosity=0)
        shutil.rmtree(self.tmp, ignore_errors=True)


# In-process measurements ---------------------------------------------------------------------------------------


class QueryCounter:
    """An execute wrapper that counts the queries run (CaptureQueriesContext keeps at most 9 000 of them)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
        self.count += 1
        return execute(sql, params, many, context)


def percentile(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile in milliseconds (None without values)."""
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[max(0, math.ceil(q * len(ordered)) - 1)] * 1000, 1)


def _read(response: Any) -> int:
    """Read the whole body (a streamed one too, so its queries and time count) and return its size."""
    if getattr(response, "streaming", False):
        return sum(len(chunk) for chunk in response.streaming_content)
    return len(response.content)


def measure_in_process(client: Any, url: str, *, requests: int, seconds: float) -> dict[str, Any]:
    from django.db import connection

    captured = QueryCounter()
    with connection.execute_wrapper(captured):
        started = time.perf_counter()
        response = client.get(url)
        size = _read(response)
        first = time.perf_counter() - started
    result: dict[str, Any] = {"status": response.status_code, "queries": captured.count, "bytes": size}
    result["first_ms"] = round(first * 1000, 1)
    exc_info = getattr(response, "exc_info", None)
    if exc_info:
        result["error"] = "".join(traceback.format_exception_only(exc_info[1])).strip()
    times: list[float] = []
    deadline = time.perf_counter() + seconds
    while len(times) < requests and (len(times) < 3 or time.perf_counter() < deadline):
        started = time.perf_counter()
        _read(client.get(url))
        times.append(time.perf_counter() - started)
    result.update(p50_ms=percentile(times, 0.5), p95_ms=percentile(times, 0.95), n=len(times))
    return result


def page_list(world: Any) -> list[tuple[str, str, str]]:
    """(page, user, URL) of every main page and export measured, the agreement pages on the measured agreement."""
    from django.urls import NoReverseMatch, reverse
    from django.utils import timezone

    from apps.agreements.models import Agreement

    pk, this_year = world.agreement_id, timezone.localdate().year
    register = reverse("agreements:list")
    last_page = max(1, math.ceil(Agreement.objects.count() / 25))
    quote = urllib.parse.quote
    pages: list[tuple[str, str, str]] = [("bare", "officer", BARE_URL)]
    pages += [("agreement_list", user, register) for user in ("officer", "controller", "superuser", "partner")]
    pages += [("agreement_search", user, f"{register}?q={quote(world.search)}") for user in ("officer", "superuser")]
    filtered = f"{register}?status=active&year={this_year}&sort=title"
    pages += [("agreement_list_filtered", user, filtered) for user in ("officer", "superuser")]
    pages += [("agreement_list_last_page", "superuser", f"{register}?page={last_page}")]
    pages += [("agreement", user, reverse("agreements:detail", args=[pk])) for user in ("officer", "controller")]
    pages += [("agreement_money", user, reverse("finance:agreement", args=[pk])) for user in ("officer", "controller")]
    pages += [
        ("agreement_history", "officer", reverse("agreements:history", args=[pk])),
        ("agreement_edit", "officer", reverse("agreements:edit", args=[pk])),
        ("agreement_new", "officer", reverse("agreements:create")),
        ("money_terms_form", "officer", reverse("finance:terms", args=[pk])),
        ("portfolio", "controller", reverse("finance:portfolio")),
        ("portfolio", "superuser", reverse("finance:portfolio")),
        ("index_list", "controller", reverse("finance:index")),
        ("index_list", "keeper", reverse("finance:index")),
        ("index_value_form", "keeper", reverse("finance:index_value_add", args=[world.series.pk])),
        ("organisation_list", "officer", reverse("organisations:list")),
        ("organisation_list", "superuser", reverse("organisations:list")),
        ("organisation_municipality", "officer", reverse("organisations:detail", args=[world.tenant.body.pk])),
        ("organisation_nonprofit", "officer", reverse("organisations:detail", args=[world.shared_nonprofit.pk])),
        ("organisation_nonprofit", "superuser", reverse("organisations:detail", args=[world.shared_nonprofit.pk])),
        ("import_list", "officer", reverse("documents:list")),
        ("import_review", "officer", reverse("documents:review", args=[world.draft_id])),
    ]
    with contextlib.suppress(NoReverseMatch):  # party invitations: the page exists once they are in the product
        pages.append(("invitations", "officer", reverse("agreements:invitations")))
    for user in ("officer", "superuser"):
        pages += [
            ("export_register_csv", user, f"{register}?format=csv"),
            ("export_register_xlsx", user, f"{register}?format=xlsx"),
        ]
    pages += [
        ("export_portfolio_xlsx", user, f"{reverse('finance:portfolio')}?format=xlsx")
        for user in ("controller", "superuser")
    ]
    return pages


def clients(world: Any) -> dict[str, Any]:
    from django.test import Client

    users = {
        "officer": world.tenant.officer,
        "controller": world.tenant.controller,
        "superuser": world.superuser,
        "keeper": world.keeper,
        "partner": world.partner,
    }
    result = {}
    for name, user in users.items():
        client = Client(raise_request_exception=False)
        client.force_login(user)
        result[name] = client
    return result


# Against gunicorn ----------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Gunicorn:
    """gunicorn partnerskap.wsgi with 2 sync workers on the bench database, started and stopped by the bench."""

    def __init__(self, bench: Bench) -> None:
        self.port = free_port()
        self.log = (bench.tmp / "gunicorn.log").open("wb")
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "partnerskap.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{self.port}",
        ]
        argv += ["--chdir", str(ROOT), "--log-level", "warning"]
        self.process = subprocess.Popen(
            argv, env=bench.child_env(pool=True), cwd=ROOT, stdout=self.log, stderr=self.log
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with status {self.process.returncode}; see {self.log.name}")
            with contextlib.suppress(OSError):
                if self.get("/healthz", "")[0] == 200:
                    progress(f"gunicorn (2 workers) answers on 127.0.0.1:{self.port}")
                    return
            time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn did not answer within 60 s")

    def get(self, path: str, cookie: str) -> tuple[int, int]:
        import http.client

        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=HTTP_TIMEOUT)
        try:
            headers = {"Connection": "close", "Accept-Language": "sv"}
            if cookie:
                headers["Cookie"] = cookie
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            return response.status, len(response.read())
        finally:
            connection.close()

    def workers(self) -> list[int]:
        found = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                with contextlib.suppress(OSError, IndexError, ValueError):
                    stat = (entry / "stat").read_text()
                    if int(stat.rsplit(")", 1)[1].split()[1]) == self.process.pid:
                        found.append(int(entry.name))
        return found

    def memory_mb(self, field: str = "VmRSS") -> float | None:
        """The largest worker's resident memory now (VmRSS) or at its peak (VmHWM), in MB."""
        values = []
        for pid in self.workers():
            with contextlib.suppress(OSError):
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith(field + ":"):
                        values.append(int(line.split()[1]) / 1024)
        return round(max(values), 1) if values else None

    def load(self, path: str, cookie: str, *, concurrency: int, seconds: float) -> dict[str, Any]:
        """Requests from ``concurrency`` threads for ``seconds`` (each thread at least one, and at least 3 at
        concurrency 1): requests/s of the answered ones and their p50/p95; other answers counted as errors."""
        latencies: list[float] = []
        errors: Counter[str] = Counter()
        lock = threading.Lock()
        issued = [0]
        least = max(concurrency, 3)
        deadline = time.perf_counter() + seconds

        def worker() -> None:
            while True:
                with lock:
                    if issued[0] >= least and time.perf_counter() >= deadline:
                        return
                    issued[0] += 1
                started = time.perf_counter()
                try:
                    status, _size = self.get(path, cookie)
                    outcome = "" if status == 200 else str(status)
                except OSError as exc:
                    outcome = type(exc).__name__
                elapsed = time.perf_counter() - started
                with lock:
                    if outcome:
                        errors[outcome] += 1
                    else:
                        latencies.append(elapsed)

        threads = [threading.Thread(target=worker) for _ in range(concurrency)]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - started
        return {
            "rps": round(len(latencies) / elapsed, 1) if elapsed else None,
            "p50_ms": percentile(latencies, 0.5),
            "p95_ms": percentile(latencies, 0.95),
            "n": len(latencies),
            **({"errors": dict(errors)} if errors else {}),
        }

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def session_cookie(client: Any) -> str:
    from django.conf import settings

    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


# Commands and services in subprocesses --------------------------------------------------------------------------


# A subprocess forked from this (large) process starts with its memory counted: its peak resident size
# (ru_maxrss) would be at least ours. A small launcher starts it instead and reports what wait4 says of it.
LAUNCHER = (
    "import json, os, sys\n"
    "pid = os.posix_spawn(sys.argv[2], sys.argv[2:], os.environ)\n"
    "_pid, status, usage = os.wait4(pid, 0)\n"
    "open(sys.argv[1], 'w').write(json.dumps({'status': os.waitstatus_to_exitcode(status), 'maxrss_kb': usage.ru_maxrss}))\n"
)


def run_subprocess(bench: Bench, argv: list[str], name: str) -> dict[str, Any]:
    """Run ``argv`` on the bench database: wall time, peak resident memory (wait4, through the launcher) and
    exit status."""
    out_path, err_path, usage_path = bench.tmp / f"{name}.out", bench.tmp / f"{name}.err", bench.tmp / f"{name}.usage"
    with out_path.open("wb") as out, err_path.open("wb") as err:
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-S", "-c", LAUNCHER, str(usage_path), *argv],
            env=bench.child_env(),
            cwd=ROOT,
            stdout=out,
            stderr=err,
            check=False,
        )
        wall = time.perf_counter() - started
    usage = json.loads(usage_path.read_text())
    result: dict[str, Any] = {
        "seconds": round(wall, 2),
        "peak_mb": round(usage["maxrss_kb"] / 1024, 1),
        "exit": usage["status"],
        "output_bytes": out_path.stat().st_size,
    }
    result["_stdout"] = out_path.read_text(errors="replace")
    result["_stderr"] = err_path.read_text(errors="replace")
    return result


def measure_commands(bench: Bench, world: Any) -> dict[str, dict[str, Any]]:
    from django.utils import timezone

    manage = [sys.executable, str(ROOT / "manage.py")]
    this_year = timezone.localdate().year
    out = bench.tmp
    commands: list[tuple[str, list[str], int]] = [
        ("command_startup", [*manage, "payment_plan", "0"], 2),  # start-up and checks, then "no agreement 0"
        ("payment_plan", [*manage, "payment_plan", str(world.agreement_id), "--format", "json"], 0),
        (
            "commitments",
            [*manage, "commitments", "--from", str(this_year - 1), "--to", str(this_year + 3), "--format", "json"],
            0,
        ),
        ("export_register_json", [*manage, "export_register", "--format", "json", "-o", str(out / "register.json")], 0),
        ("export_register_csv", [*manage, "export_register", "--format", "csv", "-o", str(out / "register.csv")], 0),
        ("export_register_xlsx", [*manage, "export_register", "--format", "xlsx", "-o", str(out / "register.xlsx")], 0),
    ]
    results: dict[str, dict[str, Any]] = {}
    for name, argv, expected in commands:
        progress(f"command {name}")
        result = run_subprocess(bench, argv, name)
        if result["exit"] != expected:
            result["error"] = f"exit status {result['exit']} (expected {expected}): {result['_stderr'].strip()[-500:]}"
        for path in out.glob("register.*"):
            result["output_bytes"] = max(result["output_bytes"], path.stat().st_size)
            path.unlink()
        results[name] = result
    child = [sys.executable, str(Path(__file__).resolve()), "--child"]
    officer = world.tenant.officer.username
    body = world.tenant.committees[0].pk  # the build imported another document (002) for it: 003 is new
    services: list[tuple[str, dict[str, Any]]] = [
        ("document_import", {"user": officer, "public_body": body, "path": str(SEED_003)}),
        (
            "index_value_add",
            {
                "user": world.keeper.username,
                "series": world.series.pk,
                "year": 2028,
                "percent": "2.3",
                "forecast": True,
            },
        ),
        (
            "index_value_correct",
            {
                "user": world.keeper.username,
                "series": world.series.pk,
                "year": 2026,
                "percent": "2.8",
                "forecast": False,
            },
        ),
    ]
    for name, args in services:
        progress(f"service {name}")
        result = run_subprocess(bench, [*child, name, json.dumps(args)], name)
        result["wall_seconds"] = result.pop("seconds")
        try:
            result.update(json.loads(result["_stdout"].strip().splitlines()[-1]))
        except (IndexError, ValueError):
            result["seconds"] = None
            result["error"] = f"exit status {result['exit']}: {result['_stderr'].strip()[-800:]}"
        if result.get("tasks_failed"):
            result["error"] = f"{result['tasks_failed']} of the {result['tasks']} tasks it queued failed"
        results[name] = result
    for result in results.values():
        result.pop("_stdout")
        result.pop("_stderr")
    return results


def child_main(name: str, raw: str) -> int:
    """In a subprocess: one service call on the bench database (set up by the parent's environment), timed."""
    import django

    django.setup()
    from decimal import Decimal

    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from apps.accounts.models import User
    from apps.documents import services as document_services
    from apps.finance import services as finance_services
    from apps.finance.models import IndexSeries, IndexValue
    from apps.organisations.models import Organisation

    args = json.loads(raw)
    actor = User.objects.get(username=args["user"])
    result: dict[str, Any] = {}
    earlier = set(DBTaskResult.objects.values_list("pk", flat=True))
    captured = QueryCounter()
    with connection.execute_wrapper(captured):
        started = time.perf_counter()
        if name == "document_import":
            body = Organisation.objects.get(pk=args["public_body"])
            with open(args["path"], "rb") as handle:
                draft = document_services.importdraft_import(actor=actor, public_body=body, file=handle)
            result["draft_status"] = draft.status
        else:
            series = IndexSeries.objects.get(pk=args["series"])
            value = IndexValue.objects.filter(series=series, year=args["year"], reference_month=10).first()
            data = {
                "year": args["year"],
                "reference_month": 10,
                "percent": Decimal(args["percent"]),
                "is_forecast": args["forecast"],
            }
            if value is not None:
                data["published_on"] = None if args["forecast"] else value.published_on or timezone.localdate()
            finance_services.index_value_save(
                actor=actor, series=series, data=data, value=value, expected_version=value.version if value else None
            )
        result["seconds"] = round(time.perf_counter() - started, 3)
    result["queries"] = captured.count
    if name != "document_import":
        # What the entry queued (after its commit) runs now, in a task worker as in production: its time is the
        # recalculation's (zero tasks: the entry did all its work in the call).
        started = time.perf_counter()
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
        result["recalculation_seconds"] = round(time.perf_counter() - started, 3)
        tasks = DBTaskResult.objects.exclude(pk__in=earlier)
        result["tasks"] = tasks.count()
        result["tasks_failed"] = tasks.failed().count()
    print(json.dumps(result))
    return 0


# The run ----------------------------------------------------------------------------------------------------------


def measure_pages(world: Any, args: argparse.Namespace) -> dict[str, dict[str, Any]]:
    users = clients(world)
    pages: dict[str, dict[str, Any]] = {}
    for page, user, url in page_list(world):
        name = f"{page}/{user}"
        result = measure_in_process(users[user], url, requests=args.requests, seconds=args.seconds)
        result.update(url=url, rps=None, ratio=None)
        if result["status"] != 200:
            result.setdefault("error", f"HTTP {result['status']}")
        pages[name] = result
        progress(
            f"page {name:<40} {result['status']} {result['queries']:>5} queries  p50 {result['p50_ms']} ms  "
            f"p95 {result['p95_ms']} ms  ({result['n']} requests)"
        )
    return pages


def measure_http(
    bench: Bench, world: Any, pages: dict[str, dict[str, Any]], args: argparse.Namespace
) -> dict[str, Any]:
    users = clients(world)
    cookies = {name: session_cookie(client) for name, client in users.items()}
    server = Gunicorn(bench)
    try:
        bare: dict[str, Any] = {}
        for concurrency in (1, 8):
            server.load(BARE_URL, cookies["officer"], concurrency=2, seconds=0.5)  # warm both workers
            bare[f"c{concurrency}"] = server.load(
                BARE_URL, cookies["officer"], concurrency=concurrency, seconds=args.http_seconds
            )
        progress(f"http bare view: {bare['c1']['rps']} requests/s at concurrency 1, {bare['c8']['rps']} at 8")
        for name, result in pages.items():
            cookie = cookies[name.split("/")[1]]
            if (result.get("p50_ms") or 0) < 1000:
                server.load(result["url"], cookie, concurrency=2, seconds=0)  # warm both workers
            http: dict[str, Any] = {
                f"c{c}": server.load(result["url"], cookie, concurrency=c, seconds=args.http_seconds) for c in (1, 8)
            }
            http["worker_rss_mb"] = server.memory_mb()
            for c in ("c1", "c8"):
                base = bare[c]["rps"]
                http[c]["ratio"] = round(http[c]["rps"] / base, 4) if base and http[c]["rps"] is not None else None
            result["http"] = http
            result["rps"], result["ratio"] = http["c8"]["rps"], http["c8"]["ratio"]
            progress(
                f"http {name:<40} c1 {http['c1']['rps']} rps p95 {http['c1']['p95_ms']} ms | c8 {http['c8']['rps']} rps "
                f"p95 {http['c8']['p95_ms']} ms | ratio {result['ratio']} | worker {http['worker_rss_mb']} MB"
                + (
                    f" | errors {http['c1'].get('errors') or ''}{http['c8'].get('errors') or ''}"
                    if "errors" in http["c1"] or "errors" in http["c8"]
                    else ""
                )
            )
        peak = server.memory_mb("VmHWM")
    finally:
        server.stop()
    log = Path(server.log.name).read_text(errors="replace")
    return {"bare": bare, "worker_peak_mb": peak, "workers": 2, "worker_timeouts": log.count("WORKER TIMEOUT")}


def table(summary: dict[str, Any]) -> str:
    lines = [
        f"Partnerskap at {summary['agreements']} agreements on {summary['database']} "
        f"(built in {summary['build']['seconds']} s; {summary['build']['verified']} bulk agreements verified against the services)",
        f"{summary['machine']['cpus']} CPUs, load average {summary['machine']['load_before'][0]:.1f} before and "
        f"{summary['machine']['load_after'][0]:.1f} after the run",
        "",
    ]
    header = f"{'page':<42} {'status':>6} {'queries':>7} {'p50 ms':>8} {'p95 ms':>8} {'n':>3}"
    http = "http" in summary
    if http:
        header += f" {'c1 rps':>8} {'c1 p95':>8} {'c8 rps':>8} {'c8 p95':>8} {'ratio':>7} {'MB':>6}"
    lines += [header, "-" * len(header)]

    def cell(value: Any, width: int) -> str:
        return f"{'–' if value is None else value:>{width}}"

    for name, p in summary["pages"].items():
        row = f"{name:<42} {p['status']:>6} {p['queries']:>7} {cell(p['p50_ms'], 8)} {cell(p['p95_ms'], 8)} {p['n']:>3}"
        if http and "http" in p:
            h = p["http"]
            row += (
                f" {cell(h['c1']['rps'], 8)} {cell(h['c1']['p95_ms'], 8)} {cell(h['c8']['rps'], 8)} {cell(h['c8']['p95_ms'], 8)}"
                f" {cell(p['ratio'], 7)} {cell(h['worker_rss_mb'], 6)}"
            )
        lines.append(row + (f"  ! {p['error']}" if p.get("error") else ""))
    if http:
        bare = summary["http"]["bare"]
        lines += [
            "",
            f"bare signed-in view: {bare['c1']['rps']} requests/s at concurrency 1, {bare['c8']['rps']} at 8; "
            f"workers' peak memory {summary['http']['worker_peak_mb']} MB",
        ]
    lines += ["", f"{'command':<24} {'seconds':>8} {'peak MB':>8}  details", "-" * 60]
    for name, c in summary["commands"].items():
        details = {k: v for k, v in c.items() if k not in ("seconds", "peak_mb", "error")}
        lines.append(
            f"{name:<24} {cell(c.get('seconds'), 8)} {cell(c.get('peak_mb'), 8)}  {details}"
            + (f"  ! {c['error']}" if c.get("error") else "")
        )
    lines += ["", summary["notes"]]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--agreements", type=int, help="agreements in the register (the target is 10 000)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--http", action="store_true", help="also measure against gunicorn (2 workers)")
    parser.add_argument("--keep", action="store_true", help="keep the bench database and temporary directory")
    parser.add_argument(
        "--sample", type=int, help="agreements built through the services (default: a fifth, at most 50)"
    )
    parser.add_argument(
        "--verify", type=int, default=6, help="bulk agreements rebuilt through the services and compared"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--requests", type=int, default=20, help="timed requests per page in-process (after the warm-up)"
    )
    parser.add_argument(
        "--seconds", type=float, default=15, help="time budget per page in-process (at least 3 requests)"
    )
    parser.add_argument(
        "--http-seconds", type=float, default=5, help="seconds per page and concurrency against gunicorn"
    )
    parser.add_argument("--child", nargs=2, metavar=("NAME", "ARGS"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child_main(*args.child)
    if not args.agreements or args.agreements < 2:
        parser.error("--agreements N (at least 2) is required")
    sample = args.sample if args.sample is not None else min(50, max(1, args.agreements // 5))
    sample = max(1, min(sample, args.agreements - 1))
    bench = Bench(os.environ.get("DATABASE_URL"), args.keep)
    started = time.perf_counter()
    load_before = os.getloadavg()
    status = 0
    try:
        bench.setup()
        import scale_world
        from django.db import connection

        with contextlib.redirect_stdout(sys.stderr):
            world = scale_world.build(args.agreements, sample=sample, seed=args.seed, verify_count=args.verify)
        if world.verification["problems"]:
            progress(
                "\nTHE BULK AGREEMENTS DIFFER FROM WHAT THE SERVICES BUILD: the measurements would not be of the product's data."
            )
            print(
                json.dumps(
                    {"agreements": args.agreements, "verification": world.verification}, ensure_ascii=False, indent=2
                )
            )
            return 3
        with contextlib.redirect_stdout(sys.stderr):
            pages = measure_pages(world, args)
            http = measure_http(bench, world, pages, args) if args.http else None
            commands = measure_commands(bench, world)
        summary: dict[str, Any] = {
            "agreements": args.agreements,
            "database": connection.vendor,
            "pages": pages,
            "commands": commands,
            "build": {
                "seconds": world.build_seconds,
                "through_services": len(world.sample_ids),
                "in_bulk": args.agreements - len(world.sample_ids),
                "rows": world.rows,
                "verified": len(world.verification["checked"]),
                "verification": world.verification,
            },
            "measured": {
                "municipality": world.tenant.body.name,
                "agreement": world.agreement_id,
                "users": {
                    "officer": world.tenant.officer.username,
                    "controller": world.tenant.controller.username,
                    "superuser": world.superuser.username,
                    "keeper": world.keeper.username,
                    "partner": world.partner.username,
                },
            },
            "notes": (
                "p50/p95: in-process (django.test.Client) after one warm-up request whose queries are counted; "
                "rps and ratio: gunicorn at concurrency 8, ratio = page rps / bare signed-in view rps; "
                "commands: seconds is the subprocess's wall time (start-up included), for services the service call's; "
                "peak_mb: the subprocess's peak resident memory (wait4 ru_maxrss)."
            ),
            "seconds": round(time.perf_counter() - started, 1),
            # Other work on the machine slows every figure: the load averages (1, 5, 15 min) say how busy it was.
            "machine": {"cpus": os.cpu_count(), "load_before": load_before, "load_after": os.getloadavg()},
        }
        if http is not None:
            summary["http"] = http
        failures = [n for n, p in pages.items() if p.get("error")] + [n for n, c in commands.items() if c.get("error")]
        if failures:
            summary["failures"] = failures
            status = 1
        if args.json:
            print(json.dumps(summary, ensure_ascii=False, indent=2, default=str))
        else:
            print(table(summary))
        return status
    finally:
        bench.teardown()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
