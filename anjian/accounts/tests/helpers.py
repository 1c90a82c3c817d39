"""Test helpers for the accounts app's tests (and the other apps' tests that sign in)."""

from __future__ import annotations

from html.parser import HTMLParser

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


class Tags(HTMLParser):
    """A page's start tags in document order, to find an element and where it stands."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def find(self, tag: str, **wanted: str) -> tuple[int, dict[str, str]]:
        """(position, attributes) of the first `tag` with these attributes."""
        for position, (name, attrs) in enumerate(self.tags):
            if name == tag and all(attrs.get(k) == v for k, v in wanted.items()):
                return position, attrs
        raise AssertionError(f"no <{tag}> with {wanted}")

    def form_inputs(self) -> dict[str, set[str]]:
        """The classes of each visible input, select and text area a Django form rendered
        (their ids start with id_), by id."""
        return {
            attrs["id"]: set(attrs.get("class", "").split())
            for tag, attrs in self.tags
            if tag in {"input", "select", "textarea"}
            and attrs.get("id", "").startswith("id_")
            and attrs.get("type") != "hidden"
        }


BOOTSTRAP_INPUTS = {"form-control", "form-select", "form-check-input"}


def unstyled_inputs(html: str) -> list[str]:
    """Ids of the form inputs on a page that carry none of Bootstrap's input classes."""
    return sorted(
        i for i, classes in Tags(html).form_inputs().items() if not classes & BOOTSTRAP_INPUTS
    )
