"""What other apps may add to field work's pages (anjian.lib.slots)."""

from anjian.lib.slots import Slot

# One visit's page: the notices issued from it …
VISIT_PAGE = Slot("visit page")
