"""Every answer under /api/ is JSON in the API's error shape when it is an error — whoever
gives it: a route, Django (no route, a path the converter refuses, a method not served, a
body too large) or a server error — and no answer there may be kept by a cache. Ids beyond
the database's range are a 422 naming the field, never a query the database refuses."""

from __future__ import annotations

import json
import logging

from django.test import TestCase, override_settings

from anjian.accounts.models import Role
from anjian.regions.models import RegionLevel
from anjian.test import make_region, make_user

TOO_BIG = 2**63  # one past the database's ids (BigAutoField)


class ApiResponsesTests(TestCase):
    def setUp(self) -> None:
        zone = make_region("开发区", RegionLevel.ZONE, code="01")
        self.admin = make_user("admin", Role.ZONE_ADMIN, region=zone)

    def assertJsonError(self, response, status: int) -> dict:  # type: ignore[no-untyped-def, type-arg]
        self.assertEqual(response.status_code, status, response.content[:300])
        self.assertEqual(response["Content-Type"].split(";")[0], "application/json")
        self.assertIn("no-store", response["Cache-Control"])
        body = response.json()
        self.assertIsInstance(body["detail"], str)
        self.assertTrue(body["detail"])
        self.assertIsInstance(body["errors"], list)
        return body  # type: ignore[no-any-return]

    def test_anonymous_gets_a_json_401(self) -> None:
        self.assertJsonError(self.client.get("/api/v1/hazards"), 401)

    def test_paths_no_route_or_converter_takes_are_a_json_404(self) -> None:
        self.client.force_login(self.admin)
        for url in ("/api/v1/enterprises/-1", "/api/v1/enterprises/abc", "/api/v1/nothing-here",
                    f"/api/v1/enterprises/{TOO_BIG}"):  # fmt: skip
            with self.subTest(url=url):
                self.assertJsonError(self.client.get(url), 404)

    def test_a_method_a_route_does_not_serve_is_a_json_405_saying_which_it_does(self) -> None:
        self.client.force_login(self.admin)
        response = self.client.delete("/api/v1/hazards")
        self.assertJsonError(response, 405)
        self.assertIn("GET", response["Allow"])

    @override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
    def test_a_body_too_large_is_a_json_413(self) -> None:
        self.client.force_login(self.admin)
        body = json.dumps({"type": "notice", "requirements": "改" * 2000})
        response = self.client.post("/api/v1/notices", body, content_type="application/json")
        self.assertJsonError(response, 413)

    @override_settings(ROOT_URLCONF="anjian.lib.tests.failing_urls")
    def test_a_server_error_is_a_json_500_and_is_logged(self) -> None:
        self.client.raise_request_exception = False
        with self.assertLogs("django.request", level=logging.ERROR) as logged:
            response = self.client.get("/api/v1/fails")
        self.assertJsonError(response, 500)
        self.assertIn("a defect", "\n".join(logged.output))

    def test_ids_beyond_the_range_are_a_422_naming_the_field(self) -> None:
        self.client.force_login(self.admin)
        cases = [
            ("get", f"/api/v1/grids?office={TOO_BIG}", None, "office"),
            ("get", f"/api/v1/grids?village={TOO_BIG}", None, "village"),
            ("get", f"/api/v1/regions?parent={TOO_BIG}", None, "parent"),
            ("get", f"/api/v1/dashboard?office={TOO_BIG}", None, "office"),
            ("get", f"/api/v1/checklists?enterprise={TOO_BIG}", None, "enterprise"),
            ("get", f"/api/v1/hazards?office={TOO_BIG}", None, "office"),
            ("post", "/api/v1/notices", {"type": "notice", "hazards": [TOO_BIG]}, "hazards"),
            ("post", "/api/v1/notices", {"type": "notice", "visit": TOO_BIG}, "visit"),
            ("post", "/api/v1/draws", {"title": "抽查", "size": 1, "seed": TOO_BIG}, "seed"),
            ("post", "/api/v1/draws", {"title": "抽查", "size": 1, "officers": [0]}, "officers"),
        ]
        for method, url, payload, field in cases:
            with self.subTest(url=url, field=field):
                if method == "get":
                    response = self.client.get(url)
                else:
                    response = self.client.post(url, json.dumps(payload), "application/json")
                body = self.assertJsonError(response, 422)
                fields = [e["field"] for e in body["errors"]]
                self.assertTrue(any(f.split(".")[0] == field for f in fields), fields)

    def test_every_api_answer_is_no_store_and_pages_keep_their_own(self) -> None:
        self.client.force_login(self.admin)
        self.assertIn("no-store", self.client.get("/api/v1/hazards")["Cache-Control"])
        page = self.client.get("/hazards/")
        self.assertEqual(page.status_code, 200)
        self.assertNotIn("no-store", page.get("Cache-Control", ""))
        missing = self.client.get("/no-such-page/")
        self.assertEqual(missing.status_code, 404)
        self.assertIn("text/html", missing["Content-Type"])

    def test_the_document_declares_the_bounds(self) -> None:
        document = self.client.get("/api/v1/openapi.json").json()
        office = next(
            p for p in document["paths"]["/api/v1/grids"]["get"]["parameters"]
            if p["name"] == "office"
        )  # fmt: skip
        schema = office["schema"]
        bounded = schema.get("anyOf", [schema])[0]
        self.assertEqual((bounded["minimum"], bounded["maximum"]), (1, TOO_BIG - 1))
