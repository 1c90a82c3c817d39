from django.urls import path

from anjian.regions import views

app_name = "regions"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("<int:parent_pk>/new/", views.region_create, name="create"),
    path("grids/<int:pk>/", views.grid_detail, name="grid"),
    path("grids/<int:pk>/assign/", views.assign, name="assign"),
    path("grids/<int:pk>/terms/<int:term_pk>/end/", views.end_term, name="end_term"),
]
