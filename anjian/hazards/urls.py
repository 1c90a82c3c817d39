from django.urls import path

from anjian.hazards import import_views, views

app_name = "hazards"
urlpatterns = [
    path("", views.ledger, name="ledger"),
    path("import/", import_views.upload, name="import"),
    path("import/<int:pk>/", import_views.preview, name="import_preview"),
    path("import/<int:pk>/commit/", import_views.commit, name="import_commit"),
    path("<int:pk>/", views.hazard_detail, name="detail"),
    path("<int:pk>/act/", views.hazard_act, name="act"),
    path("<int:pk>/photos/<int:photo_pk>/", views.hazard_photo, name="photo"),
]
