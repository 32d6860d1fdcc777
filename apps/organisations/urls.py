# SPDX-License-Identifier: EUPL-1.2
from django.urls import path

from . import views

app_name = "organisations"
urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("ny/", views.organisation_create, name="create"),
    path("<int:pk>/", views.organisation_detail, name="detail"),
    path("<int:pk>/redigera/", views.organisation_edit, name="edit"),
]
