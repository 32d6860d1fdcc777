# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "apps.finance"
    label = "finance"

    def ready(self) -> None:
        from . import errors, permissions, receivers  # noqa: F401 - errors and permissions register on import

        receivers.connect()
