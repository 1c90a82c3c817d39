"""Every filter form of the project, as a person sees it: each choice once, and no empty
choice that says nothing ("---------")."""

from __future__ import annotations

import importlib
import pkgutil
import re
from typing import Any

from django import forms
from django.utils import translation

import anjian
from anjian.test import World

OPTION = re.compile(r'<option value="([^"]*)"')
EMPTY = re.compile(r'<option value=""[^>]*>([^<]*)<')
SELECT = re.compile(r"<select [^>]*>.*?</select>", re.S)


def all_forms() -> list[type[forms.BaseForm]]:
    """Every form class of every app's modules (tests and migrations aside)."""
    for module in pkgutil.walk_packages(anjian.__path__, "anjian."):
        if not re.search(r"\.(tests|migrations|management)\b", module.name):
            importlib.import_module(module.name)
    found: list[type[forms.BaseForm]] = []
    todo: list[type[Any]] = [forms.BaseForm]
    while todo:
        cls = todo.pop()
        todo += cls.__subclasses__()
        if cls.__module__.startswith("anjian."):
            found.append(cls)
    return found


def filter_forms() -> list[type[forms.BaseForm]]:
    return [f for f in all_forms() if f.__name__.endswith("Filter")]


class FilterFormTests(World):
    def test_the_filter_forms_are_all_found(self) -> None:
        names = {f.__name__ for f in filter_forms()}
        self.assertLessEqual(
            {"HazardFilter", "EnterpriseFilter", "VisitFilter", "CoverageFilter", "EntryFilter"},
            names,
        )

    def test_every_choice_field_of_every_form_has_unique_values(self) -> None:
        for form in all_forms():
            for name, field in getattr(form, "base_fields", {}).items():
                if isinstance(field, forms.ChoiceField) and not isinstance(
                    field, forms.ModelChoiceField
                ):
                    values = [str(v) for v, _label in field.choices]  # type: ignore[misc,union-attr]
                    with self.subTest(form=form.__name__, field=name):
                        self.assertEqual(len(values), len(set(values)), values)

    def test_every_filter_as_rendered_offers_each_value_once_and_names_its_empty_choice(
        self,
    ) -> None:
        for form_class in filter_forms():
            try:
                form = form_class(data={}, user=self.chen)  # type: ignore[call-arg]
            except TypeError:
                form = form_class(data={})
            with translation.override("zh-hans"):
                html = str(form)
            with self.subTest(form=form_class.__name__):
                self.assertNotIn("---------", html)
                for select in SELECT.findall(html):
                    values = OPTION.findall(select)
                    self.assertEqual(len(values), len(set(values)), select[:200])
                    for label in EMPTY.findall(select):
                        self.assertTrue(label.strip(), select[:200])
