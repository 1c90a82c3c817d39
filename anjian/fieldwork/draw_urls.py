from django.urls import path

from anjian.fieldwork import draw_views

app_name = "draws"
urlpatterns = [
    path("", draw_views.draw_list, name="list"),
    path("new/", draw_views.draw_create, name="create"),
    path("<int:pk>/", draw_views.draw_detail, name="detail"),
    path("<int:pk>/publish/", draw_views.draw_publish, name="publish"),
]
