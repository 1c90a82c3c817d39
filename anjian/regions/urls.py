from django.urls import path

from anjian.regions import views

app_name = "regions"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("grids/<int:pk>/", views.grid_detail, name="grid"),
]
