# SPDX-License-Identifier: EUPL-1.2
from django.contrib.auth.forms import AuthenticationForm

from apps.core.forms import DesignSystemFormMixin


class LoginForm(DesignSystemFormMixin, AuthenticationForm):
    pass
