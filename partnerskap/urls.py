# SPDX-License-Identifier: EUPL-1.2
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from apps.accounts.forms import LoginForm
from apps.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path(
        "logga-in/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True, authentication_form=LoginForm),
        name="login",
    ),
    path("logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("avtal/", include("apps.agreements.urls")),
    path("organisationer/", include("apps.organisations.urls")),
    path("import/", include("apps.documents.urls")),
    path("ekonomi/", include("apps.finance.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]

# Product-styled, translated error pages (apps/core/views.py); CSRF failures: settings.CSRF_FAILURE_VIEW.
handler400 = "apps.core.views.bad_request"
handler403 = "apps.core.views.permission_denied"
handler404 = "apps.core.views.page_not_found"
handler500 = "apps.core.views.server_error"
