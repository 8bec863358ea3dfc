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


@contextmanager
def gc_paused() -> Iterator[None]:
    """The cyclic collector paused for the block, and restored as it was."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def freeze_heap() -> None:
    """Take every object alive now, a fresh assessment's records above all, out of the cyclic
    collector's reach (`gc.freeze`; reference counting still frees them) until the end of the
    enclosing `thawed_after` block. The engine builds its millions of records with the
    collector paused, so they are all still young: the first steps that allocate after it set
    off collections that walk every one of them, up to a full one (at 1M events x 10k places,
    3-7 s in whatever step came next: parsing the previous advisory, then comparing; pausing
    the collector around one step only moved them to the next)."""
    gc.freeze()


@contextmanager
def thawed_after() -> Iterator[None]:
    """What `freeze_heap` froze in the block is given back to the collector at its end, once
    the run is released (not when something else had frozen objects before: that is its to
    undo, and ours stay frozen, which costs only the cycles among them never being freed)."""
    theirs = gc.get_freeze_count() > 0
    try:
        yield
    finally:
        if not theirs:
            gc.unfreeze()
