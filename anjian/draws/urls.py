from django.urls import path

from anjian.draws import views

app_name = "draws"
urlpatterns = [
    path("", views.draw_list, name="list"),
    path("new/", views.draw_create, name="create"),
    path("<int:pk>/", views.draw_detail, name="detail"),
    path("<int:pk>/publish/", views.draw_publish, name="publish"),
]
