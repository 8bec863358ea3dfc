"""Distances and radius joins between events and places, on arrays.

Radius joins go through SciPy's k-d tree on unit vectors (`cKDTree.sparse_distance_matrix`):
the chord between two points on the unit sphere is a monotone function of their great-circle
distance, so "within r km" is "chord within 2 sin(r / 2R)", found in C, and the distance is
worked back from the chord. It replaced a hand-made grid index (1M events x 10k places at
100 km: 14.5 s with the grid, 1.9 s with the tree).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

EARTH_RADIUS_KM = 6371.0088  # IUGG mean radius: a physical constant, not a tunable
KM_PER_DEG = EARTH_RADIUS_KM * math.pi / 180.0
SEARCH_MARGIN_KM = 1e-6  # the tree searches a millimetre wider; the distance then decides


def haversine(lat1, lon1, lat2, lon2):
    """Great-circle distance in km; works on scalars and NumPy arrays alike."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi = p2 - p1
    dl = np.radians(np.asarray(lon2) - np.asarray(lon1))
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def line_km(points: Sequence[tuple[float, float]]) -> float:
    """A polyline's length in km along its (lat, lon) vertices (great circle between them)."""
    if len(points) < 2:
        return 0.0
    lat = np.array([p[0] for p in points], dtype=np.float64)
    lon = np.array([p[1] for p in points], dtype=np.float64)
    return float(haversine(lat[:-1], lon[:-1], lat[1:], lon[1:]).sum())


