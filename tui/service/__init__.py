"""The service: what the CLI and the app share, the one place where library and search meet.

    core.py      `Service`: imports, pages of searches and listings, counts, writes, export
    upkeep.py    `IndexKeeper`: the index opened, rebuilt and caught up under a cross-process lock
    opening.py   `open_service`: a data directory checked, migrated, backed up; damage set aside
                 (`finish_opening`: the check and backup the app runs after its first paint)
"""

from tui.service.core import Service, listing_flags
from tui.service.opening import finish_opening, open_service, set_damaged_aside
from tui.service.upkeep import IndexKeeper

__all__ = ["IndexKeeper", "Service", "finish_opening", "listing_flags", "open_service", "set_damaged_aside"]
