# SPDX-License-Identifier: EUPL-1.2
"""Values cached across requests and app servers, never across permission scopes (decision 0017).

Django's cache holds them: local memory in the quick start (one process), Redis in production
(``CACHE_URL``), shared by every app server and worker. A value is kept under three things:

- its **name**: what it is, with a version for its shape (``"agreements.register_choices.1"``);
- the **scope** it was computed for: a stable digest of what the user may see, built by the area that knows
  the scope (``apps.organisations.scope.scope_key``: superuser, staff over these bodies, partner of these
  organisations, anonymous). Never a user type: two users share a value only when they see the same rows;
- the **generation** of each kind of data it derives from (:data:`REGISTER`: agreements, parties,
  organisations): a counter kept in the cache itself and bumped after a write commits
  (:func:`changed`, :func:`register_changed`). A value computed before the write is never read again, on any
  server; it expires by itself.

Every service writes an audit event, and ``apps.audit.signals.recorded`` bumps the register's generation for
it (connected in ``apps/organisations/receivers.py``); a bulk write that records no event calls
:func:`register_changed` itself.

When the cache cannot be reached (Redis down), the value is computed as if nothing were cached and a
warning is logged (at most once a minute per process): a page is slower, never a 500.

May import: Django only.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Final

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, transaction
from django.utils.safestring import SafeString, mark_safe

logger = logging.getLogger(__name__)

REGISTER: Final = "register"
"""The register's data: agreements and their parties, organisations and their names, invitations. Bumped after
every audited write (apps/organisations/receivers.py) and by :func:`register_changed`."""

ACCESS: Final = "access"
"""Who may see what beyond the register's rows: memberships and the users' own rights (superuser, active,
permissions). Bumped by apps/accounts/receivers.py on every such write, however made. A value cached per user
that depends on it and on :data:`REGISTER` may stand in for that user's access check (decision 0017)."""

DEFAULT_TIMEOUT: Final = 300
"""Seconds a value is kept (``PARTNERSKAP_CACHE_SECONDS``). The generations retire a value at once; the timeout
only bounds how long one survives a bump that was lost (the cache unreachable just when a write committed)."""

_MISSING: Final = object()
_WARN_EVERY: Final = 60.0
_last_warning = [0.0]


def scope_digest(*parts: object) -> str:
    """A stable digest of ``parts`` (their ``repr``: give sorted tuples, not sets) for a scope key."""
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def _timeout() -> int:
    return int(getattr(settings, "PARTNERSKAP_CACHE_SECONDS", DEFAULT_TIMEOUT))


def _warn(action: str, exc: Exception) -> None:
    """Log that the cache failed; at most once a minute per process (a Redis that is down fails every call)."""
    now = time.monotonic()
    if now - _last_warning[0] >= _WARN_EVERY or _last_warning[0] == 0.0:
        _last_warning[0] = now
        logger.warning("Cache unreachable (%s): computing instead. %s: %s", action, type(exc).__name__, exc)


def _generation_key(name: str) -> str:
    return f"generation:{name}"


def _fresh_start() -> int:
    """Where a generation counter starts when the cache does not hold it (first use, a restart, an eviction):
    the time in microseconds. A counter moves by one per committed write, far slower than one a microsecond,
    so this is after every number a lost counter can have reached, and a value computed under the lost counter
    is never read under the new one."""
    return time.time_ns() // 1_000


def generations(names: Iterable[str]) -> tuple[int, ...]:
    """The current generation of each of ``names``, started where missing. Raises when the cache fails."""
    wanted = list(dict.fromkeys(names))
    keys = [_generation_key(name) for name in wanted]
    found: dict[str, Any] = cache.get_many(keys)
    missing = [key for key in keys if key not in found]
    if missing:
        start = _fresh_start()
        for key in missing:
            cache.add(key, start, timeout=None)  # another server may have started it meanwhile: theirs stands
        found.update(cache.get_many(missing))
    return tuple(int(found.get(key, 0)) for key in keys)


