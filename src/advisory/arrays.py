"""Small array helpers the engine needs at scale, where NumPy's general versions are slow."""

from __future__ import annotations

import numpy as np

_U32_MAX = np.iinfo(np.uint32).max


def unique_sorted(values: np.ndarray) -> np.ndarray:
    """`np.unique` for integer keys: sort, then drop repeats.

    NumPy 2's hash-based `np.unique` is many times slower than a plain sort on millions of
    int64 keys (measured: 2.7 s against 0.2 s for 2M keys). Keys that fit in 32 bits are sorted
    as such, which halves the time again (measured: 0.04 s against 0.08 s for 1.2M keys); the
    result keeps the input's type."""
    narrow = (
        values.size > 0
        and values.dtype.kind in "iu"
        and values.min() >= 0
        and values.max() <= _U32_MAX
    )
    out = np.sort(values.astype(np.uint32) if narrow else values)
    if out.size >= 2:
        keep = np.empty(out.size, dtype=bool)
        keep[0] = True
        np.not_equal(out[1:], out[:-1], out=keep[1:])
        out = out[keep]
    return out.astype(values.dtype, copy=False)
