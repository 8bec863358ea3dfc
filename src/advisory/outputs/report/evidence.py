"""The incidents behind each location's drivers, with details and distance, built once per run.

`advisory explain` answers for one place (`explain_data`); reports need the same answer for
every place at once (the advisory's evidence, a thousand place pages), and asking a thousand
times filters every exposure's pair table a thousand times. Here the work is done in one pass
over the pairs and one over the cited incidents; `tests/test_report.py` checks that the
result is the same as `explain_data`'s for every demo location.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from ...engine import Run


def incident_record(
    row: dict[str, Any], distance_km: float | None, signals: list[str]
) -> dict[str, Any]:
    """TEMPORARY (branch `exports`): the lead's explain no longer has this; the copy keeps the
    report package importable until the report branch reads the Assessment. Drop on merge."""
    return {
        "id": row["event_id"], "date": str(row["date"]), "event_type": row["event_type"],
        "sub_event_type": row["sub_event_type"], "actor1": row["actor1"], "actor2": row["actor2"],
        "location": row["location"], "geo_precision": row["precision"],
        "distance_km": None if distance_km is None else round(distance_km, 1),
        "signals": signals, "source": row["source"], "notes": row["notes"],
    }  # fmt: skip


COLUMNS = (
    "event_id",
    "date",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "location",
    "precision",
    "source",
    "notes",
)


def cited_ids(run: Run, index: int) -> list[str]:
    """Incident ids behind a location's drivers, in the engine's order: drivers by points,
    each driver's evidence strongest first; an id cited twice keeps its first place."""
    ids: dict[str, None] = {}
    for d in run.assessment.locations[index].drivers:
        for e in d.incidents:
            ids.setdefault(e, None)
    return list(ids)


class EvidenceIndex:
    """`incidents(i)`: what `explain_data(run, id)["incidents"]` gives, for any location i."""

    def __init__(self, run: Run) -> None:
        self._ids = {i: cited_ids(run, i) for i in range(len(run.assessment.locations))}
        every = sorted({e for ids in self._ids.values() for e in ids})
        frame = run.incidents.frame.with_row_index("row")
        cited = frame.filter(pl.col("event_id").is_in(every))
        names = list(run.pack.classify.signals)
        flags = run.signals[cited["row"].to_list()].select(names) if every else None
        self._rows: dict[str, dict[str, Any]] = {}
        for k, r in enumerate(cited.select("row", *COLUMNS).iter_rows(named=True)):
            on = flags.row(k) if flags is not None else ()
            r["signals"] = [s for s, hit in zip(names, on, strict=True) if hit]
            self._rows[r["event_id"]] = r
        self._dist = self._distances(run, cited)

    def _distances(self, run: Run, cited: pl.DataFrame) -> dict[tuple[int, str], float]:
        """Nearest distance of each cited (location, incident) pair over all exposures."""
        frames = [p.frame.select("loc", "ev", "dist_km") for p in run.pairs.values()]
        pairs = [(i, e) for i, ids in self._ids.items() for e in ids]
        if not frames or not pairs:
            return {}
        ev = dict(zip(cited["event_id"].to_list(), cited["row"].to_list(), strict=True))
        wanted = pl.DataFrame(
            {
                "loc": [i for i, e in pairs if e in ev],
                "ev": [ev[e] for i, e in pairs if e in ev],
                "event_id": [e for i, e in pairs if e in ev],
            },
            schema={"loc": pl.Int64, "ev": pl.Int64, "event_id": pl.String},
        )
        near = (
            pl.concat(frames)
            .join(wanted, on=["loc", "ev"], how="inner")
            .group_by("loc", "event_id")
            .agg(pl.col("dist_km").min())
        )
        return {
            (loc, eid): d
            for loc, eid, d in zip(
                near["loc"].to_list(),
                near["event_id"].to_list(),
                near["dist_km"].to_list(),
                strict=True,
            )
        }

    def incidents(self, index: int) -> list[dict[str, Any]]:
        out = []
        for eid in self._ids[index]:
            r = self._rows.get(eid)
            if r is None:
                continue
            out.append(incident_record(r, self._dist.get((index, eid)), r["signals"]))
        return out
