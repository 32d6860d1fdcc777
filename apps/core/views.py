# SPDX-License-Identifier: EUPL-1.2
from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_required
from django.core.exceptions import DisallowedHost
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, gettext
from django.views.decorators.csrf import requires_csrf_token

logger = logging.getLogger(__name__)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return redirect("agreements:list")


def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness and database check for the load balancer."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


# Error pages: product-styled and translated (Django's own are English). partnerskap/urls.py names them as
# handler400/403/404/500 and settings.CSRF_FAILURE_VIEW names csrf_failure. None shows the exception's text:
# it may be English or internal; each page says in the user's language what happened and how to go on.


def _back_url(request: HttpRequest) -> str | None:
    """The page the user came from, when it is a page of this site other than the failing one."""
    referer = request.headers.get("referer", "")
    try:
        host = request.get_host()
    except DisallowedHost:  # the 400 for a bad Host header must not fail again while rendering
        return None
    if not referer or not url_has_allowed_host_and_scheme(
        referer, allowed_hosts={host}, require_https=request.is_secure()
    ):
        return None
    if request.method == "GET" and referer == request.build_absolute_uri():
        return None  # the failing page itself: a link to it would fail again (a refused form is reloaded, though)
    return referer


def _error_page(request: HttpRequest, template_name: str, status: int) -> HttpResponse:
    return render(request, template_name, {"back_url": _back_url(request)}, status=status)


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _error_page(request, "400.html", 400)


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _error_page(request, "403.html", 403)


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _error_page(request, "404.html", 404)


def method_not_allowed(request: HttpRequest) -> HttpResponse:
    """Rendered by MethodNotAllowedPageMiddleware for Django's empty 405 responses."""
    return _error_page(request, "405.html", 405)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form without a valid CSRF token (expired page, cookies blocked): explain, change nothing."""
    logger.warning("CSRF failure on %s: %s", request.path, reason)
    return _error_page(request, "403_csrf.html", 403)


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page, rendered without the request's context: no session, user or database is touched."""
    try:
        home_url = reverse("home")
    except NoReverseMatch:
        home_url = "/"
    try:
        body = loader.get_template("500.html").render({"home_url": home_url})
    except Exception:  # the page about an error must not fail itself: a plain page in the same words
        logger.exception("the 500 page could not be rendered")
        body = (
            f'<!DOCTYPE html><html lang="{get_language()}"><title>Partnerskap</title>'
            f"<h1>{gettext('Something went wrong')}</h1></html>"
        )
    return HttpResponse(body, status=500)


def database_busy(request: HttpRequest) -> HttpResponse:
    """503 while the database is busy (DatabaseBusyMiddleware): self-contained like the 500 page."""
    try:
        home_url = reverse("home")
    except NoReverseMatch:
        home_url = "/"
    body = loader.get_template("503.html").render({"home_url": home_url, "back_url": _back_url(request)})
    response = HttpResponse(body, status=503)
    response["Retry-After"] = "5"
    response["Cache-Control"] = "no-store"
    return response