def _unit_vectors(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Points on the unit sphere, shape (n, 3)."""
    la, lo = np.radians(np.asarray(lat, dtype=np.float64)), np.radians(lon)
    c = np.cos(la)
    return np.stack([c * np.cos(lo), c * np.sin(lo), np.sin(la)], axis=1)


def point_pairs(qlat, qlon, elat, elon, radius_km):
    """(query index, event index, km) for every event within radius_km of each query point."""
    empty = np.empty(0, dtype=np.int64)
    if np.asarray(qlat).size == 0 or np.asarray(elat).size == 0:
        return empty, empty.copy(), np.empty(0, dtype=np.float64)
    return _tree_pairs(_tree(qlat, qlon), _tree(elat, elon), radius_km)


def _tree(lat, lon):
    from scipy.spatial import cKDTree  # a third of a second to import: only when joining

    return cKDTree(_unit_vectors(lat, lon))


def _tree_pairs(queries, events, radius_km):
    """`point_pairs` on trees already built (a tree of events serves many queries)."""
    half_angle = min((radius_km + SEARCH_MARGIN_KM) / (2 * EARTH_RADIUS_KM), math.pi / 2)
    found = queries.sparse_distance_matrix(events, 2 * math.sin(half_angle), output_type="ndarray")
    km = 2 * EARTH_RADIUS_KM * np.arcsin(np.clip(found["v"] / 2, 0.0, 1.0))
    keep = km <= radius_km
    # the indices come as NumPy's intp, int64 here: made into int64 only where they are not
    return (
        found["i"][keep].astype(np.int64, copy=False),
        found["j"][keep].astype(np.int64, copy=False),
        km[keep],
    )


# Segment joins search around each piece's midpoint out to the radius plus the piece's half
# length. Pieces are searched in groups of similar length (halves up to 1/16, 1/8, 1/4 and 1/2
# of the radius), each with its own reach, and in chunks. One reach for all, the longest
# piece's, found twice the candidates at a national road layer's 50 km (12M for 5M pairs), and
# the distances of 12M candidates at once ran at memory speed (bench_roads' layer: 3.7-5.8 s
# CPU; grouped and chunked, 1.8 s, the same pairs and distances). The plane distance is
# accurate to well under 1 % at these radii: the 5 % margin on a group's reach (never beyond
# the single reach) keeps every pair the single reach found.
_LENGTH_GROUPS = (1 / 16, 1 / 8, 1 / 4, 1 / 2)
_REACH_MARGIN = 1.05
_CHUNK_PIECES = 4096


def segment_pairs(owner, alat, alon, blat, blon, elat, elon, radius_km):
    """(owner, event, distance) for events within radius_km of a polyline made of segments.

    Long segments are cut into pieces no longer than the radius; piece midpoints find candidate
    events in the tree, then the exact point-to-segment distance (local equirectangular plane
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
    elat, elon = np.asarray(elat, dtype=np.float64), np.asarray(elon, dtype=np.float64)
    pieces_ = _Pieces(pa_lat, pa_lon, pb_lat, pb_lon, owner[sid])
    own, ev, d = pieces_.near(elat, elon, radius_km)
    if own.size == 0:
        return empty, empty.copy(), np.empty(0, dtype=np.float64)
    width = np.int64(elat.size)
    key = own * width + ev
    # each (owner, event) once, at its shortest distance, in key order: one sort on the key
    # and a minimum per run (a sort on key and distance took three times as long). NumPy's
    # stable sort uses the runs the chunks come in (0.34 s CPU against polars' 0.48 s at
    # bench_roads' 50 km, 6.9M candidates), and the owner and event are read back from the
    # sorted keys, not gathered: the whole join 1.7-2.0 s to 1.3-1.5 s CPU, with `near`'s
    # km per degree found once per event.
    order = np.argsort(key, kind="stable")
    key = key[order]
    starts = np.flatnonzero(np.diff(key, prepend=-1) != 0)
    key = key[starts]
    return key // width, key % width, np.minimum.reduceat(d[order], starts)


class _Pieces:
    """Straight pieces of polylines (ends in degrees, each with its owner), joined to events."""

    def __init__(self, a_lat, a_lon, b_lat, b_lon, owner) -> None:
        self.a_lat, self.a_lon, self.b_lat, self.b_lon = a_lat, a_lon, b_lat, b_lon
        self.owner = owner
        self.half = haversine(a_lat, a_lon, b_lat, b_lon) / 2

    def near(self, elat, elon, radius_km):
        """(owner, event, km) for every (piece, event) within radius_km, owners repeated."""
        events = _tree(elat, elon)
        km_per_lon = KM_PER_DEG * np.cos(np.radians(elat))  # once per event, not per candidate
        reach = radius_km + float(self.half.max())
        group = np.searchsorted(np.array(_LENGTH_GROUPS) * radius_km, self.half)
        owns, evs, kms = [], [], []
        for g in np.unique(group):
            members = np.flatnonzero(group == g)
            g_reach = min(reach, (radius_km + float(self.half[members].max())) * _REACH_MARGIN)
            for lo in range(0, members.size, _CHUNK_PIECES):
                chunk = members[lo : lo + _CHUNK_PIECES]
                o, e, d = self._chunk(chunk, events, (elat, elon, km_per_lon), g_reach, radius_km)
                owns.append(o)
                evs.append(e)
                kms.append(d)
        return np.concatenate(owns), np.concatenate(evs), np.concatenate(kms)

    def _chunk(self, chunk, events, at, reach, radius_km):
        """The (owner, event, km) of these pieces; `at`: the events' lat, lon and km per
        degree of longitude."""
        elat, elon, km_per_lon = at
        mid_lat = (self.a_lat[chunk] + self.b_lat[chunk]) / 2
        mid_lon = (self.a_lon[chunk] + self.b_lon[chunk]) / 2
        q, ev, _ = _tree_pairs(_tree(mid_lat, mid_lon), events, reach)
        pidx = chunk[q]
        e_lat, e_lon, kx = elat[ev], elon[ev], km_per_lon[ev]
        d = _plane_km(
            (self.a_lon[pidx] - e_lon) * kx,
            (self.a_lat[pidx] - e_lat) * KM_PER_DEG,
            (self.b_lon[pidx] - e_lon) * kx,
            (self.b_lat[pidx] - e_lat) * KM_PER_DEG,
        )
        keep = d <= radius_km
        return self.owner[pidx[keep]], ev[keep], d[keep]


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
    return _plane_km(
        (alon - lon) * kx, (alat - lat) * KM_PER_DEG, (blon - lon) * kx, (blat - lat) * KM_PER_DEG
    )


def _plane_km(ax, ay, bx, by):
    """Distance from the origin of a local plane (km) to the segment from (ax, ay) to (bx, by):
    the projection clipped to the segment's ends."""
    dx, dy = bx - ax, by - ay
    len2 = dx * dx + dy * dy
    t = np.where(len2 > 0, np.clip(-(ax * dx + ay * dy) / np.where(len2 > 0, len2, 1), 0, 1), 0)
    return np.hypot(ax + t * dx, ay + t * dy)
