"""Boundaries drawn as SVG: north up, proportions kept, several shapes in one space."""

from __future__ import annotations

from django.test import SimpleTestCase

from anjian.lib.geo import draw, rings

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[120.0, 31.0], [120.1, 31.0], [120.1, 31.1], [120.0, 31.1], [120.0, 31.0]]],
}
EAST = {
    "type": "Polygon",
    "coordinates": [[[120.1, 31.0], [120.2, 31.0], [120.2, 31.1], [120.1, 31.0]]],
}


class GeoTests(SimpleTestCase):
    def test_rings_of_polygons_and_multipolygons(self) -> None:
        self.assertEqual(len(rings(SQUARE)), 1)
        multi = {
            "type": "MultiPolygon",
            "coordinates": [SQUARE["coordinates"], EAST["coordinates"]],
        }
        self.assertEqual(len(rings(multi)), 2)
        self.assertEqual(rings({"type": "Point", "coordinates": [1, 2]}), [])

    def test_north_is_up_and_east_is_right(self) -> None:
        drawing = draw([SQUARE, EAST], width=1000)
        first = drawing.paths[0].split()[0]  # M x,y of (120.0, 31.0): the south-west corner
        x, y = (float(v) for v in first[1:].split(","))
        self.assertEqual(x, 0.0)
        self.assertGreater(y, 0.0)  # south is down
        width, height = (float(v) for v in drawing.view_box.split()[2:])
        # Two 0.1° squares side by side at 31°N: about 2 × cos(31°) wide for 1 high.
        self.assertAlmostEqual(width / height, 2 * 0.857, places=2)
        self.assertTrue(drawing.paths[1].startswith("M500.0,"))  # the east shape starts mid-way

    def test_nothing_to_draw(self) -> None:
        drawing = draw([{"type": "Point"}])
        self.assertEqual(drawing.paths, [""])
