"""Incidents drawn from a known process, so a calibration can be checked against the truth.

Real data never say what the probability "really" was; this process does. Violence clusters
in hotspots near towns over a 600 x 600 km square of central Mali (11.3-16.7 N, 9.8-4.2 W),
plus a broad, thin background. Each hotspot has a daily event rate that drifts (a slow
exponential trend) and swings with the seasons, and scatters its events around its centre as a
two-dimensional normal distribution of known spread. Each day, each hotspot draws a Poisson
number of events; each event gets a type in the stated proportions (`TYPES`), independently.

So the number of events of a set of types within R km of a place over a window is Poisson,
with a mean known in closed form: the sum over hotspots and days of rate x type share x the
chance that a normal scatter lands within R km of the place (the distance to the place then
follows a Rice distribution). `Process.true_probability` is 1 - exp(-mean): the chance of at
least one such event, which is what issue 17's likelihoods must estimate.

Geometry: events are placed by distance and bearing from their hotspot on the sphere (the
haversine the engine measures with), so the scatter is exactly normal in the hotspot's
azimuthal equidistant projection, whose distances within 450 km of its centre are off by under
0.1 % (1 + (d / R_earth)^2 / 6 across the bearing), far below the sampling error of any test.

    process, events, csv_path, places_path = generate(tmp_path, seed=1)
    p = process.true_probability(date(2018, 6, 1), days=30, radius_km=25)   # one per place
    y = observed(process, events, date(2018, 6, 1), days=30, radius_km=25)    # what happened

Everything is written by this project for tests: none of it is ACLED data.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
from acled_factory import event, point, write_csv, write_places
from scipy.stats import rice

from advisory.geo import EARTH_RADIUS_KM, KM_PER_DEG, haversine
from advisory.ingest.acled import COLUMNS

CENTRE = (14.0, -7.0)  # (lat, lon) of the square
HALF_SIDE_KM = 300.0
EDGE_MARGIN_KM = 30.0  # places stay this far inside the square
# (event_type, sub_event_type, share of all events): stated proportions, summing to 1
TYPES: tuple[tuple[str, str, float], ...] = (
    ("Battles", "Armed clash", 0.45),
    ("Explosions/Remote violence", "Remote explosive/landmine/IED", 0.20),
    ("Violence against civilians", "Attack", 0.25),
    ("Violence against civilians", "Abduction/forced disappearance", 0.10),
)
DAYS_PER_YEAR = 365.25


@dataclass(frozen=True)
class Hotspot:
    """Events per day `rate` at the process's reference date (its middle day), outside the
    seasonal swing; the log rate changes by `trend` a year; the season multiplies it by
    1 + season x cos(2 pi (day of year - peak_doy) / 365.25). Events scatter around (lat, lon)
    as a 2-D normal with standard deviation `sigma_km` along each axis."""

    lat: float
    lon: float
    sigma_km: float
    rate: float
    trend: float
    season: float
    peak_doy: int


# A thin, broad hotspot over the whole square: violence away from the towns' hotspots.
BACKGROUND = Hotspot(*CENTRE, sigma_km=300.0, rate=0.25, trend=0.0, season=0.3, peak_doy=220)


@dataclass(frozen=True)
class Site:
    """A place of the gazetteer (a town), as the project's places GeoJSON describes it."""

    id: str
    name: str
    lat: float
    lon: float
    population: int


@dataclass(frozen=True)
class Events:
    """The drawn events, one array entry each, in date order; `kind` indexes `TYPES`."""

    day: np.ndarray  # datetime64[D]
    lat: np.ndarray
    lon: np.ndarray
    kind: np.ndarray
    hotspot: np.ndarray  # which hotspot drew it (the last one is the background)

    def __len__(self) -> int:
        return int(self.day.size)


def _days(first: date, last: date) -> np.ndarray:
    return np.arange(np.datetime64(first, "D"), np.datetime64(last, "D") + 1)


