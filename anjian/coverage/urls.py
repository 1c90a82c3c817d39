from django.urls import path

from anjian.coverage import views

app_name = "coverage"
urlpatterns = [
    path("", views.coverage_page, name="page"),
    path("policies/", views.policy_list, name="policies"),
    path("policies/adopt/", views.policy_adopt, name="policy_adopt"),
    path("policies/new/", views.policy_add, name="policy_add"),
    path("policies/<int:pk>/edit/", views.policy_edit, name="policy_edit"),
    path("policies/<int:pk>/remove/", views.policy_delete, name="policy_delete"),
]
