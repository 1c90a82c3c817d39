"""What other apps may add to the ledger's pages (anjian.lib.slots)."""

from anjian.lib.slots import Slot

# One hazard's page: the notices that name it …
HAZARD_PAGE = Slot("hazard page")

# The ledger page, above its list, given the page's filter form (bound or not, valid or
# not): the total and the quick filters' counts …
LEDGER_PAGE = Slot("ledger page")
