from django.urls import path

from anjian.checklists import views

app_name = "checklists"
urlpatterns = [
    path("", views.checklist_list, name="list"),
    path("new/", views.checklist_create, name="create"),
    path("versions/<int:pk>/", views.version_detail, name="version"),
    path("versions/<int:pk>/draft/", views.draft_create, name="draft"),
    path("versions/<int:pk>/publish/", views.publish, name="publish"),
    path("versions/<int:pk>/items/new/", views.item_add, name="item_add"),
    path("items/<int:pk>/edit/", views.item_edit, name="item_edit"),
    path("items/<int:pk>/remove/", views.item_remove, name="item_remove"),
]
