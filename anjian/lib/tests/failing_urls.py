"""A route under /api/ that fails, for the test that a server error there is JSON too."""

from django.http import HttpRequest, HttpResponse
from django.urls import path


def fails(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a defect")


urlpatterns = [path("api/v1/fails", fails)]
