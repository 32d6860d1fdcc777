# SPDX-License-Identifier: EUPL-1.2
"""Pages for a signed-in user are never stored by a browser or a shared cache (back button after logout,
a shared computer, a proxy).

May import: Django.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control

Handler = Callable[[HttpRequest], HttpResponse]


class NoStoreForSignedInMiddleware:
    """``Cache-Control: no-store, private`` (and no-cache) on every response to a signed-in user."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
            patch_cache_control(response, private=True, no_store=True)
        return response
