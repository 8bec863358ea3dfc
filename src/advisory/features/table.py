"""Per-location features as columns: what the rules and the hazard models are allowed to see.

Features are held as columns, one NumPy array per feature over all locations, because a region
has thousands of places and roads and every rule is applied to all of them at once. Each
feature may carry the evidence behind it (incident or guidance ids, strongest first), so that
every level traces back to the rows that produced it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from ..rulepack.vocabulary import default_value, is_guidance


class Evidence(Protocol):
    """Evidence ids behind one feature, per location (strongest first)."""

    def __getitem__(self, i: int) -> list[str]: ...


@dataclass
class RankedEvidence:
    """Per-location slices of one array of event rows (CSR): the strongest events of an
    exposure. Ids are only turned into strings for the locations someone asks about."""

    starts: np.ndarray  # length n + 1
    rows: np.ndarray  # event row numbers, grouped by location, strongest first
    event_ids: np.ndarray
    strength: np.ndarray  # what each gives its location (aligned with rows)

    def __getitem__(self, i: int) -> list[str]:
        return self.event_ids[self.rows[self.starts[i] : self.starts[i + 1]]].tolist()


@dataclass
class ListEvidence:
    lists: list[list[str]]

    def __getitem__(self, i: int) -> list[str]:
        return self.lists[i]


@dataclass
class SameEvidence:
    """The same ids for every location (national features)."""

    ids: list[str]

    def __getitem__(self, i: int) -> list[str]:
        return self.ids


@dataclass
class Features:
    """Numbers, texts and evidence for one location (or the nation)."""

    numbers: dict[str, float] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    evidence: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class FeatureTable(Sequence[Features]):
    """Every location's features as columns; indexing gives one location's `Features`."""

    size: int
    numbers: dict[str, np.ndarray] = field(default_factory=dict)
    texts: dict[str, list[str]] = field(default_factory=dict)
    evidence: dict[str, Evidence] = field(default_factory=dict)

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, i: int) -> Features:  # type: ignore[override]
        if not -self.size <= i < self.size:
            raise IndexError(i)
        i %= self.size
        return Features(
            {k: float(v[i]) for k, v in self.numbers.items()},
            {k: v[i] for k, v in self.texts.items()},
            {k: v[i] for k, v in self.evidence.items()},
        )

    def column(self, name: str) -> np.ndarray:
        """A feature's values; one nobody computed reads as its default everywhere."""
        col = self.numbers.get(name)
        return col if col is not None else np.full(self.size, default_value(name))

    def add(self, other: Features) -> None:
        """Features that are the same at every location (the national ones)."""
        self.numbers.update({k: np.full(self.size, v) for k, v in other.numbers.items()})
        self.texts.update({k: [v] * self.size for k, v in other.texts.items()})
        self.evidence.update({k: SameEvidence(v) for k, v in other.evidence.items()})

    def without_guidance(self) -> FeatureTable:
        """What the regime-collapse track may see: everything but guidance.

        Engine invariant: guidance never reaches the regime-collapse track."""
        nums = {k: v for k, v in self.numbers.items() if not is_guidance(k)}
        texts = {k: v for k, v in self.texts.items() if not is_guidance(k)}
        ev: dict[str, Evidence] = {k: v for k, v in self.evidence.items() if not is_guidance(k)}
        return FeatureTable(self.size, nums, texts, ev)
