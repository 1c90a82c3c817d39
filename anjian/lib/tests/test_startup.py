"""A serving process sets aside what it keeps for life (lib.startup, config/wsgi.py)."""

from __future__ import annotations

import gc

from django.test import SimpleTestCase

from anjian.lib.startup import settle


class SettleTests(SimpleTestCase):
    def tearDown(self) -> None:
        gc.unfreeze()

    def test_what_exists_after_setup_is_frozen_out_of_the_collections(self) -> None:
        gc.unfreeze()
        self.assertEqual(gc.get_freeze_count(), 0)
        kept = [object() for _ in range(10)]
        settle()
        # The URL patterns and the views they import are loaded, and everything that exists
        # now (these objects among it) is in the permanent generation, which no collection
        # walks and gc.get_objects() leaves out.
        self.assertGreater(gc.get_freeze_count(), len(kept))
        self.assertFalse(any(o is kept for o in gc.get_objects()))
