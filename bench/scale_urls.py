# SPDX-License-Identifier: EUPL-1.2
"""URLs of bench/scale.py: the product's, plus a bare signed-in view to measure the pages against.

Only the benchmark uses this module (``ROOT_URLCONF`` in bench/scale_settings.py); the product never does.
The bare view does what every page does before its own work (session, user, middleware) and nothing else,
so a page's requests per second divided by the bare view's is the share of the stack's capacity it keeps.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import path

from partnerskap.urls import handler400, handler403, handler404, handler500
from partnerskap.urls import urlpatterns as product_urls

BARE_PATH = "bench/bare/"


@login_required
def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path(BARE_PATH, bare, name="bench_bare"), *product_urls]
__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
