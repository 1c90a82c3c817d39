from django.urls import include, path

from anjian.enforcement import views

notice_patterns = [
    path("", views.notice_list, name="list"),
    path("new/", views.notice_create, name="create"),
    path("<int:pk>/", views.notice_detail, name="detail"),
    path("<int:pk>/serve/", views.notice_serve, name="serve"),
    path("<int:pk>.docx", views.notice_document, {"kind": "docx"}, name="docx"),
    path("<int:pk>.pdf", views.notice_document, {"kind": "pdf"}, name="pdf"),
]

# Mounted at the site's root: each kind of enforcement record has its own prefix.
urlpatterns = [
    path("notices/", include((notice_patterns, "notices"))),
]
