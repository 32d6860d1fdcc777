# SPDX-License-Identifier: EUPL-1.2
"""Login throttling with django-axes: when a locked-out person may try again, and the page that says so.

Axes counts failures per account and per address (settings: AXES_LOCKOUT_PARAMETERS) and calls
``lockout_response`` (AXES_LOCKOUT_CALLABLE) instead of its own English page.

May import: Django, axes, core, audit.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone


def retry_at(
    attempts: list[tuple[dt.datetime, int]], *, limit: int, cool_off: dt.timedelta, now: dt.datetime
) -> dt.datetime | None:
    """When the failures still counted (``(last failure time, failures)`` per record) fall below ``limit``.

    A record stops counting ``cool_off`` after its last failure; ``None`` when they are below it already.
    """
    live = sorted((at, failures) for at, failures in attempts if at + cool_off > now)
    total = sum(failures for _at, failures in live)
    if total < limit:
        return None
    for at, failures in live:
        total -= failures
        if total < limit:
            return at + cool_off
    return None  # not reached for a positive limit: the last record brings the total to 0


def _lock_lifts_at(request: HttpRequest, credentials: dict[str, Any] | None) -> dt.datetime | None:
    cool_off = get_cool_off(request)
    if cool_off is None:
        return None
    now = timezone.now()
    limit = get_failure_limit(request, credentials)
    username = get_client_username(request, credentials)
    address = getattr(request, "axes_ip_address", None)
    moments = []
    for field, value in (("username", username), ("ip_address", address)):
        if not value:
            continue
        rows = AccessAttempt.objects.filter(**{field: value}).values_list("attempt_time", "failures_since_start")
        moment = retry_at(list(rows), limit=limit, cool_off=cool_off, now=now)
        if moment is not None:
            moments.append(moment)
    return max(moments) if moments else now + cool_off


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict[str, Any] | None = None
) -> HttpResponse:
    """The product's page for a locked-out login: what happened and the time to try again (status 429)."""
    lifts_at = _lock_lifts_at(request, credentials)
    local = timezone.localtime(lifts_at) if lifts_at else None
    if local is not None and (local.second or local.microsecond):  # never tell a time before the lock has lifted
        local = local.replace(second=0, microsecond=0) + dt.timedelta(minutes=1)
    context = {
        "retry_time": local.strftime("%H:%M") if local else "",
        "retry_date": local.date().isoformat() if local and local.date() != timezone.localdate() else "",
    }
    return render(request, "accounts/locked_out.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)


def client_address(request: HttpRequest) -> str | None:
    """The address a request came from, for counting failed logins per address (AXES_CLIENT_IP_CALLABLE).

    Behind reverse proxies (a load balancer, a TLS terminator) REMOTE_ADDR is the proxy's, and counting by
    it would lock everyone out after ten failures anywhere. With ``PARTNERSKAP_TRUSTED_PROXIES`` = N (the
    number of proxies in front of the application, each appending to X-Forwarded-For) the client is the
    N-th address from the right of X-Forwarded-For: the entries further left are what the client itself
    sent, and are not trusted. With 0 (the default: no proxy) or a header with too few entries,
    REMOTE_ADDR.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = int(getattr(settings, "PARTNERSKAP_TRUSTED_PROXIES", 0) or 0)
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < proxies:
        return remote
    return forwarded[-proxies]
