"""What other apps may add to the registry's pages (anjian.lib.slots)."""

from anjian.lib.slots import Slot

# The enterprise page (一企一档): its hazards, visits, checklists, notices, statistics …
ENTERPRISE_PAGE = Slot("enterprise page")
