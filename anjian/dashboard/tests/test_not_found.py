from django.test import TestCase


class UnknownUrlTests(TestCase):
    def test_unknown_api_url_answers_json_404(self) -> None:
        for path in ("/api/v1/no-such-thing", "/api/v1/regions/not-a-number"):
            with self.subTest(path=path):
                r = self.client.get(path)
                self.assertEqual(r.status_code, 404)
                self.assertEqual(r["Content-Type"], "application/json")
                self.assertEqual(r.json()["errors"], [])

    def test_unknown_page_sends_anonymous_to_sign_in_first(self) -> None:
        r = self.client.get("/no-such-page/")
        self.assertEqual(r.status_code, 302)
        self.assertIn("/login/", r["Location"])
