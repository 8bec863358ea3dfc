"""Simplify Mali's outline and district boundaries for the report map (Douglas-Peucker, NumPy).

Reads `../shared/data/geometry/` (Natural Earth 10m admin-0, OCHA COD-AB admin-2) and writes
`src/advisory/data/geometry/mali_outline.geojson` and `mali_districts.geojson`. The OCHA file is
869 KB; the map needs boundaries to a fraction of a pixel at a few hundred km across, not survey
accuracy. Deterministic: rerunning it must leave `git diff` empty.

    python tools/simplify_geometry.py [--shared PATH] [--tolerance DEG]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "advisory" / "data" / "geometry"
# ~0.5 km: well under a pixel on a 300-km-wide map 800 px across (0.75 km per px)
TOLERANCE_DEG = 0.005
DECIMALS = 4  # ~10 m: rounding never moves a vertex visibly


def douglas_peucker(points: np.ndarray, tolerance: float) -> np.ndarray:
    """Keep the vertices that lie more than `tolerance` from the simplified line (iterative)."""
    n = len(points)
    if n < 3:
        return points
    keep = np.zeros(n, dtype=bool)
    keep[0] = keep[-1] = True
    stack = [(0, n - 1)]
    while stack:
        a, b = stack.pop()
        if b - a < 2:
            continue
        seg = points[b] - points[a]
        rel = points[a + 1 : b] - points[a]
        length = float(np.hypot(*seg))
        if length == 0.0:  # closed ring: distance to the shared end point
            d = np.hypot(rel[:, 0], rel[:, 1])
        else:
            d = np.abs(seg[0] * rel[:, 1] - seg[1] * rel[:, 0]) / length
        i = int(np.argmax(d))
        if d[i] > tolerance:
            k = a + 1 + i
            keep[k] = True
            stack += [(a, k), (k, b)]
    return points[keep]


def simplify_ring(ring: list[list[float]], tolerance: float) -> list[list[float]] | None:
    pts = np.asarray(ring, dtype=np.float64)[:, :2]
    out = douglas_peucker(pts, tolerance)
    if len(out) < 4:  # a ring needs 3 distinct vertices plus the closing one
        return None
    return [[round(float(x), DECIMALS), round(float(y), DECIMALS)] for x, y in out]


def simplify_geometry(geom: dict, tolerance: float) -> dict | None:
    polys = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
    out = []
    for poly in polys:
        rings = [simplify_ring(r, tolerance) for r in poly]
        if rings[0] is None:
            continue  # an islet smaller than the tolerance
        out.append([r for r in rings if r is not None])
    if not out:
        return None
    if len(out) == 1:
        return {"type": "Polygon", "coordinates": out[0]}
    return {"type": "MultiPolygon", "coordinates": out}


def build(src: Path, dst: Path, keep: list[str], tolerance: float, note: str) -> tuple[int, int]:
    doc = json.loads(src.read_text("utf-8"))
    feats = []
    for f in doc["features"]:
        geom = simplify_geometry(f["geometry"], tolerance)
        if geom is None:
            continue
        props = {k: f["properties"].get(k) for k in keep}
        feats.append({"type": "Feature", "properties": props, "geometry": geom})
    out = {"type": "FeatureCollection", "note": note, "features": feats}
    text = json.dumps(out, ensure_ascii=False, separators=(",", ":")) + "\n"
    dst.write_text(text, "utf-8")
    return src.stat().st_size, len(text.encode())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--tolerance", type=float, default=TOLERANCE_DEG)
    args = ap.parse_args()
    geo = args.shared / "geometry"
    OUT.mkdir(parents=True, exist_ok=True)
    tol = args.tolerance
    jobs = [
        (
            "naturalearth_10m_admin0_MLI.geojson",
            "mali_outline.geojson",
            ["NAME", "ISO_A2"],
            "Natural Earth 10m admin-0 v5.1.1 (public domain), "
            f"simplified (Douglas-Peucker, {tol} deg) by tools/simplify_geometry.py",
        ),
        (
            "ocha_cod_mli_adm2.geojson",
            "mali_districts.geojson",
            ["adm1", "adm1_pcode", "adm2", "adm2_pcode"],
            "OCHA COD-AB Mali admin-2 (cercles), credit OCHA; "
            f"simplified (Douglas-Peucker, {tol} deg) by tools/simplify_geometry.py",
        ),
    ]
    for src, dst, keep, note in jobs:
        before, after = build(geo / src, OUT / dst, keep, tol, note)
        print(f"{dst}: {before:,} -> {after:,} bytes")


if __name__ == "__main__":
    main()
