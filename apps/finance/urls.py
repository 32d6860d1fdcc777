# SPDX-License-Identifier: EUPL-1.2
from django.urls import path

from . import views

app_name = "finance"
urlpatterns = [
    path("avtal/<int:pk>/", views.agreement_finance, name="agreement"),
    path("avtal/<int:pk>/villkor/", views.terms_edit, name="terms"),
    path("avtal/<int:pk>/finansiar/ny/", views.funding_source_form, name="source_add"),
    path("avtal/<int:pk>/finansiar/<int:source_id>/", views.funding_source_form, name="source_edit"),
    path("avtal/<int:pk>/budget/ny/", views.budget_line_form, name="line_add"),
    path("avtal/<int:pk>/budget/<int:line_id>/", views.budget_line_form, name="line_edit"),
    path("avtal/<int:pk>/<str:kind>/<int:row_id>/ta-bort/", views.row_delete, name="row_delete"),
    path("avtal/<int:pk>/betalplan/", views.plan_regenerate, name="plan_regenerate"),
    path("avtal/<int:pk>/betalningar/<int:payment_id>/", views.payment_record, name="payment_record"),
    path("avtal/<int:pk>/betalningar/<int:payment_id>/rattelse/", views.payment_correct, name="payment_correct"),
    path("avtal/<int:pk>/utfall/ny/", views.actual_cost_form, name="cost_add"),
    path("avtal/<int:pk>/aterbetalning/ny/", views.repayment_claim_form, name="claim_add"),
    path("avtal/<int:pk>/aterbetalning/<int:claim_id>/", views.repayment_claim_form, name="claim_edit"),
    path("index/", views.index_list, name="index"),
    path("index/<int:series_id>/nytt/", views.index_value_form, name="index_value_add"),
    path("index/<int:series_id>/<int:value_id>/", views.index_value_form, name="index_value_edit"),
    path("index/<int:series_id>/omrakning/<int:recalculation_id>/", views.recalculation_detail, name="recalculation"),
    path(
        "index/<int:series_id>/omrakning/<int:recalculation_id>/status/",
        views.recalculation_status,
        name="recalculation_status",
    ),
    path(
        "index/<int:series_id>/omrakning/<int:recalculation_id>/igen/",
        views.recalculation_retry,
        name="recalculation_retry",
    ),
    path("portfolj/", views.portfolio, name="portfolio"),
]
