"""Session sign-in that loads, with the user, what the request's scope is made of."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from anjian.accounts.models import User
from anjian.accounts.scope import with_scope_columns


class ScopedModelBackend(ModelBackend):
    """Django's ModelBackend; the user of each request comes with its region.

    `get_user` runs on every request that reads `request.user` from the session: one query
    instead of one for the user and one or two more for its scope (accounts.scope). Nothing
    is kept between requests, so a deactivation or a new region counts on the next request.
    """

    def get_user(self, user_id: Any) -> User | None:
        found = list(with_scope_columns(User._default_manager.filter(pk=user_id))[:1])
        user = found[0] if found else None
        return user if user is not None and self.user_can_authenticate(user) else None
