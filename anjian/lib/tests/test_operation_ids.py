"""An operationId, once published, stays: clients generated from the OpenAPI document name
their methods after it, so a view that moves module keeps its id (config.api)."""

from __future__ import annotations

from django.test import SimpleTestCase

from config.api import api

# Published before issue 8 moved their views to apps of their own.
PUBLISHED = {
    ("/api/v1/coverage", "get"): "anjian_fieldwork_coverage_api_list_coverage",
    ("/api/v1/draws", "post"): "anjian_fieldwork_draw_api_create_draw",
    ("/api/v1/notices", "post"): "anjian_hazards_notice_api_create_notice",
    ("/api/v1/notices/{notice_id}.pdf", "get"): "anjian_hazards_notice_api_get_pdf",
    ("/api/v1/photos", "post"): "anjian_fieldwork_api_upload_photo",
    ("/api/v1/hazards/exports/ledger.xlsx", "get"): "anjian_hazards_export_api_ledger_xlsx",
    (
        "/api/v1/hazards/exports/statistics/{enterprise_id}",
        "get",
    ): "anjian_hazards_export_api_statistics",
    ("/api/v1/hazards/import", "post"): "anjian_hazards_import_api_import_ledger",
    # A view that never moved: its module's own path.
    ("/api/v1/hazards", "get"): "anjian_hazards_api_list_hazards",
}


class OperationIdTests(SimpleTestCase):
    def test_published_ids_stay_and_every_id_is_unique(self) -> None:
        paths = api.get_openapi_schema()["paths"]
        for (path, method), expected in PUBLISHED.items():
            with self.subTest(path=path, method=method):
                self.assertEqual(paths[path][method]["operationId"], expected)
        ids = [op["operationId"] for item in paths.values() for op in item.values()]
        self.assertEqual(len(ids), len(set(ids)))
