# SPDX-License-Identifier: EUPL-1.2
"""Request middleware: Swedish by default, a product page for "method not allowed", and "busy, try again"
when SQLite's write lock could not be had in time.

May import: Django, core.
"""

import logging
from collections.abc import Callable

from django.conf import settings
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.utils import translation

Handler = Callable[[HttpRequest], HttpResponse]


class DefaultLanguageMiddleware:
    """The language a user chose (cookie) wins; the browser's language does not."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response
        self.available = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class MethodNotAllowedPageMiddleware:
    """Django answers a wrong method (a GET on a POST-only action) with an empty 405, which a browser
    shows as its own English error page: give it the product's translated page, keeping the Allow header."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if isinstance(response, HttpResponseNotAllowed) and not response.content:
            from .views import method_not_allowed  # views import the template machinery; keep startup light

            page = method_not_allowed(request)
            page["Allow"] = response["Allow"]
            return page
        return response


logger = logging.getLogger(__name__)
_BUSY = ("database is locked", "database table is locked", "database is busy")


class DatabaseBusyMiddleware:
    """SQLite lets one writer at a time; a write waits for the lock (the database's ``timeout`` option) and,
    when that runs out, raises OperationalError "database is locked". Its transaction was rolled back, so
    nothing was saved: answer 503 with Retry-After and a page that says so and how to go on, never a 500.
    The page is rendered without the database (like the 500 page)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError) or not any(m in str(exception).lower() for m in _BUSY):
            return None
        logger.warning("database busy on %s %s: %s", request.method, request.path, exception)
        from .views import database_busy

        return database_busy(request)
