"""Free text finds the same rows whichever way it is answered (FTS5 or LIKE)."""

from unittest import mock

from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from anjian.enterprises.filters import SEARCH_TABLE
from anjian.enterprises.models import Enterprise
from anjian.lib import search
from anjian.test import World, make_enterprise


def find(term: str) -> set[str]:
    like = Q(name__contains=term) | Q(uscc__contains=term.upper()) | Q(address__contains=term)
    qs = search.contains(Enterprise.objects.all(), term, like, fts_table=SEARCH_TABLE)
    return set(qs.values_list("name", flat=True))


class SearchTests(World):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        make_enterprise(cls.grid_a, "恒泰五金制品有限公司", address="纬三路18号")
        make_enterprise(cls.grid_b, "华东精密机械有限公司", address="经五路2号")

    def test_rare_three_character_term_is_found_in_name_and_address(self) -> None:
        self.assertEqual(find("恒泰五金"), {"恒泰五金制品有限公司"})
        self.assertEqual(find("经五路"), {"华东精密机械有限公司"})

    def test_credit_code_fragment_is_found_in_either_case(self) -> None:
        code = Enterprise.objects.get(name="恒泰五金制品有限公司").uscc
        self.assertEqual(find(code[-6:].lower()), {"恒泰五金制品有限公司"})

    def test_two_character_terms_use_like_and_still_match(self) -> None:
        with CaptureQueriesContext(connection) as queries:
            names = find("精密")
        self.assertEqual(names, {"杨桥精密机械有限公司", "华东精密机械有限公司"})
        self.assertFalse(any("_fts" in q["sql"] for q in queries.captured_queries))

    def test_a_common_term_over_the_cap_gives_the_same_rows_through_like(self) -> None:
        fts_answer = find("有限公司")
        with mock.patch.object(search, "FTS_MAX_MATCHES", 0):
            like_answer = find("有限公司")
        self.assertEqual(fts_answer, like_answer)
        self.assertEqual(len(like_answer), 4)

    def test_renamed_and_deleted_enterprises_leave_the_index(self) -> None:
        e = Enterprise.objects.get(name="恒泰五金制品有限公司")
        Enterprise.objects.filter(pk=e.pk).update(name="恒盛五金制品有限公司")
        self.assertEqual(find("恒泰五金"), set())
        self.assertEqual(find("恒盛五金"), {"恒盛五金制品有限公司"})
        Enterprise.objects.filter(pk=e.pk).delete()
        self.assertEqual(find("恒盛五金"), set())

    def test_quotes_and_fts_syntax_in_the_term_are_literal(self) -> None:
        self.assertEqual(find('恒泰" OR "精密'), set())
        self.assertEqual(find("NEAR(五金"), set())

    def test_sqlite_answers_rare_terms_from_the_fts_table(self) -> None:
        if connection.vendor != "sqlite":
            self.skipTest("the FTS5 mirror exists on SQLite only")
        with CaptureQueriesContext(connection) as queries:
            find("恒泰五金")
        self.assertTrue(any("MATCH" in q["sql"] for q in queries.captured_queries))
