"""The collector and the engine's many objects (objects.py): a run is kept out of the
collector's walks only where someone gives it back, so a program that assesses again and again
keeps its collector as it was."""

from __future__ import annotations

import gc
from pathlib import Path

from acled_factory import cli_inputs
from click.testing import CliRunner

from advisory.cli import cli
from advisory.objects import gc_paused, thawed_after


def test_kept_objects_are_frozen_only_inside_a_thawing_block() -> None:
    assert gc.get_freeze_count() == 0
    with gc_paused(keep=True):
        made = [[i] for i in range(1000)]
    assert gc.get_freeze_count() == 0 and gc.isenabled()  # nobody would thaw them
    with thawed_after():
        with gc_paused(keep=True):
            kept = [[i] for i in range(1000)]
        assert gc.get_freeze_count() >= len(kept) and gc.isenabled()
    assert gc.get_freeze_count() == 0
    assert len(made) == len(kept)


def test_a_command_gives_its_run_back_to_the_collector(tmp_path: Path) -> None:
    res = CliRunner().invoke(cli, ["assess", *cli_inputs(tmp_path), "--format", "json"])
    assert res.exit_code == 0, res.output
    assert gc.get_freeze_count() == 0 and gc.isenabled()


def test_a_command_freezes_its_run_while_it_lasts(tmp_path: Path, monkeypatch) -> None:
    """Inside the command, after the assessment is built, the heap is frozen (the renderers'
    and writers' collections do not walk the run)."""
    import advisory.cli.assessing as assessing

    seen: list[int] = []
    emit = assessing._emit

    def spying(*args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(gc.get_freeze_count())
        return emit(*args, **kwargs)

    monkeypatch.setattr(assessing, "_emit", spying)
    res = CliRunner().invoke(cli, ["assess", *cli_inputs(tmp_path), "--format", "json"])
    assert res.exit_code == 0, res.output
    assert seen and seen[0] > 0
    assert gc.get_freeze_count() == 0
