from django.urls import path

from anjian.hazards import views
from anjian.hazards.exporting import views as exports
from anjian.hazards.importing import views as imports

app_name = "hazards"
urlpatterns = [
    path("", views.ledger, name="ledger"),
    path("exports/ledger.xlsx", exports.ledger_xlsx, name="ledger_xlsx"),
    path("exports/ledger.json", exports.ledger_json, name="ledger_json"),
    path("import/", imports.upload, name="import"),
    path("import/<int:pk>/", imports.preview, name="import_preview"),
    path("import/<int:pk>/commit/", imports.commit, name="import_commit"),
    path("<int:pk>/", views.hazard_detail, name="detail"),
    path("<int:pk>/act/", views.hazard_act, name="act"),
    path("<int:pk>/photos/<int:photo_pk>/", views.hazard_photo, name="photo"),
]
