# SPDX-License-Identifier: EUPL-1.2
from django.urls import path

from . import views

app_name = "agreements"
urlpatterns = [
    path("", views.agreement_list, name="list"),
    path("ny/", views.agreement_create, name="create"),
    path("inbjudningar/", views.invitation_list, name="invitations"),
    path("inbjudningar/<int:party_id>/svar/", views.invitation_answer, name="invitation_answer"),
    path("<int:pk>/", views.agreement_detail, name="detail"),
    path("<int:pk>/redigera/", views.agreement_edit, name="edit"),
    path("<int:pk>/status/", views.agreement_transition, name="transition"),
    path("<int:pk>/visa-for-parterna/", views.agreement_share, name="share"),
    path("<int:pk>/historik/", views.agreement_history, name="history"),
    path("<int:pk>/insatser/ny/", views.intervention_form, name="intervention_add"),
    path("<int:pk>/insatser/<int:intervention_id>/", views.intervention_form, name="intervention_edit"),
    path("<int:pk>/mal/ny/", views.goal_form, name="goal_add"),
    path("<int:pk>/mal/<int:goal_id>/", views.goal_form, name="goal_edit"),
    path("<int:pk>/mal/<int:goal_id>/indikatorer/ny/", views.indicator_form, name="indicator_add"),
    path("<int:pk>/mal/<int:goal_id>/indikatorer/<int:indicator_id>/", views.indicator_form, name="indicator_edit"),
    path("<int:pk>/<str:kind>/<int:child_id>/ta-bort/", views.child_delete, name="child_delete"),
]
