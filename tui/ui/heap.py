"""Keeping Python's cyclic garbage collector off the keystroke path.

The collector's oldest generation walks every container object the process holds. At 100k
papers that is the index's caches, the "for you" features and Textual's widgets: a full
collection took 170-450 ms at a time, landing on whichever key press allocated last. The
objects built at start-up live as long as the app, so once they are built they are moved
out of the collector's sight (`gc.freeze`, which costs no walk); what is made later is
still collected as usual.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


def keep_built() -> int:
    """Exclude every object alive now from future collections; returns how many are set aside.

    Called when a start-up stage has finished building what lasts (the app mounted, the "for
    you" order trained, the index opened). Garbage that is part of a cycle at that moment is
    kept too, once: a bounded cost, against a pause on every full collection.
    """
    gc.freeze()
    return gc.get_freeze_count()


#: Young-generation collections between two full ones while start-up work builds what lasts
#: (the default is 10): in effect no full collection until it ends and `keep_built` runs.
BUILDING_FULL_EVERY = 1_000_000


@contextmanager
def building() -> Iterator[None]:
    """Around start-up work that builds long-lived objects in a worker (training "for you").

    Each full collection would walk everything built so far, again and again as it grows (15
    of them, up to 450 ms each, during one training at 100k papers), on whichever thread
    allocates, the UI's included. Young objects are still collected as usual; at the end what
    was built is set aside (`keep_built`) and full collections resume.
    """
    first, second, third = gc.get_threshold()
    gc.set_threshold(first, second, max(third, BUILDING_FULL_EVERY))
    try:
        yield
    finally:
        now = gc.get_threshold()
        gc.set_threshold(now[0], now[1], third)
        keep_built()
