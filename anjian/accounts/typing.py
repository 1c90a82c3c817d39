"""Types for requests that have passed authentication (every page but login, every API call
but the token exchange)."""

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from anjian.accounts.models import User

AnyUser = User | AnonymousUser


class AuthedRequest(HttpRequest):
    user: User
    htmx: HtmxDetails
