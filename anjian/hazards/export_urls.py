from django.urls import path

from anjian.hazards import export_views

app_name = "hazard_exports"
urlpatterns = [
    path("ledger.xlsx", export_views.ledger_xlsx, name="ledger_xlsx"),
    path("ledger.json", export_views.ledger_json, name="ledger_json"),
    path("statistics/<int:enterprise_id>/", export_views.statistics, name="statistics"),
]
