"""The spatial joins agree with brute force (the scale issue depends on them being exact)."""

from __future__ import annotations

import numpy as np

from advisory.geo import haversine, point_pairs, segment_pairs


def test_point_pairs_match_brute_force() -> None:
    rng = np.random.default_rng(1)
    elat, elon = rng.uniform(10, 16, 5000), rng.uniform(-11, -4, 5000)
    qlat, qlon = rng.uniform(10, 16, 200), rng.uniform(-11, -4, 200)
    q, e, d = point_pairs(qlat, qlon, elat, elon, 40.0)
    full = haversine(qlat[:, None], qlon[:, None], elat[None, :], elon[None, :])
    want = set(zip(*np.nonzero(full <= 40.0), strict=True))
    assert set(zip(q.tolist(), e.tolist(), strict=True)) == want
    assert np.allclose(d, full[q, e])


def test_point_pairs_across_the_antimeridian_and_empty_inputs() -> None:
    q, e, _ = point_pairs(
        np.array([0.0]), np.array([179.99]), np.array([0.0]), np.array([-179.99]), 5.0
    )
    # 0.02 degrees (2.2 km) apart across the antimeridian: on the sphere, they are neighbours
    assert (q.tolist(), e.tolist()) == ([0], [0])
    q, e, _ = point_pairs(np.array([1.0]), np.array([1.0]), np.array([]), np.array([]), 5.0)
    assert q.size == 0


def test_segment_pairs_match_dense_sampling() -> None:
    rng = np.random.default_rng(2)
    elat, elon = rng.uniform(11, 14, 4000), rng.uniform(-9, -5, 4000)
    owner = np.array([0, 0, 1])
    alat, alon = np.array([12.0, 12.5, 11.5]), np.array([-8.0, -7.0, -8.5])
    blat, blon = np.array([12.5, 13.0, 11.5]), np.array([-7.0, -6.5, -5.5])
    o, e, d = segment_pairs(owner, alat, alon, blat, blon, elat, elon, 10.0)
    best: dict[tuple[int, int], float] = {}
    t = np.linspace(0, 1, 3000)
    for s in range(3):
        la = alat[s] + (blat[s] - alat[s]) * t
        lo = alon[s] + (blon[s] - alon[s]) * t
        dd = haversine(la[:, None], lo[:, None], elat[None, :], elon[None, :]).min(axis=0)
        for ev in np.nonzero(dd <= 9.9)[0]:  # a margin for the sampling step
            key = (int(owner[s]), int(ev))
            best[key] = min(best.get(key, 1e9), float(dd[ev]))
    got = {(int(a), int(b)): float(c) for a, b, c in zip(o, e, d, strict=True)}
    assert set(best) <= set(got)
    assert max(abs(got[k] - best[k]) for k in best) < 0.1  # km
    assert all(v <= 10.0 for v in got.values())


def test_segment_pairs_keep_each_pair_once_at_its_shortest_distance() -> None:
    """A road of several segments near an event gives one pair, at the nearest segment's
    distance (each segment alone gives the same numbers), in (road, event) order."""
    rng = np.random.default_rng(5)
    elat, elon = rng.uniform(11, 14, 3000), rng.uniform(-9, -5, 3000)
    owner = np.array([0, 0, 0, 1])
    alat, alon = np.array([12.0, 12.5, 12.2, 11.5]), np.array([-8.0, -7.0, -7.9, -8.5])
    blat, blon = np.array([12.5, 13.0, 12.9, 11.5]), np.array([-7.0, -6.5, -6.6, -5.5])
    o, e, d = segment_pairs(owner, alat, alon, blat, blon, elat, elon, 10.0)
    key = o * (elat.size + 1) + e
    assert key.size > 100 and (np.diff(key) > 0).all()
    for road in (0, 1):
        nearest: dict[int, float] = {}
        for s in np.flatnonzero(owner == road):
            one = slice(s, s + 1)
            _, se, sd = segment_pairs(
                owner[one], alat[one], alon[one], blat[one], blon[one], elat, elon, 10.0
            )
            for ev, dist in zip(se.tolist(), sd.tolist(), strict=True):
                nearest[ev] = min(nearest.get(ev, np.inf), dist)
        mine = o == road
        assert dict(zip(e[mine].tolist(), d[mine].tolist(), strict=True)) == nearest


def test_segment_pairs_of_mixed_lengths_in_many_chunks_match_one_piece_at_a_time() -> None:
    """Pieces are searched in groups of similar length and in chunks: a layer of thousands of
    short pieces and a few near the radius finds, for every piece, exactly the events its own
    search finds alone (one piece, one reach), at the same distances."""
    rng = np.random.default_rng(7)
    n = 9000  # more than two chunks
    alat, alon = rng.uniform(11, 14, n), rng.uniform(-9, -5, n)
    length_deg = np.where(rng.random(n) < 0.02, 0.4, rng.uniform(0.001, 0.05, n))
    angle = rng.uniform(0, 2 * np.pi, n)
    blat, blon = alat + length_deg * np.sin(angle), alon + length_deg * np.cos(angle)
    owner = np.arange(n) // 3
    elat, elon = rng.uniform(11, 14, 600), rng.uniform(-9, -5, 600)
    o, e, d = segment_pairs(owner, alat, alon, blat, blon, elat, elon, 50.0)
    got = dict(zip(zip(o.tolist(), e.tolist(), strict=True), d.tolist(), strict=True))
    want: dict[tuple[int, int], float] = {}
    for s in rng.choice(n, 100, replace=False):
        one = slice(s, s + 1)
        _, se, sd = segment_pairs(
            owner[one], alat[one], alon[one], blat[one], blon[one], elat, elon, 50.0
        )
        for ev, dist in zip(se.tolist(), sd.tolist(), strict=True):
            key = (int(owner[s]), ev)
            assert got[key] <= dist
    lone = [s for s in range(0, n, 3) if length_deg[s : s + 3].max() < 0.4][:30]
    for s in lone:  # an owner's nearest piece decides: all three alone, then the minimum
        for piece in range(s, s + 3):
            one = slice(piece, piece + 1)
            _, se, sd = segment_pairs(
                owner[one], alat[one], alon[one], blat[one], blon[one], elat, elon, 50.0
            )
            for ev, dist in zip(se.tolist(), sd.tolist(), strict=True):
                key = (int(owner[s]), ev)
                want[key] = min(want.get(key, np.inf), dist)
    assert want and all(got[k] == v for k, v in want.items())
    assert {k for k in got if k[0] in {int(owner[s]) for s in lone}} == set(want)
