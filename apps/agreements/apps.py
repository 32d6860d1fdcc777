# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "apps.agreements"
    label = "agreements"

    def ready(self) -> None:
        from apps.organisations.pages import register_section

        from . import errors, pages, permissions  # noqa: F401 - permissions registers the rules, errors the words

        register_section("agreements", pages.organisation_agreements)
