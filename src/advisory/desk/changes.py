"""What changed between two advisories (their JSON), and whether it is worth a new version.

Works on the JSON documents (the public contract), so the published record of any version can
be compared with any other, by `update` (against the last published version) and by `diff`.
It reads only the part of a document that `COMPARED` names, and so does the reports' "what
changed" (`outputs/report/changes.py`); every version holds that part in its `compare.json`
(7 MB beside a 120 MB advisory.json at 10,000 places), so a comparison reads that file, not
the whole advisory (`load_compared`).

A change is one of:
- `level`: a place's or road's personal-security, hazard or regime-collapse level, or a national
  level, moved;
- `drivers`: the set of rules that fired for a place (or the national track) changed by at
  least the threshold, measured as the Jaccard distance of the two sets (1 - shared / all);
- `guidance`: an entry appeared, disappeared, or changed level, action, expiry or whether it is
  in force;
- `place`: a place or road was added or removed; `rules`: the rule pack changed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
from pydantic import TypeAdapter

Doc = dict[str, Any]

_DRIVER = {"track": True, "hazard": True, "rule": True}
# The keys of an assessment JSON that `compare` below and the reports' comparison with a
# previous advisory read, in pydantic's `include` form (pydantic-core applies it to the typed
# assessment and to a parsed document alike): a version's `compare.json` is its advisory.json
# cut down to these keys, so comparing it gives the very changes the whole document gives.
# A key either comparison starts reading must be added here (a test holds them to it).
COMPARED: dict[str, Any] = {
    "as_of": True,
    "national": {
        "regime_collapse": {"level": True, "drivers": {"__all__": _DRIVER}},
        "personal_security": {"level": True},
    },
    "locations": {
        "__all__": {
            "id": True,
            "name": True,
            "personal_security": {"level": True, "hazards": {"__all__": {"level": True}}},
            "regime_collapse": {"level": True},
            "drivers": {"__all__": _DRIVER},
        }
    },
    "guidance": {
        "__all__": dict.fromkeys(("id", "issuer", "level", "action", "expires", "in_force"), True)
    },
    "provenance": {"rule_pack": {"digest": True}},
}
COMPARED_FILE = "compare.json"
_ANY: TypeAdapter[Any] = TypeAdapter(Any)


def compared_part(doc: Doc) -> Doc:
    """The part of an assessment JSON document that `COMPARED` names."""
    part: Doc = _ANY.dump_python(doc, include=COMPARED)
    return part


def load_compared(folder: Path) -> Doc:
    """What a comparison reads of the published version in `folder`: its `compare.json` or,
    for a version published before versions had one, the same part of its advisory.json
    (read once, here). Raises OSError or ValueError for an unreadable version."""
    try:
        data = (folder / COMPARED_FILE).read_bytes()
    except FileNotFoundError:
        return compared_part(orjson.loads((folder / "advisory.json").read_bytes()))
    doc: Doc = orjson.loads(data)
    return doc


def _by_id(items: list[Doc]) -> dict[str, Doc]:
    return {i["id"]: i for i in items}


def _driver_set(drivers: list[Doc]) -> set[str]:
    return {f"{d.get('track')}/{d.get('hazard') or '-'}/{d.get('rule')}" for d in drivers or []}


def jaccard_distance(a: set[str], b: set[str]) -> float:
    if not a and not b:
        return 0.0
    return 1.0 - len(a & b) / len(a | b)


def _level_change(
    out: list[Doc], where: str, name: str, what: str, old: Any, new: Any, label: str
) -> None:
    if old is not None and new is not None and old != new:
        arrow = "raised" if new > old else "lowered"
        text = f"{name}: {label} {arrow} from {old} to {new}"
        out.append(_change("level", where, name, what, old, new, text))


def _drivers_change(
    out: list[Doc], where: str, name: str, old: list[Doc], new: list[Doc], threshold: float
) -> None:
    a, b = _driver_set(old), _driver_set(new)
    dist = jaccard_distance(a, b)
    if dist > 0 and dist >= threshold:
        added, removed = sorted(b - a), sorted(a - b)
        parts = []
        if added:
            parts.append("now " + ", ".join(x.rsplit("/", 1)[1] for x in added))
        if removed:
            parts.append("no longer " + ", ".join(x.rsplit("/", 1)[1] for x in removed))
        out.append(
            {
                "kind": "drivers",
                "id": where,
                "name": name,
                "field": "drivers",
                "from": sorted(a),
                "to": sorted(b),
                "distance": round(dist, 3),
                "text": f"{name}: drivers changed ({dist:.0%} of them): {'; '.join(parts)}",
            }
        )


def _guidance_key(g: Doc) -> tuple[Any, ...]:
    return (g.get("level"), g.get("action"), g.get("expires"), g.get("in_force"))


def _change(kind: str, cid: str, name: str, fld: str, old: Any, new: Any, text: str) -> Doc:
    return {"kind": kind, "id": cid, "name": name, "field": fld, "from": old, "to": new,
            "text": text}  # fmt: skip


def compare(previous: Doc | None, current: Doc, threshold: float) -> list[Doc]:
    """The change list from `previous` to `current` (both assessment JSON documents)."""
    if previous is None:
        first = "first published advisory"
        return [_change("first", "", "", "", None, current.get("as_of"), first)]
    out: list[Doc] = []
    _national_changes(out, previous.get("national", {}), current.get("national", {}), threshold)
    _location_changes(out, previous, current, threshold)
    _guidance_changes(out, previous, current)
    po = previous.get("provenance", {}).get("rule_pack", {}).get("digest")
    pc = current.get("provenance", {}).get("rule_pack", {}).get("digest")
    if po and pc and po != pc:
        out.append(_change("rules", "rule_pack", "rule pack", "digest", po, pc,
                           "the rule pack changed"))  # fmt: skip
    return out


def _national_changes(out: list[Doc], pn: Doc, cn: Doc, threshold: float) -> None:
    for track, label in (
        ("regime_collapse", "national regime collapse"),
        ("personal_security", "national personal security"),
    ):
        old, new = pn.get(track, {}).get("level"), cn.get(track, {}).get("level")
        _level_change(out, "national", "National", f"{track}.level", old, new, label)
    _drivers_change(
        out,
        "national",
        "National",
        pn.get("regime_collapse", {}).get("drivers", []),
        cn.get("regime_collapse", {}).get("drivers", []),
        threshold,
    )


def _location_changes(out: list[Doc], previous: Doc, current: Doc, threshold: float) -> None:
    old_locs, new_locs = _by_id(previous.get("locations", [])), _by_id(current.get("locations", []))
    for lid, new in new_locs.items():
        old = old_locs.get(lid)
        name = new.get("name", lid)
        if old is None:
            out.append(_change("place", lid, name, "added", None, lid, f"{name}: added"))
            continue
        ops, nps = old["personal_security"], new["personal_security"]
        _level_change(
            out, lid, name, "personal_security.level", ops["level"], nps["level"],
            "personal security",
        )  # fmt: skip
        for h, hz in nps.get("hazards", {}).items():
            oh = ops.get("hazards", {}).get(h)
            if oh is not None:
                _level_change(
                    out, lid, name, f"personal_security.hazards.{h}.level", oh["level"],
                    hz["level"], f"{h} hazard",
                )  # fmt: skip
        _level_change(
            out, lid, name, "regime_collapse.level", old["regime_collapse"]["level"],
            new["regime_collapse"]["level"], "regime collapse",
        )  # fmt: skip
        _drivers_change(out, lid, name, old.get("drivers", []), new.get("drivers", []), threshold)
    for lid, old in old_locs.items():
        if lid not in new_locs:
            name = old.get("name", lid)
            out.append(_change("place", lid, name, "removed", lid, None, f"{name}: removed"))


def _guidance_changes(out: list[Doc], previous: Doc, current: Doc) -> None:
    og, ng = _by_id(previous.get("guidance", [])), _by_id(current.get("guidance", []))
    for gid in sorted(set(og) | set(ng)):
        o, n = og.get(gid), ng.get(gid)
        if o is not None and n is not None and _guidance_key(o) == _guidance_key(n):
            continue
        if n is None:
            text = f"guidance {gid} ({(o or {}).get('issuer')}) no longer on record"
        elif o is None:
            text = f"guidance {gid} ({n['issuer']}, level {n['level']}, {n['action']}) added"
        elif o.get("in_force") != n.get("in_force"):
            text = f"guidance {gid} ({n['issuer']}) " + (
                "now in force" if n.get("in_force") else "no longer in force"
            )
        else:
            text = (
                f"guidance {gid} ({n['issuer']}) changed: level {o['level']} -> {n['level']}, "
                f"action {o['action']} -> {n['action']}"
            )
        old_key = list(_guidance_key(o)) if o else None
        new_key = list(_guidance_key(n)) if n else None
        out.append(_change("guidance", gid, gid, "guidance", old_key, new_key, text))


def summary(changes: list[Doc], limit: int = 3) -> str:
    if not changes:
        return "no change"
    head = "; ".join(c["text"] for c in changes[:limit])
    more = len(changes) - limit
    return head + (f"; and {more} more" if more > 0 else "")
