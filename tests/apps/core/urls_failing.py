# SPDX-License-Identifier: EUPL-1.2
"""The project's URLs and error handlers plus one view that fails, for the 500 page test."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from partnerskap.urls import handler400, handler403, handler404, handler500
from partnerskap.urls import urlpatterns as project_urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


def fail(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a programming error")


urlpatterns = [path("test-fails/", fail), *project_urlpatterns]
