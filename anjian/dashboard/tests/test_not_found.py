from anjian.test import World


class UnknownUrlTests(World):
    def test_unknown_api_url_answers_json_404(self) -> None:
        r = self.client.get("/api/v1/no-such-thing")
        self.assertEqual(r.status_code, 404)
        self.assertEqual(r["Content-Type"], "application/json")
        self.assertEqual(r.json()["errors"], [])

    def test_malformed_id_in_an_api_path_is_a_json_error_naming_it(self) -> None:
        self.client.force_login(self.chen)
        r = self.client.get("/api/v1/regions/not-a-number")
        self.assertEqual(r.status_code, 422)
        self.assertEqual(r.json()["errors"][0]["field"], "region_id")

    def test_unknown_page_is_the_not_found_page(self) -> None:
        r = self.client.get("/no-such-page/")
        self.assertEqual(r.status_code, 404)
        self.assertTemplateUsed(r, "404.html")
