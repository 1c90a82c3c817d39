"""What other apps may add to the ledger's pages (anjian.lib.slots)."""

from anjian.lib.slots import Slot

# One hazard's page: the notices that name it …
HAZARD_PAGE = Slot("hazard page")
