"""/api/v1/checklists and /api/v1/checklists/versions/{id} on the permission ladder."""

from __future__ import annotations

from typing import Any

from anjian.accounts.tests.helpers import bearer
from anjian.checklists import services
from anjian.checklists.models import ChecklistVersion
from anjian.checklists.tests.helpers import adopt
from anjian.enterprises.models import EnterpriseTag, Tag
from anjian.enterprises.tests.helpers import EnglishWorld

URL = "/api/v1/checklists"


def published(code: str) -> ChecklistVersion:
    return ChecklistVersion.objects.published().get(checklist__code=code)


class ChecklistApiTests(EnglishWorld):
    def get(self, path: str, user: Any) -> Any:
        self.client.force_login(user)
        return self.client.get(path)

    def test_anonymous_gets_401(self) -> None:
        self.assertEqual(self.client.get(URL).status_code, 401)
        self.assertEqual(
            self.client.get(f"{URL}/versions/{published('TG-DUST').pk}").status_code, 401
        )

    def test_user_without_role_gets_403(self) -> None:
        r = self.get(URL, self.nobody)
        self.assertEqual(r.status_code, 403)
        self.assertIn("detail", r.json())

    def test_the_list_has_every_checklist_with_its_published_version(self) -> None:
        r = self.get(URL + "?with_count=true", self.zhao)
        body = r.json()
        self.assertIsNone(body["next"])
        self.assertEqual(body["count"], 16)
        by_code = {c["code"]: c for c in body["items"]}
        self.assertEqual(by_code["CHEM-2017"]["published"]["items"], 20)
        self.assertEqual(by_code["CHEM-2017"]["standard"]["doc_no"], "安监总管三〔2017〕121号")
        self.assertIsNone(by_code["TG-LIGHT"]["published"])
        self.assertIn("官方文本", by_code["TG-LIGHT"]["note"])

    def test_the_enterprise_parameter_lists_what_applies_to_it(self) -> None:
        EnterpriseTag.objects.create(enterprise=self.ea, tag=Tag.CONFINED_SPACE)
        r = self.get(f"{URL}?enterprise={self.ea.pk}", self.zhang)
        by_code = {c["code"]: c for c in r.json()["items"]}
        self.assertEqual(
            set(by_code),
            {
                "TG-MGMT",
                "TG-MACHINERY",
                "TG-CONFINED",
                "FIRE-DIRECT",
                "FIRE-COMBINED",
                "GEN-RANDOM",
            },
        )
        # TG-3-3 (metal smelting) does not apply: two of the three items.
        self.assertEqual(by_code["TG-MGMT"]["published"]["items"], 2)

    def test_an_enterprise_out_of_scope_is_not_found(self) -> None:
        r = self.get(f"{URL}?enterprise={self.ea.pk}", self.wang)
        self.assertEqual(r.status_code, 404)
        r = self.get(f"{URL}?enterprise=abc", self.wang)
        self.assertEqual(r.status_code, 422)
        self.assertEqual(r.json()["errors"][0]["field"], "enterprise")

    def test_a_version_comes_with_its_items(self) -> None:
        v = published("FIRE-COMBINED")
        r = self.client.get(f"{URL}/versions/{v.pk}", headers=bearer(self.li))
        body = r.json()
        self.assertEqual(body["status"], "published")
        self.assertEqual(body["checklist"]["code"], "FIRE-COMBINED")
        self.assertEqual(len(body["items"]), 7)
        first = body["items"][0]
        self.assertEqual(
            (first["code"], first["clause"], first["determination"], first["verification"]),
            ("FC-7.1.1", "7.1.1", "major_combined", "M"),
        )

    def test_a_version_narrowed_to_an_enterprise(self) -> None:
        v = published("TG-MGMT")
        r = self.get(f"{URL}/versions/{v.pk}?enterprise={self.ea.pk}", self.li)
        self.assertEqual([i["code"] for i in r.json()["items"]], ["TG-3-1", "TG-3-2"])

    def test_a_draft_is_not_found_except_for_editors(self) -> None:
        draft = services.new_draft(adopt("TG-NH3", self.chen), by=self.chen)
        self.assertEqual(self.get(f"{URL}/versions/{draft.pk}", self.li).status_code, 404)
        self.assertEqual(self.get(f"{URL}/versions/{draft.pk}", self.chen).status_code, 200)
        self.assertEqual(self.get(f"{URL}/versions/999999", self.chen).status_code, 404)
