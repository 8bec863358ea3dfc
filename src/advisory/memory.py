"""Allocator settings for a command line run: one short batch job per process.

A large assessment frees and refills gigabytes in its stages: the parsed columns, the pairs of
each exposure, the records. The allocators' defaults suit long-lived servers and hand freed
memory back to the system at once or soon after; each page handed back and taken again costs
a system call or a page fault (at 1M events x 10k places, a third of the run's CPU time went to
the kernel). The allocator settings below keep freed memory for reuse a little longer; measured
on that run (medians of 5 to 9 runs interleaved with the same code without them), the peak
stayed under 2 GB (1.6-1.73 GB against 1.61 GB). NumPy is kept off huge pages (see below).
"""

from __future__ import annotations

import contextlib
import ctypes
import os

# polars' jemalloc gives freed memory back 0.5 s after it is freed, in two madvise passes
# (polars/__init__.py sets that; pola-rs/polars#23128 discusses the trade-off). Kept 2 s and
# purged in one pass: 0.23 s less, peak 1.73 GB instead of 1.61 GB. polars appends this to its
# own settings, so these win; a value the user set in the environment is left as it is.
ALLOCATOR_ENV = "_RJEM_MALLOC_CONF"
ALLOCATOR_CONF = "dirty_decay_ms:2000,muzzy_decay_ms:0"

# glibc's malloc (NumPy's arrays, Python's objects) maps each block above a threshold that
# grows to 32 MB as blocks are freed, and trims the heap's top beyond twice that: arrays of a
# few MB were mapped, zeroed by the kernel and unmapped again, stage after stage. Blocks up to
# 32 MB (the most a 64-bit glibc allows; a 32-bit one refuses it) now come from the heap, which
# keeps up to 1 GB free at its top: 0.07 to 0.14 s less (medians of two runs of 7 and 9 against
# the same code without), the same peak.
M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3  # mallopt parameters, from glibc's malloc.h
MMAP_THRESHOLD = 32 << 20
TRIM_THRESHOLD = 1 << 30

# NumPy asks the kernel for transparent huge pages for every array of 4 MB or more: each is
# then zeroed 2 MB at a time as it is first touched, used in full or not, and the arrays of
# one stage are freed and made again in the next. Without: 0.15 s less kernel time (1.37 s
# against 1.21 s, medians of 6 runs), and 0.08-0.5 s less CPU in all (medians of 6 and 8).
HUGEPAGE_ENV = "NUMPY_MADVISE_HUGEPAGE"


def tune_for_batch() -> bool:
    """Apply the settings; call before polars and NumPy are imported. True if glibc took its
    part (on another C library, or a 32-bit one, only the polars and NumPy settings apply)."""
    os.environ.setdefault(ALLOCATOR_ENV, ALLOCATOR_CONF)
    os.environ.setdefault(HUGEPAGE_ENV, "0")  # read when NumPy is first imported
    # no C library to open by that name (Windows), or one without mallopt (musl, macOS)
    with contextlib.suppress(OSError, AttributeError, TypeError):
        libc = ctypes.CDLL(None)
        took = libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1
        return libc.mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD) == 1 and took
    return False
