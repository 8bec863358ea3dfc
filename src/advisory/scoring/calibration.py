"""Apply a stored calibration map: the one function an assessment needs of the fitted maps
(`evaluation.metrics` fits them; it imports this so that both use the same arithmetic)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt


def apply_map(
    x_points: Sequence[float], y_points: Sequence[float], p: npt.ArrayLike, floor: float
) -> np.ndarray:
    """Calibrated probabilities from a stored map: linear between knots, flat beyond them, and
    never below `floor` (the base-rate floor, which may be raised after the fit)."""
    xs = np.asarray(x_points, dtype=np.float64)
    ys = np.asarray(y_points, dtype=np.float64)
    if xs.ndim != 1 or xs.size == 0 or xs.shape != ys.shape:
        raise ValueError(
            f"a calibration map needs as many x points as y points, at least one; "
            f"got {xs.size} and {ys.size}"
        )
    if (np.diff(xs) <= 0).any():
        raise ValueError("a calibration map's x points must be strictly increasing")
    return np.maximum(np.interp(np.asarray(p, dtype=np.float64), xs, ys), floor)
