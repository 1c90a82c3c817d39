from django.urls import path

from anjian.fieldwork import views

app_name = "fieldwork"
urlpatterns = [
    path("", views.field, name="field"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("enterprises/", views.enterprise_choices, name="enterprises"),
    path("enterprises/<int:pk>/checklists/", views.enterprise_checklists, name="checklists"),
    path("visits/", views.visit_list, name="visits"),
    path("visits/<int:pk>/", views.visit_detail, name="visit"),
    path("visits/<int:pk>/photos/<int:photo_pk>/", views.visit_photo, name="visit_photo"),
]