def cached[T](
    name: str,
    *,
    scope: str,
    compute: Callable[[], T],
    depends_on: Sequence[str] = (REGISTER,),
    timeout: int | None = None,
) -> T:
    """``compute()``, or the value it gave for the same ``name`` and ``scope`` since the last change of any of
    ``depends_on``.

    ``scope`` must say everything that decides what ``compute`` may see (a digest from the scope, e.g.
    ``apps.organisations.scope.scope_key(user)``), and ``compute`` must return nothing of the user beyond
    it: no names, no permissions of this user, no language. The value is pickled: plain data (tuples, ints,
    strings), not querysets or model instances. The generations are read before ``compute`` runs, so a value
    computed while a write commits is kept under the generation before that write and never read again.
    """
    try:
        stamp = generations(depends_on)
        key = f"value:{name}:{scope}:" + ".".join(str(g) for g in stamp)
        value = cache.get(key, _MISSING)
    except Exception as exc:  # noqa: BLE001 - whatever the backend raises, the page is served without it
        _warn(f"reading {name}", exc)
        return compute()
    if value is not _MISSING:
        return value  # stored by this function for this name: a T
    value = compute()
    try:
        cache.set(key, value, timeout=_timeout() if timeout is None else timeout)
    except Exception as exc:  # noqa: BLE001
        _warn(f"storing {name}", exc)
    return value


def _bump(name: str) -> None:
    """Move ``name``'s generation on: every value derived from it is retired, on every server."""
    key = _generation_key(name)
    try:
        try:
            cache.incr(key)
        except ValueError:  # not held (first use, restart, eviction): start it anew, after any lost number
            if not cache.add(key, _fresh_start(), timeout=None):
                cache.incr(key)  # another server started it meanwhile
    except Exception as exc:  # noqa: BLE001 - a write that committed is not undone by an unreachable cache
        _warn(f"bumping {name}", exc)


class _Bump:
    """The bump of one name queued in one transaction: a transaction holding many writes queues it once."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.done = False

    def __call__(self) -> None:
        self.done = True
        _bump(self.name)


def is_generation_bump(func: object) -> bool:
    """Whether an on-commit callback is a cache generation's bump (tests that count queued tasks skip these)."""
    return isinstance(func, _Bump)


def changed(*names: str, using: str = DEFAULT_DB_ALIAS) -> None:
    """The data of ``names`` was written: bump their generations once the transaction commits (at once outside
    one), so that no server reads a value computed before. A rollback bumps nothing."""
    connection = transaction.get_connection(using)
    savepoints = set(connection.savepoint_ids)
    for name in dict.fromkeys(names):
        if connection.in_atomic_block and any(
            isinstance(func, _Bump) and func.name == name and not func.done and sids == savepoints
            for sids, func, _robust in getattr(connection, "run_on_commit", ())
        ):
            # Queued already within the same savepoints (a service saving an agreement, its parties and its
            # audit event): whatever rolls that one back rolls this write back too. Once is enough.
            continue
        transaction.on_commit(_Bump(name), using=using, robust=True)


def register_changed(using: str = DEFAULT_DB_ALIAS) -> None:
    """The register's data (agreements, parties, organisations, invitations, what is derived from them) was
    written without an audit event (a bulk update, a recalculation task, an import in bulk): call this in the
    writing transaction; the cached values derived from it are retired after it commits."""
    changed(REGISTER, using=using)


def csrf_placeholder() -> str:
    """What a cached fragment holds where its forms' CSRF token goes: derived from the secret key (the same on
    every server, unguessable to anyone who could type it into a title), replaced by the reader's own token."""
    digest = hashlib.sha256(f"partnerskap.cache.csrf:{settings.SECRET_KEY}".encode()).hexdigest()[:32]
    return f"csrf{digest}"


def with_csrf_token(request: Any, html: str) -> SafeString:
    """A cached fragment with the reader's own CSRF token where :func:`csrf_placeholder` stands."""
    from django.middleware.csrf import get_token

    # The fragment was rendered escaped by its template; the token is a plain alphanumeric string.
    return mark_safe(html.replace(csrf_placeholder(), get_token(request)))  # noqa: S308


def cached_html(
    request: Any,
    name: str,
    *,
    scope: str,
    render: Callable[[dict[str, Any]], str],
    depends_on: Sequence[str] = (REGISTER,),
) -> SafeString:
    """A fragment of a page kept like any value (:func:`cached`): ``render(extra)`` writes it, with ``extra``
    merged into its template context (the placeholder for the CSRF token, so that a fragment with a form can be
    read by another session); the reader's own token is put in its place every time it is served. ``scope`` must
    name everything the fragment shows that depends on who reads it (e.g. the user's id, for their buttons)."""
    extra = {"csrf_token": csrf_placeholder()}
    html = cached(name, scope=scope, compute=lambda: str(render(extra)), depends_on=depends_on)
    return with_csrf_token(request, html)
