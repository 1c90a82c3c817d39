from django.urls import path

from anjian.hazards import notice_views as views

app_name = "notices"
urlpatterns = [
    path("", views.notice_list, name="list"),
    path("new/", views.notice_create, name="create"),
    path("<int:pk>/", views.notice_detail, name="detail"),
    path("<int:pk>/serve/", views.notice_serve, name="serve"),
    path("<int:pk>.docx", views.notice_document, {"kind": "docx"}, name="docx"),
    path("<int:pk>.pdf", views.notice_document, {"kind": "pdf"}, name="pdf"),
]
