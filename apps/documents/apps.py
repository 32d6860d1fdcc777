# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "apps.documents"
    label = "documents"

    def ready(self) -> None:
        from . import errors, permissions  # noqa: F401 - registers the rules and the words for error codes
