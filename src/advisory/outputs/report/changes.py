"""What changed since a previous advisory (the JSON of `advisory assess --format json`).

Only the contract keys are read (README "Output"), so a previous file written by an older or
newer engine still compares; a file without them is rejected with the key that is missing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ...assessment.model import Assessment


class PreviousError(ValueError):
    """The previous assessment is not usable; the message names the missing or bad key."""


@dataclass
class LevelChange:
    id: str
    name: str
    kind: str
    track: str  # personal_security | regime_collapse
    old: int
    new: int


@dataclass
class Changes:
    previous_as_of: str
    national: list[LevelChange] = field(default_factory=list)
    up: list[LevelChange] = field(default_factory=list)
    down: list[LevelChange] = field(default_factory=list)
    new_places: list[str] = field(default_factory=list)
    gone_places: list[str] = field(default_factory=list)
    guidance_added: list[str] = field(default_factory=list)
    guidance_removed: list[str] = field(default_factory=list)
    guidance_now_in_force: list[str] = field(default_factory=list)
    guidance_lapsed: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not any(
            (
                self.national,
                self.up,
                self.down,
                self.new_places,
                self.gone_places,
                self.guidance_added,
                self.guidance_removed,
                self.guidance_now_in_force,
                self.guidance_lapsed,
            )
        )


def _get(doc: Any, *path: str | int) -> Any:
    cur = doc
    for i, key in enumerate(path):
        ok = (isinstance(cur, dict) and key in cur) or (
            isinstance(cur, list) and isinstance(key, int) and key < len(cur)
        )
        if not ok:
            where = ".".join(str(p) for p in path[: i + 1])
            raise PreviousError(f"not an assessment JSON: missing key {where!r}")
        cur = cur[key]
    return cur


def _level(doc: Any, *path: str | int) -> int:
    v = _get(doc, *path)
    if not isinstance(v, int) or isinstance(v, bool) or not 1 <= v <= 5:
        raise PreviousError(f"{'.'.join(str(p) for p in path)} must be a level 1..5, got {v!r}")
    return v


def compare(previous: dict[str, Any], current: Assessment) -> Changes:
    if not isinstance(previous, dict):
        raise PreviousError("not an assessment JSON: expected an object at the top level")
    ch = Changes(previous_as_of=str(_get(previous, "as_of")))
    for track in ("personal_security", "regime_collapse"):
        old = _level(previous, "national", track, "level")
        new = getattr(current.national, track).level
        if old != new:
            ch.national.append(LevelChange("national", "national", "national", track, old, new))
    locs = _get(previous, "locations")
    if not isinstance(locs, list):
        raise PreviousError("'locations' must be a list")
    before: dict[str, dict[str, Any]] = {}
    for i in range(len(locs)):
        pid = _get(locs, i, "id")
        before[str(pid)] = {
            "name": str(_get(locs, i, "name")),
            "personal_security": _level(locs, i, "personal_security", "level"),
            "regime_collapse": _level(locs, i, "regime_collapse", "level"),
        }
    now_ids = {loc.id for loc in current.locations}
    for loc in current.locations:
        prev = before.get(loc.id)
        if prev is None:
            ch.new_places.append(loc.name)
            continue
        for track in ("personal_security", "regime_collapse"):
            old, new = prev[track], getattr(loc, track).level
            if old != new:
                c = LevelChange(loc.id, loc.name, loc.kind, track, old, new)
                (ch.up if new > old else ch.down).append(c)
    ch.gone_places = sorted(v["name"] for k, v in before.items() if k not in now_ids)
    # worst changes first: the reader triages
    ch.up.sort(key=lambda c: (-(c.new - c.old), -c.new, c.track, c.name))
    ch.down.sort(key=lambda c: (-(c.old - c.new), c.track, c.name))
    g_prev = previous.get("guidance", [])
    if not isinstance(g_prev, list):
        raise PreviousError("'guidance' must be a list")
    prev_g = {}
    for i, g in enumerate(g_prev):
        prev_g[str(_get(g_prev, i, "id"))] = bool(g.get("in_force", False))
    now_g = {g.id: g.in_force for g in current.guidance}
    ch.guidance_added = sorted(k for k in now_g if k not in prev_g)
    ch.guidance_removed = sorted(k for k in prev_g if k not in now_g)
    ch.guidance_now_in_force = sorted(k for k, f in now_g.items() if f and prev_g.get(k) is False)
    ch.guidance_lapsed = sorted(k for k, f in now_g.items() if not f and prev_g.get(k) is True)
    return ch
