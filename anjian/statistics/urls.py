from django.urls import path

from anjian.statistics import views

app_name = "statistics"
# Mounted at the site's root: the form kept the address it had under the ledger's exports.
urlpatterns = [
    path("statistics/hazards/", views.hazards_breakdown, name="hazards"),
    path("hazards/counts/", views.ledger_counts_panel, name="ledger_counts"),
    path(
        "hazards/exports/statistics/<int:enterprise_id>/",
        views.enterprise_form,
        name="enterprise_form",
    ),
]
