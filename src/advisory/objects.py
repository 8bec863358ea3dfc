"""Making many small Python objects at once (the assessment's records, a road layer's pieces),
and keeping them.

Python's cyclic garbage collector runs every few hundred allocations, and each full pass walks
every live object again. Building 10,000 locations makes a million small objects, none of them
garbage, so the passes grow with the work and dominate it (measured: validating 10,000 location
records took 6.0 s with the collector running, against 0.6 s paused). Reference counting still
frees memory while it is paused.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_keepers = 0  # open `thawed_after` blocks: someone will give frozen objects back


@contextmanager
def gc_paused(keep: bool = False) -> Iterator[None]:
    """The cyclic collector paused for the block, and restored as it was.

    With `keep`, everything alive at the end of the block, the objects it made above all, is
    frozen (`gc.freeze`) when a `thawed_after` block encloses it. They were all made while
    the collector was paused, so they are all still young: the first steps that allocate
    afterwards set off collections that walk every one of them, up to a full one (measured at
    1M events x 10k places: 0.8 s right after the engine's records are built, 3-7 s in a desk
    update's next steps, 5 s in the routes after rating a national road layer's 36,557
    locations; pausing the collector around one later step only moves them to the next).
    Frozen, no collection walks them again; reference counting still frees them."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if keep and _keepers:
            gc.freeze()
        if was:
            gc.enable()


@contextmanager
def thawed_after() -> Iterator[None]:
    """Objects kept by `gc_paused(keep=True)` in the block are given back to the collector at
    its end (not when something else had frozen objects before: that is its to undo, and ours
    stay frozen, which costs only the cycles among them never being freed). Outside such a
    block nothing is frozen: a program that assesses again and again keeps its collector."""
    global _keepers
    theirs = gc.get_freeze_count() > 0
    _keepers += 1
    try:
        yield
    finally:
        _keepers -= 1
        if not theirs and not _keepers:
            gc.unfreeze()
