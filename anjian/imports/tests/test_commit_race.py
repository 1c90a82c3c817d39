"""One import batch is committed at most once, also when two commits of it race (a double
click, a retried request, two app servers): the commit locks its batch inside its own
transaction, so the second waits and is refused. Played on the registry import, whose page
once marked the batch committed after the transaction, and on the hazard ledger import."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.test import TransactionTestCase
from django.utils import translation
from django.utils.translation import gettext as _

from anjian.accounts.models import User
from anjian.enterprises import importing as registry
from anjian.enterprises.models import Enterprise
from anjian.hazards import importing as ledger
from anjian.hazards.models import Hazard
from anjian.imports import batches
from anjian.imports.models import ImportBatch, ImportKind
from anjian.imports.reports import ImportRejected
from anjian.races import race_office, run_together, shared_database


def csv(text: str) -> bytes:
    return text.encode("utf-8")


class CommitRaceTests(TransactionTestCase):
    def setUp(self) -> None:
        _zone, self.grid, self.ea, self.li, self.ma = race_office()

    def commit_twice(self, commit: Any, batch: ImportBatch) -> list[Any]:
        # Both requests have read the upload before either commits (as two clicks do: a
        # request that reads it after the commit finds it committed and answers 404), however
        # the threads happen to be scheduled.
        uploads = [ImportBatch.objects.get(pk=batch.pk) for _ in range(2)]
        user = User.objects.get(pk=self.li.pk)

        def one(fresh: ImportBatch) -> Any:
            def run() -> str:
                commit(fresh, user)
                return "committed"

            return run

        with shared_database() as bind:
            return run_together(*(bind(one(u)) for u in uploads))

    def assert_once(self, results: list[Any], batch: ImportBatch) -> None:
        committed = [r for r in results if r == "committed"]
        refused = [r for r in results if isinstance(r, ImportRejected)]
        self.assertEqual((len(committed), len(refused)), (1, 1), results)
        # Said in whichever language the loser's thread had active.
        said = set()
        for language in ("en", settings.LANGUAGE_CODE):
            with translation.override(language):
                said.add(_("This file has already been imported."))
        self.assertIn(refused[0].reason, said)
        batch.refresh_from_db()
        self.assertIsNotNone(batch.committed_at)
        self.assertEqual(bytes(batch.content), b"")

    def test_two_commits_of_one_registry_upload_import_it_once(self) -> None:
        content = csv(f"企业名称,所属网格,监管行业\n杨桥新厂,{self.grid.code},machinery\n")
        batch = batches.upload(
            ImportKind.REGISTRY, by=self.li, filename="名录.csv", content=content
        )

        def commit(fresh: ImportBatch, by: User) -> None:
            registry.commit(
                bytes(fresh.content), fresh.filename, by=by, on_duplicate=None, batch=fresh
            )

        self.assert_once(self.commit_twice(commit, batch), batch)
        self.assertEqual(Enterprise.objects.filter(name="杨桥新厂").count(), 1)

    def test_two_commits_of_one_ledger_upload_import_it_once(self) -> None:
        content = csv(f"企业名称,隐患描述,发现时间\n{self.ea.name},消防通道堵塞,2025-03-04\n")
        batch = batches.upload(ImportKind.HAZARDS, by=self.li, filename="台账.csv", content=content)

        def commit(fresh: ImportBatch, by: User) -> None:
            ledger.commit_batch(fresh, by=by, on_duplicate=None)

        self.assert_once(self.commit_twice(commit, batch), batch)
        self.assertEqual(Hazard.objects.filter(enterprise=self.ea).count(), 1)
