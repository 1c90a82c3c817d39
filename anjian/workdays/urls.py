from django.urls import path

from anjian.workdays import views

app_name = "workdays"
urlpatterns = [
    path("", views.years, name="years"),
    path("new/", views.enter_year, name="enter"),
]
