from django.urls import path

from anjian.hazards import views

app_name = "hazards"
urlpatterns = [
    path("", views.ledger, name="ledger"),
    path("<int:pk>/", views.hazard_detail, name="detail"),
    path("<int:pk>/act/", views.hazard_act, name="act"),
    path("<int:pk>/photos/<int:photo_pk>/", views.hazard_photo, name="photo"),
]
