"""Small array helpers the engine needs at scale, where NumPy's general versions are slow."""

from __future__ import annotations

import numpy as np
import polars as pl


def unique_sorted(values: np.ndarray) -> np.ndarray:
    """`np.unique` for integer keys: sort, then drop repeats.

    NumPy 2's hash-based `np.unique` is many times slower than a plain sort on millions of
    int64 keys (measured: 2.7 s against 0.2 s for 2M keys), and Polars sorts integers faster
    than NumPy again (measured: 0.018 s against 0.064 s for 1.2M int64 keys, on one thread)."""
    out = pl.Series(values).sort(multithreaded=False).to_numpy()
    keep = np.ones(out.size, dtype=bool)
    np.not_equal(out[1:], out[:-1], out=keep[1:])
    return out[keep]
