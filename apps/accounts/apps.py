# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "apps.accounts"
    label = "accounts"

    def ready(self) -> None:
        from . import receivers

        receivers.connect()
