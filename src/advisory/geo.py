"""Distances and radius joins between events and places, on arrays.

Events are bucketed on a regular lat/lon grid whose cells are at least one search radius wide,
sorted by cell (a CSR layout), so each query only looks at its 3 x 3 neighbouring cells. There is
no loop over events x places in Python: the scale issue needs 1M events x 10k places in seconds.
"""

from __future__ import annotations

import math

import numpy as np
import polars as pl

EARTH_RADIUS_KM = 6371.0088  # IUGG mean radius: a physical constant, not a tunable
KM_PER_DEG = EARTH_RADIUS_KM * math.pi / 180.0
QUERY_CHUNK = 4096  # queries per batch: bounds memory, not results
PREFILTER_MARGIN_RAD = 1e-6  # about 6 m: far above rounding error, so no pair in range is lost


def haversine(lat1, lon1, lat2, lon2):
    """Great-circle distance in km; works on scalars and NumPy arrays alike."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    return _haversine(p1, np.cos(p1), lon1, p2, np.cos(p2), lon2)


def _haversine(p1, cos1, lon1, p2, cos2, lon2):
    """`haversine` from latitudes already in radians and their cosines: the grid works these
    out once per point rather than once per pair (same operations, so the same bits)."""
    dphi = p2 - p1
    dl = np.radians(np.asarray(lon2) - np.asarray(lon1))
    a = np.sin(dphi / 2) ** 2 + cos1 * cos2 * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


class Grid:
    """Events sorted by grid cell; answers "which events lie within r km of these points"."""

    def __init__(self, lat: np.ndarray, lon: np.ndarray, cell_km: float) -> None:
        self.lat = np.asarray(lat, dtype=np.float64)
        self.lon = np.asarray(lon, dtype=np.float64)
        self.cell_km = max(cell_km, 1e-3)
        self.dlat = self.cell_km / KM_PER_DEG
        top = float(np.abs(self.lat).max()) if self.lat.size else 0.0
        # cells are widened in longitude for the most poleward event so 3 x 3 cells always cover r
        self.dlon = self.dlat / max(math.cos(math.radians(min(top + self.dlat, 89.0))), 1e-6)
        self.ncols = math.ceil(360.0 / self.dlon) + 3
        keys = self._keys(self.lat, self.lon)
        self.order = np.argsort(keys, kind="stable")
        self.sorted_keys = keys[self.order]
        # coordinates in cell order, so a cell's events are read from one contiguous run
        self.s_lat, self.s_lon = self.lat[self.order], self.lon[self.order]
        self.s_rad = np.radians(self.s_lat)
        self.s_cos = np.cos(self.s_rad)
        self.s_xyz = _unit_vectors(self.s_lat, self.s_lon)

    def _keys(self, lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
        row = np.floor((lat + 90.0) / self.dlat).astype(np.int64)
        col = np.floor((lon + 180.0) / self.dlon).astype(np.int64)
        return row * self.ncols + col

    def query(
        self, qlat: np.ndarray, qlon: np.ndarray, radius_km: float
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Pairs (query index, event index, distance km) with distance <= radius_km.

        A cheap test on unit vectors (the cosine of the angle between two points) drops the
        candidates from the 3 x 3 cells that are clearly out of range; it keeps a margin of a
        few metres, so the haversine distance still decides every pair that is kept."""
        if radius_km > self.cell_km + 1e-9:
            raise ValueError("radius larger than the grid's cell size")
        qlat = np.asarray(qlat, dtype=np.float64)
        qlon = np.asarray(qlon, dtype=np.float64)
        q_xyz = _unit_vectors(qlat, qlon)
        q_rad = np.radians(qlat)
        q_cos = np.cos(q_rad)
        min_cos = math.cos(min(radius_km / EARTH_RADIUS_KM + PREFILTER_MARGIN_RAD, math.pi))
        out_q, out_e, out_d = [], [], []
        offsets = np.array([dr * self.ncols + dc for dr in (-1, 0, 1) for dc in (-1, 0, 1)])
        for start in range(0, qlat.size, QUERY_CHUNK):
            sl = slice(start, start + QUERY_CHUNK)
            base = self._keys(qlat[sl], qlon[sl])
            cells = (base[:, None] + offsets[None, :]).ravel()
            lo = np.searchsorted(self.sorted_keys, cells, side="left")
            hi = np.searchsorted(self.sorted_keys, cells, side="right")
            counts = hi - lo
            total = int(counts.sum())
            if total == 0:
                continue
            qidx = np.repeat(np.arange(cells.size) // offsets.size, counts) + start
            pos = np.repeat(lo - (np.cumsum(counts) - counts), counts) + np.arange(total)
            # a query's vector repeated over its candidates, not gathered (several times
            # faster, same values); the events' components gathered one row at a time
            qx = [np.repeat(np.repeat(c[sl], offsets.size), counts) for c in q_xyz]
            ex = [c[pos] for c in self.s_xyz]
            near = (qx[0] * ex[0] + qx[1] * ex[1] + qx[2] * ex[2]) >= min_cos
            qidx, pos = qidx[near], pos[near]
            d = _haversine(
                q_rad[qidx],
                q_cos[qidx],
                qlon[qidx],
                self.s_rad[pos],
                self.s_cos[pos],
                self.s_lon[pos],
            )
            keep = d <= radius_km
            out_q.append(qidx[keep])
            out_e.append(self.order[pos[keep]])
            out_d.append(d[keep])
        if not out_q:
            empty = np.empty(0, dtype=np.int64)
            return empty, empty.copy(), np.empty(0, dtype=np.float64)
        return np.concatenate(out_q), np.concatenate(out_e), np.concatenate(out_d)


def _unit_vectors(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Points on the unit sphere, shape (3, n)."""
    la, lo = np.radians(lat), np.radians(lon)
    c = np.cos(la)
    return np.stack([c * np.cos(lo), c * np.sin(lo), np.sin(la)])


def point_pairs(qlat, qlon, elat, elon, radius_km):
    """Events within radius_km of each query point."""
    return Grid(elat, elon, radius_km).query(qlat, qlon, radius_km)


def segment_pairs(owner, alat, alon, blat, blon, elat, elon, radius_km):
    """(owner, event, distance) for events within radius_km of a polyline made of segments.

    Long segments are cut into pieces no longer than the radius; piece midpoints find candidate
    events on the grid, then the exact point-to-segment distance (local equirectangular plane
    around the event, accurate to well under 1 % at these radii) decides, and each
    (owner, event) keeps its shortest distance.
    """
    owner = np.asarray(owner, dtype=np.int64)
    empty = np.empty(0, dtype=np.int64)
    if owner.size == 0 or np.asarray(elat).size == 0:
        return empty, empty.copy(), np.empty(0, dtype=np.float64)
    seg_km = haversine(alat, alon, blat, blon)
    pieces = np.maximum(1, np.ceil(seg_km / max(radius_km, 1e-3)).astype(np.int64))
    sid = np.repeat(np.arange(owner.size), pieces)
    k = np.arange(sid.size) - np.repeat(np.cumsum(pieces) - pieces, pieces)
    t0 = k / pieces[sid]
    t1 = (k + 1) / pieces[sid]
    pa_lat = alat[sid] + (blat[sid] - alat[sid]) * t0
    pa_lon = alon[sid] + (blon[sid] - alon[sid]) * t0
    pb_lat = alat[sid] + (blat[sid] - alat[sid]) * t1
    pb_lon = alon[sid] + (blon[sid] - alon[sid]) * t1
    half = haversine(pa_lat, pa_lon, pb_lat, pb_lon) / 2
    reach = radius_km + float(half.max())
    grid = Grid(elat, elon, reach)
    pidx, ev, _ = grid.query((pa_lat + pb_lat) / 2, (pa_lon + pb_lon) / 2, reach)
    if pidx.size == 0:
        return empty, empty.copy(), np.empty(0, dtype=np.float64)
    e_lat, e_lon = grid.lat[ev], grid.lon[ev]
    kx = KM_PER_DEG * np.cos(np.radians(e_lat))
    ax, ay = (pa_lon[pidx] - e_lon) * kx, (pa_lat[pidx] - e_lat) * KM_PER_DEG
    bx, by = (pb_lon[pidx] - e_lon) * kx, (pb_lat[pidx] - e_lat) * KM_PER_DEG
    dx, dy = bx - ax, by - ay
    len2 = dx * dx + dy * dy
    t = np.where(len2 > 0, np.clip(-(ax * dx + ay * dy) / np.where(len2 > 0, len2, 1), 0, 1), 0)
    d = np.hypot(ax + t * dx, ay + t * dy)
    own = owner[sid[pidx]]
    keep = d <= radius_km
    own, ev, d = own[keep], ev[keep], d[keep]
    if own.size == 0:
        return empty, empty.copy(), np.empty(0, dtype=np.float64)
    key = own * (np.int64(grid.lat.size) + 1) + ev
    # each (owner, event) once, at its shortest distance, in key order: one sort on the key
    # and a minimum per run (a sort on key and distance took three times as long)
    order = pl.Series(key).arg_sort().to_numpy()
    key = key[order]
    first = np.ones(key.size, dtype=bool)
    first[1:] = key[1:] != key[:-1]
    starts = np.flatnonzero(first)
    return own[order[starts]], ev[order[starts]], np.minimum.reduceat(d[order], starts)


def km_to_segments(
    lat: float,
    lon: float,
    alat: np.ndarray,
    alon: np.ndarray,
    blat: np.ndarray,
    blon: np.ndarray,
) -> np.ndarray:
    """Distance from one point to each straight piece, on the local plane used by
    `segment_pairs` (so a road is as far from a town as it is from an event there)."""
    kx = KM_PER_DEG * math.cos(math.radians(lat))
    ax, ay = (alon - lon) * kx, (alat - lat) * KM_PER_DEG
    bx, by = (blon - lon) * kx, (blat - lat) * KM_PER_DEG
    dx, dy = bx - ax, by - ay
    len2 = dx * dx + dy * dy
    t = np.where(len2 > 0, np.clip(-(ax * dx + ay * dy) / np.where(len2 > 0, len2, 1), 0, 1), 0)
    return np.hypot(ax + t * dx, ay + t * dy)
