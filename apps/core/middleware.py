# SPDX-License-Identifier: EUPL-1.2
"""Request middleware: Swedish by default, and a product page for "method not allowed".

May import: Django, core.
"""

from collections.abc import Callable

from django.conf import settings
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
