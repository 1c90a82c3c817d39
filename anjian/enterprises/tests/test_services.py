"""The write functions re-check role and scope themselves, whatever the caller checked."""

from __future__ import annotations

from typing import Any
from unittest import mock

from django.http import Http404
from django.utils import translation

from anjian.audit.models import Entry
from anjian.enterprises import importing, services
from anjian.enterprises.models import Enterprise, Sector, StatusChange
from anjian.enterprises.tests.helpers import HEADER, xlsx_bytes
from anjian.lib.errors import NotAllowed
from anjian.test import World


class WriteFunctionTests(World):
    def data(self, **fields: Any) -> dict[str, Any]:
        return {"name": "杨桥新厂", "grid": self.grid_a, "sector": Sector.MACHINERY} | fields

    def assert_nothing_written(self) -> None:
        self.assertEqual(Enterprise.objects.count(), 3)
        self.assertFalse(Entry.objects.exists())

    def test_lookup_hides_out_of_scope_before_checking_the_role(self) -> None:
        with self.assertRaises(Http404):
            services.get_enterprise_for(self.sun, self.ea.pk, write=True)
        with self.assertRaises(NotAllowed):
            services.get_enterprise_for(self.zhao, self.ea.pk, write=True)
        self.assertEqual(services.get_enterprise_for(self.zhao, self.ea.pk), self.ea)

    def test_create_refuses_roles_without_edit(self) -> None:
        with self.assertRaises(NotAllowed):
            services.create_enterprise(self.data(), by=self.zhao)
        self.assert_nothing_written()

    def test_create_refuses_a_grid_out_of_scope(self) -> None:
        with self.assertRaises(NotAllowed):
            services.create_enterprise(self.data(grid=self.grid_b), by=self.li)
        self.assert_nothing_written()

    def test_update_by_someone_out_of_scope_is_not_found(self) -> None:
        with self.assertRaises(Http404):
            services.update_enterprise(self.ea, {"name": "改名"}, by=self.qian, version=1)
        self.assertEqual(Enterprise.objects.get(pk=self.ea.pk).name, self.ea.name)
        self.assertFalse(Entry.objects.exists())

    def test_update_refuses_moving_out_of_scope(self) -> None:
        with self.assertRaises(NotAllowed):
            services.update_enterprise(self.ea, {"grid": self.grid_b}, by=self.li, version=None)
        self.assertEqual(Enterprise.objects.get(pk=self.ea.pk).grid, self.grid_a)
        self.assertFalse(Entry.objects.exists())

    def test_bulk_create_is_for_importers_only(self) -> None:
        with self.assertRaises(NotAllowed):
            services.bulk_create_enterprises([self.data()], by=self.zhang)
        self.assert_nothing_written()

    def test_failure_late_in_a_commit_leaves_nothing_behind(self) -> None:
        rows = [
            [*HEADER, "经营状态"],
            ["杨桥甲厂", "", "GA", "textile", ""],
            ["杨桥乙厂", "", "GA", "textile", "关停"],
        ]
        with (
            mock.patch.object(importing, "change_status", side_effect=RuntimeError("disk full")),
            translation.override("en"),
            self.assertRaises(RuntimeError),
        ):
            importing.commit(xlsx_bytes(rows), "名录.xlsx", by=self.li, on_duplicate=None)
        self.assert_nothing_written()
        self.assertFalse(StatusChange.objects.exists())
