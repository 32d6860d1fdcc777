# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "apps.agreements"
    label = "agreements"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from apps.organisations.pages import register_count, register_section

        from . import errors, pages, permissions  # noqa: F401 - permissions registers the rules, errors the words

        register_section("agreements", pages.organisation_agreements)
        register_count("agreements", _("Agreements"), pages.visible_agreement_count)
