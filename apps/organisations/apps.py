# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "apps.organisations"
    label = "organisations"

    def ready(self) -> None:
        from . import errors, permissions  # noqa: F401 - registers the rules and the words for error codes
