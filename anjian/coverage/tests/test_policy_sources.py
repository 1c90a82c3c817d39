"""Coverage policy sources as a person reads them: the law or local practice, never the
platform's own references (issue 9 item 5)."""

import re
from pathlib import Path

from django.conf import settings

from anjian.coverage.models import CoveragePolicy, SourceTag
from anjian.test import World

# What a developer wrote for developers: the rules file, its sections, its source tags.
LEAKS = re.compile(r"RULES\.md|§|\[[VSML]\]")


class PolicySourceTests(World):
    def page(self) -> str:
        url = "/fieldwork/coverage/policies/"
        return self.client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    def test_the_policy_page_shows_local_practice_or_the_law_not_rules_md(self) -> None:
        self.client.force_login(self.chen)
        defaults = self.page()
        self.client.post("/fieldwork/coverage/policies/adopt/")
        CoveragePolicy.objects.filter(zone=self.zone, sector="fireworks").update(
            source_tag=SourceTag.VERIFIED,
            source="RULES.md §2.7: 《烟花爆竹安全管理条例》第十九条",
        )
        own = self.page()
        for name, page in (("defaults", defaults), ("own", own)):
            with self.subTest(table=name):
                self.assertIsNone(LEAKS.search(page), LEAKS.findall(page))
                self.assertIn("地方做法", page)
        self.assertIn(">《烟花爆竹安全管理条例》第十九条<", own)

    def test_no_template_or_translation_shows_a_developer_reference(self) -> None:
        root = Path(settings.BASE_DIR)
        for path in [
            *root.glob("anjian/**/templates/**/*.html"),
            *root.glob("locale/*/LC_MESSAGES/django.po"),
        ]:
            text = path.read_text()
            if path.suffix == ".html":
                text = re.sub(
                    r"\{#.*?#\}|\{% comment %\}.*?\{% endcomment %\}", "", text, flags=re.S
                )
            else:
                text = "\n".join(line for line in text.splitlines() if line.startswith("msgstr"))
            with self.subTest(path=str(path.relative_to(root))):
                self.assertEqual(LEAKS.findall(text), [])
