"""Entries written before a model moved app are read under its new label (audit 0002)."""

from __future__ import annotations

from importlib import import_module

from django.apps import apps
from django.test import TestCase

from anjian.audit.models import Channel, Entry

relabeling = import_module("anjian.audit.migrations.0002_moved_object_types")


def entry(object_type: str) -> Entry:
    return Entry.objects.create(
        action="x.save", object_type=object_type, object_id="7", channel=Channel.PAGE
    )


class MovedLabelTests(TestCase):
    def test_each_new_label_is_a_model_and_each_old_one_no_longer_is(self) -> None:
        labels = {m._meta.label_lower for m in apps.get_models()}
        for old, new in relabeling.MOVED.items():
            with self.subTest(old=old):
                self.assertIn(new, labels)
                self.assertNotIn(old, labels)

    def test_old_labels_become_new_and_back_and_others_stay(self) -> None:
        old = [entry(label) for label in relabeling.MOVED]
        kept = entry("hazards.hazard")
        relabeling.relabel(relabeling.MOVED)(apps, None)
        for e, new in zip(old, relabeling.MOVED.values(), strict=True):
            self.assertEqual(Entry.objects.get(pk=e.pk).object_type, new)
        self.assertEqual(Entry.objects.get(pk=kept.pk).object_type, "hazards.hazard")
        back = {new: old for old, new in relabeling.MOVED.items()}
        relabeling.relabel(back)(apps, None)
        for e, label in zip(old, relabeling.MOVED, strict=True):
            self.assertEqual(Entry.objects.get(pk=e.pk).object_type, label)
