# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "apps.organisations"
    label = "organisations"

    def ready(self) -> None:
        from . import errors, permissions, receivers  # noqa: F401 - register the rules and the words for error codes

        receivers.connect()