@dataclass(frozen=True)
class Process:
    start: date
    end: date
    sites: tuple[Site, ...]
    hotspots: tuple[Hotspot, ...]
    types: tuple[tuple[str, str, float], ...] = TYPES

    @property
    def reference(self) -> date:
        """The middle day of the period, where each hotspot's rate is its stated `rate`."""
        return self.start + timedelta(days=(self.end - self.start).days // 2)

    def daily_rates(self, first: date, last: date) -> np.ndarray:
        """Expected events per day, [day, hotspot], for the days first..last inclusive."""
        days = _days(first, last)
        years = (days - np.datetime64(self.reference, "D")).astype(np.float64) / DAYS_PER_YEAR
        doy = (days - days.astype("datetime64[Y]")).astype(np.float64)
        h = self.hotspots
        rate = np.array([s.rate for s in h])
        trend = np.array([s.trend for s in h])
        season = np.array([s.season for s in h])
        peak = np.array([s.peak_doy for s in h], dtype=np.float64)
        cycle = np.cos(2 * np.pi * (doy[:, None] - peak) / DAYS_PER_YEAR)
        return rate * np.exp(trend * years[:, None]) * (1 + season * cycle)

    def share(
        self, event_types: Collection[str] | None, sub_event_types: Collection[str] | None
    ) -> np.ndarray:
        """Which `types` the outcome counts (None: any event type, any sub-event type)."""
        return np.array(
            [
                (event_types is None or et in event_types)
                and (sub_event_types is None or sub in sub_event_types)
                for et, sub, _ in self.types
            ]
        )

    def true_probability(
        self,
        as_of: date,
        *,
        days: int = 30,
        radius_km: float = 25.0,
        event_types: Collection[str] | None = None,
        sub_event_types: Collection[str] | None = None,
        lat: np.ndarray | None = None,
        lon: np.ndarray | None = None,
    ) -> np.ndarray:
        """The chance of at least one event of the given types within `radius_km` of each site
        (or of each point `lat`, `lon`) on the days after `as_of`: as_of + 1 ... as_of + days.
        """
        qlat = np.array([s.lat for s in self.sites]) if lat is None else np.asarray(lat)
        qlon = np.array([s.lon for s in self.sites]) if lon is None else np.asarray(lon)
        first = as_of + timedelta(days=1)
        per_hotspot = self.daily_rates(first, as_of + timedelta(days=days)).sum(axis=0)
        shares = np.array([s for _, _, s in self.types])
        fraction = float(shares[self.share(event_types, sub_event_types)].sum())
        clat = np.array([h.lat for h in self.hotspots])
        clon = np.array([h.lon for h in self.hotspots])
        sigma = np.array([h.sigma_km for h in self.hotspots])
        delta = haversine(qlat[:, None], qlon[:, None], clat, clon)  # [site, hotspot] km
        inside = rice.cdf(radius_km, delta / sigma, scale=sigma)  # P(scatter lands within R)
        expected = fraction * (inside @ per_hotspot)
        return -np.expm1(-expected)


def _destination(
    lat: np.ndarray, lon: np.ndarray, km: np.ndarray, bearing: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The point `km` from (lat, lon) along `bearing` (radians) on the sphere."""
    p1, l1, d = np.radians(lat), np.radians(lon), km / EARTH_RADIUS_KM
    p2 = np.arcsin(np.sin(p1) * np.cos(d) + np.cos(p1) * np.sin(d) * np.cos(bearing))
    l2 = l1 + np.arctan2(
        np.sin(bearing) * np.sin(d) * np.cos(p1), np.cos(d) - np.sin(p1) * np.sin(p2)
    )
    return np.degrees(p2), (np.degrees(l2) + 540.0) % 360.0 - 180.0


def make_process(
    seed: int = 0,
    *,
    sites: int = 50,
    hotspots: int = 12,
    start: date = date(2017, 1, 1),
    end: date = date(2019, 12, 31),
) -> Process:
    """Sites scattered over the square; each hotspot centred within a few km of a distinct
    site (violence clusters near towns), with rate, spread, trend and season drawn at random;
    the background last. The same seed gives the same process."""
    rng = np.random.default_rng([seed, 0])
    half_lat = (HALF_SIDE_KM - EDGE_MARGIN_KM) / KM_PER_DEG
    half_lon = half_lat / np.cos(np.radians(CENTRE[0]))
    lats = CENTRE[0] + rng.uniform(-half_lat, half_lat, sites)
    lons = CENTRE[1] + rng.uniform(-half_lon, half_lon, sites)
    pops = np.round(np.exp(rng.uniform(np.log(2_000), np.log(200_000), sites)), -2)
    site_list = tuple(
        Site(f"site-{i:02d}", f"Site {i:02d}", float(la), float(lo), int(po))
        for i, (la, lo, po) in enumerate(zip(lats, lons, pops, strict=True))
    )
    near = rng.choice(sites, size=hotspots, replace=False)
    clat, clon = _destination(
        lats[near], lons[near], rng.rayleigh(5.0, hotspots), rng.uniform(0, 2 * np.pi, hotspots)
    )
    spots = [
        Hotspot(
            lat=float(clat[i]),
            lon=float(clon[i]),
            sigma_km=float(np.exp(rng.uniform(np.log(12), np.log(45)))),
            rate=float(np.exp(rng.uniform(np.log(0.01), np.log(0.4)))),
            trend=float(rng.uniform(-0.6, 0.6)),
            season=float(rng.uniform(0.0, 0.6)),
            peak_doy=int(rng.integers(1, 366)),
        )
        for i in range(hotspots)
    ]
    return Process(start, end, site_list, (*spots, BACKGROUND))


def simulate(
    process: Process, seed: int = 0, first: date | None = None, last: date | None = None
) -> Events:
    """Draw the events of first..last (default: the process's whole period), day by day."""
    rng = np.random.default_rng([seed, 1])
    first, last = first or process.start, last or process.end
    drawn = rng.poisson(process.daily_rates(first, last))  # events per [day, hotspot]
    day_idx, spot = np.nonzero(drawn)
    reps = drawn[day_idx, spot]
    day_idx, spot = np.repeat(day_idx, reps), np.repeat(spot, reps)
    n = day_idx.size
    clat = np.array([h.lat for h in process.hotspots])[spot]
    clon = np.array([h.lon for h in process.hotspots])[spot]
    sigma = np.array([h.sigma_km for h in process.hotspots])[spot]
    lat, lon = _destination(clat, clon, rng.rayleigh(sigma), rng.uniform(0, 2 * np.pi, n))
    shares = np.array([s for _, _, s in process.types])
    kind = rng.choice(len(shares), size=n, p=shares)
    return Events(_days(first, last)[day_idx], lat, lon, kind, spot)


def counts(
    process: Process,
    events: Events,
    first: date,
    last: date,
    *,
    radius_km: float = 25.0,
    event_types: Collection[str] | None = None,
    sub_event_types: Collection[str] | None = None,
) -> np.ndarray:
    """Events of the given types within `radius_km` of each site on the days first..last."""
    keep = (events.day >= np.datetime64(first, "D")) & (events.day <= np.datetime64(last, "D"))
    keep &= process.share(event_types, sub_event_types)[events.kind]
    slat = np.array([s.lat for s in process.sites])
    slon = np.array([s.lon for s in process.sites])
    dist = haversine(slat[:, None], slon[:, None], events.lat[keep], events.lon[keep])
    return (dist <= radius_km).sum(axis=1)


def observed(
    process: Process,
    events: Events,
    as_of: date,
    *,
    days: int = 30,
    radius_km: float = 25.0,
    event_types: Collection[str] | None = None,
    sub_event_types: Collection[str] | None = None,
) -> np.ndarray:
    """Whether each site saw at least one such event on as_of + 1 ... as_of + days: the
    outcome `true_probability` gives the chance of, read from the drawn events."""
    window = (as_of + timedelta(days=1), as_of + timedelta(days=days))
    return counts(
        process, events, *window, radius_km=radius_km, event_types=event_types,
        sub_event_types=sub_event_types,
    ) > 0  # fmt: skip


JNIM = ("JNIM: Group for Support of Islam and Muslims", "JNIM")
ISSP = ("Islamic State (Sahel)", "IS Sahel")
FAMA = "Military Forces of Mali (2021-)"
# per type: (actor2, inter2, notes) choices, drawn uniformly; {g} the group, {loc} the site
CODINGS: tuple[tuple[tuple[str, str, str], ...], ...] = (
    (
        (FAMA, "State forces", "{g} militants ambushed a FAMa convoy on the road near {loc}."),
        (FAMA, "State forces", "{g} militants attacked an army post in {loc}."),
    ),
    ((FAMA, "State forces", "An IED planted by {g} struck a vehicle on the road near {loc}."),),
    (
        ("Civilians (Mali)", "Civilians", "{g} gunmen attacked villagers in {loc}."),
        ("Civilians (Mali)", "Civilians", "Gunmen attacked a bus and its passengers near {loc}."),
    ),
    (
        ("Civilians (Mali)", "Civilians", "{g} militants abducted civilians near {loc}."),
        ("Civilians (China)", "Civilians", "{g} militants abducted Chinese workers near {loc}."),
    ),
)


def acled_rows(process: Process, events: Events, seed: int = 0) -> list[dict[str, object]]:
    """The events as ACLED export rows (every export column), written with the project's
    test factory: actors, notes and the nearest site's name vary, the types stay as drawn."""
    rng = np.random.default_rng([seed, 2])
    slat = np.array([s.lat for s in process.sites])
    slon = np.array([s.lon for s in process.sites])
    nearest = haversine(slat[:, None], slon[:, None], events.lat, events.lon).argmin(axis=0)
    rows = []
    for i in range(len(events)):
        kind = int(events.kind[i])
        et, sub, _ = process.types[kind]
        options = CODINGS[kind]
        actor2, inter2, notes = options[rng.integers(len(options))]
        actor1, short = JNIM if rng.random() < 0.7 else ISSP
        where = process.sites[nearest[i]].name
        rows.append(
            event(
                f"SYN{i + 1}", events.day[i].item(), float(events.lat[i]), float(events.lon[i]),
                precision=1 if rng.random() < 0.7 else 2,
                event_type=et, sub_event_type=sub, actor1=actor1, actor2=actor2, inter2=inter2,
                civilian_targeting="Civilian targeting" if inter2 == "Civilians" else "",
                notes=notes.format(g=short, loc=where), location=where, admin1="Synthetic",
                fatalities=int(rng.poisson(1.5)),
            )
        )  # fmt: skip
    return rows


def sites_geojson(process: Process, path: Path) -> Path:
    """The sites as the project's places GeoJSON (towns in Mali)."""
    feats = [
        point(s.id, s.name, "town", s.lat, s.lon, population=s.population, admin1="Synthetic")
        for s in process.sites
    ]
    return write_places(path, feats)


def generate(
    directory: Path,
    seed: int = 0,
    *,
    sites: int = 50,
    hotspots: int = 12,
    start: date = date(2017, 1, 1),
    end: date = date(2019, 12, 31),
) -> tuple[Process, Events, Path, Path]:
    """A process, its events, and the two input files: `synthetic-acled.csv` (ACLED export
    columns, in order) and `synthetic-places.geojson`. The same seed gives the same bytes."""
    process = make_process(seed, sites=sites, hotspots=hotspots, start=start, end=end)
    events = simulate(process, seed)
    csv_path = write_csv(
        directory / "synthetic-acled.csv", acled_rows(process, events, seed), list(COLUMNS)
    )
    return process, events, csv_path, sites_geojson(process, directory / "synthetic-places.geojson")
