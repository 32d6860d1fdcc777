# SPDX-License-Identifier: EUPL-1.2
from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("", views.draft_list, name="list"),
    path("ladda-upp/", views.draft_upload, name="upload"),
    path("<int:pk>/", views.draft_review, name="review"),
    path("<int:pk>/status/", views.draft_status, name="status"),
    path("<int:pk>/avvisa/", views.draft_reject, name="reject"),
    path("<int:pk>/fil/", views.draft_file, name="file"),
    path("dokument/<int:pk>/", views.agreement_document, name="document"),
]
