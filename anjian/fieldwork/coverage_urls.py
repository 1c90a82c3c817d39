from django.urls import path

from anjian.fieldwork import coverage_views

app_name = "coverage"
urlpatterns = [
    path("", coverage_views.coverage_page, name="page"),
    path("policies/", coverage_views.policy_list, name="policies"),
    path("policies/adopt/", coverage_views.policy_adopt, name="policy_adopt"),
    path("policies/new/", coverage_views.policy_add, name="policy_add"),
    path("policies/<int:pk>/edit/", coverage_views.policy_edit, name="policy_edit"),
    path("policies/<int:pk>/remove/", coverage_views.policy_delete, name="policy_delete"),
]
