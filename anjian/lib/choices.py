"""Mapping what people type (codes, English, Chinese, local variants) to choice values."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django import forms
from django.db.models import TextChoices
from django.utils import translation
from django.utils.translation import gettext as _


def choice_lookup(
    choices: type[TextChoices], extra: Mapping[str, Iterable[str]] | None = None
) -> dict[str, str]:
    """{typed text (lower-case): value} from the codes, both languages' labels, and `extra`."""
    lookup: dict[str, str] = {}
    for value in choices.values:
        lookup[value.lower()] = value
    for language in ("en", "zh-hans"):
        with translation.override(language):
            for value, label in choices.choices:
                lookup[str(label).strip().lower()] = value
    for value, words in (extra or {}).items():
        for word in words:
            lookup[word.strip().lower()] = value
    return lookup


def allowed_labels(choices: type[TextChoices]) -> str:
    """The labels in the active language, for an error message listing what is allowed."""
    return "、".join(str(label) for _v, label in choices.choices)


def not_allowed(text: str, allowed: str) -> str:
    """The message for a value that is not one of a column's choices."""
    return _("“%(v)s” is not allowed here. Use one of: %(allowed)s.") % {
        "v": text,
        "allowed": allowed,
    }


def read_choice(
    text: str, lookup: Mapping[str, str], choices: type[TextChoices], errors: list[str]
) -> str:
    """The value `text` names in `lookup` (from choice_lookup), "" for an empty cell; an
    unknown text adds its message to `errors` and gives ""."""
    if not text:
        return ""
    value = lookup.get(text.strip().lower())
    if value is None:
        errors.append(not_allowed(text, allowed_labels(choices)))
        return ""
    return value


def limit_choices(field: object, queryset: object) -> None:
    """Narrow a model choice field to what the user may pick (typed helper for forms)."""
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset  # type: ignore[assignment]
