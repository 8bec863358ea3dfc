"""Where the desk meets the engine. Every call into `advisory.engine` and its readers is here,
so that a change of the engine's interface is met in one module.

The desk hands the engine what its store knew at an instant (raw incident rows, guidance
entries) and reads back the typed assessment, its JSON and its rejects.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import orjson

from ..assessment import assessment_json
from ..engine import Run, StaleData, assess
from ..errors import InputError
from ..ingest.rejects import write_rejects
from ..rulepack import RulePack, load_pack
from ..version import __version__
from .changes import COMPARED
from .config import DeskConfig
from .revisions import Known

DESK_REMEDY = (
    "drop a fresher export into the watched folder or pull from ACLED, or give an earlier --as-of"
)


def generated_at_of(stamp: str) -> str:
    """The assessment's `generated_at` for an update at store time `stamp` (to the second):
    a version rebuilt later gets the same one, so the same bytes."""
    t = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
    return t.replace(microsecond=0).isoformat()


def assess_known(
    cfg: DeskConfig,
    known: Known,
    guidance: tuple[list[Any], str],
    at: str,
    as_of: date | None,
    generated_at: str | None = None,
    pack: RulePack | None = None,
    notes: list[str] | None = None,
) -> Run:
    """Assess the incidents and guidance as the store knew them at `at`; `as_of` None is the
    date of the latest event known (the engine's default). `pack`: the rule pack an update
    already loaded (default: the config's, loaded here). `notes`: what reading the files
    noted, as known at `at` (`Store.known_notes`), carried as `assess` carries them."""
    if known.frame.is_empty():  # no all-clear made of no data
        raise InputError(f"no usable incidents: the store knew none at {at}")
    entries, g_digest = guidance
    try:
        run = assess(
            places=cfg.places,
            as_of=as_of,
            incident_frame=known.frame,
            incident_notes=notes or [],
            guidance_entries=entries,
            pack=pack or load_pack(cfg.rules),
            generated_at=generated_at,
            roads=cfg.roads,
            road_cache=cfg.store.parent / "road-cache" if cfg.roads else None,
        )
    except StaleData as exc:  # `update` has no --allow-stale: a desk never publishes stale data
        raise exc.with_remedy(DESK_REMEDY) from None
    store_name = cfg.store.name
    prov = run.assessment.provenance
    prov.inputs = [
        {"kind": "incidents", "path": f"store:{store_name}", "sha256": known.digest,
         "records": known.revisions, "known_at": at},
        {"kind": "guidance", "path": f"store:{store_name}", "sha256": g_digest,
         "records": len(entries), "known_at": at},
        *prov.inputs,
    ]  # fmt: skip
    return run


def no_usable_incidents(run: Run) -> bool:
    inc = run.incidents
    return inc.frame.is_empty() and not inc.before_window


def write_run_rejects(run: Run, path: Path) -> str | None:
    """Write the run's rejected rows with the engine's writer; a note
    saying how many and why, or None when there are none."""
    inc = run.incidents
    if not inc.rejects.height:
        return None
    write_rejects(inc.rejects, path)
    reasons = "; ".join(f"{n} x {r}" for r, n in inc.reject_reasons().items())
    return f"{inc.rejects.height} incident rows rejected ({reasons}); see {path}"


def run_json(run: Run) -> bytes:
    return assessment_json(run.assessment)


def compared_view(run: Run) -> dict[str, Any]:
    """The part of the run's assessment JSON that comparisons read (`changes.COMPARED`), made
    from the typed assessment: the same keys and values as that part of `run_json(run)`,
    without parsing 120 MB back (at 1M events x 10k places: 0.3 s CPU, against 4.6 s to parse
    the document, and the full collections its millions of objects set off afterwards)."""
    view: dict[str, Any] = run.assessment.model_dump(mode="json", include=COMPARED)
    return view


def json_digest(data: bytes, generated_at: str) -> str:
    """sha256 of an assessment's JSON with its generation time blanked: equal digests, same
    advisory (the time is the one this update passed to the engine, so it is found as given)."""
    blank = data.replace(orjson.dumps(generated_at), b'""')
    return "sha256:" + hashlib.sha256(blank).hexdigest()


def engine_version() -> str:
    return __version__
