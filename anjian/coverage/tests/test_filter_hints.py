"""The coverage filter says what it takes (issue 9 item 5)."""

from anjian.lib.periods import Kind, Period
from anjian.test import World


class CoverageFilterHintTests(World):
    def test_the_period_box_shows_the_formats_and_the_quarter_it_defaults_to(self) -> None:
        self.client.force_login(self.chen)
        html = self.client.get("/fieldwork/coverage/", HTTP_ACCEPT_LANGUAGE="zh-hans").content
        page = html.decode()
        self.assertIn(f'placeholder="{Period.current(Kind.QUARTER).code}"', page)
        self.assertIn('id="id_period-help">如 2026Q3、2026-07 或 2026<', page)
        self.assertNotIn("---------", page)
        self.assertIn('<option value="" selected>全部</option>', page)
