# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "apps.audit"
    label = "audit"
