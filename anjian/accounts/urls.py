from django.contrib.auth import views as auth_views
from django.urls import path

from anjian.accounts import views

app_name = "accounts"
urlpatterns = [
    path("password/", views.PasswordChangeView.as_view(), name="password"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.revoke, name="revoke"),
    path("people/", views.people, name="people"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/<int:pk>/", views.person_edit, name="person"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
