"""Test helpers for the accounts app's tests (and the other apps' tests that sign in)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.test import override_settings

from anjian.accounts.models import User
from anjian.accounts.services import issue_token
from anjian.test import PASSWORD, World

# Argon2 takes a quarter of a second per check by design; tests that sign in many times use
# a cheap hasher so the suite stays fast. One test keeps the real hasher (test_sign_in).
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
REAL_HASHERS = list(settings.PASSWORD_HASHERS)


@override_settings(PASSWORD_HASHERS=FAST_HASHERS)
class SignInWorld(World):
    """The world, with every persona's password hashed cheaply."""

    @classmethod
    def setUpTestData(cls) -> None:
        # The world is built with the real hasher, so the hash anjian.test caches for the
        # whole process stays an argon2 one for the classes that do not come here.
        with override_settings(PASSWORD_HASHERS=REAL_HASHERS):
            super().setUpTestData()
        cheap = make_password(PASSWORD)
        User.objects.update(password=cheap)
        for value in vars(cls).values():
            if isinstance(value, User):
                value.password = cheap


def bearer(user: User, name: str = "test") -> dict[str, str]:
    """Headers that authenticate as `user` with a fresh API token."""
    _token, raw = issue_token(user, name=name)
    return {"Authorization": f"Bearer {raw}"}
