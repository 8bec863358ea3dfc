"""Small array helpers the engine needs at scale, where NumPy's general versions are slow."""

from __future__ import annotations

import numpy as np


def unique_sorted(values: np.ndarray) -> np.ndarray:
    """`np.unique` for integer keys: sort, then drop repeats.

    NumPy 2's hash-based `np.unique` is many times slower than a plain sort on millions of
    int64 keys (measured: 2.7 s against 0.2 s for 2M keys)."""
    out = np.sort(values)
    if out.size < 2:
        return out
    keep = np.empty(out.size, dtype=bool)
    keep[0] = True
    np.not_equal(out[1:], out[:-1], out=keep[1:])
    return out[keep]
