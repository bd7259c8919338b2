"""The Python face of one opened network: `Network`, `Route`, `Routes`,
`ShortestPath` and `Scenario`.

Everything here is conversion. Each method turns its Python arguments into
the values the engine API takes, calls one method of the native
`silkroute._core.Service` (which releases the GIL around the engine), and
turns the API's JSON answer into dicts and pandas DataFrames. No routing,
pricing or validation rule lives here: a bad mode, place or scenario is
refused by the API, with its error code as the exception class.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from . import _core

ALL_MODES = "rail,road,sea,air,ferry"
SURFACE_MODES = "rail,road,sea,ferry"

Place = str | tuple[float, float]
"""A place: any text a route accepts (name, UN/LOCODE, IATA, ``"lat,lon"``)
or a ``(lon, lat)`` tuple (GeoJSON order)."""


def _place(p: Any) -> str:
    """A place as the API's text: a ``(lon, lat)`` pair becomes ``"lat,lon"``."""
    if type(p) is str:
        return p
    if type(p) is tuple and len(p) == 2 and type(p[0]) is float and type(p[1]) is float:
        return f"{p[1]},{p[0]}"
    if isinstance(p, str):
        return p
    if isinstance(p, (tuple, list, np.ndarray)) and len(p) == 2:
        lon, lat = float(p[0]), float(p[1])
        return f"{lat},{lon}"
    raise _core.InvalidQuery(
        f"a place is a text or a (lon, lat) pair, not {p!r}"
    )


def _list(x: str | Iterable[str] | None) -> list[str]:
    if x is None:
        return []
    if isinstance(x, str):
        return [x]
    return [str(v) for v in x]


def _modes(m: str | Iterable[str]) -> str:
    return m if isinstance(m, str) else ",".join(m)


def _path(p: str | os.PathLike | None) -> str | None:
    return None if p is None else os.fspath(p)


def _column(df: pd.DataFrame, names: Sequence[str]) -> str | None:
    lower = {str(c).lower(): c for c in df.columns}
    for n in names:
        if n in lower:
            return lower[n]
    return None


def _places(
    rows: Any, what: str
) -> tuple[list[str], list[str] | None]:
    """Place texts and optional labels from a list or a DataFrame.

    A DataFrame has a ``place`` column or ``lon``/``lat`` columns, and
    optionally ``id`` (or ``name``) for labels.
    """
    if isinstance(rows, pd.DataFrame):
        id_col = _column(rows, ["id", "name"])
        place_col = _column(rows, ["place"])
        lat_col = _column(rows, ["lat", "latitude"])
        lon_col = _column(rows, ["lon", "lng", "longitude"])
        if place_col is not None:
            texts = [_place(p) for p in rows[place_col]]
        elif lat_col is not None and lon_col is not None:
            texts = [
                f"{float(la)},{float(lo)}"
                for la, lo in zip(rows[lat_col], rows[lon_col], strict=True)
            ]
        else:
            raise _core.InvalidQuery(
                f"{what}: a DataFrame needs a `place` column or `lon` and `lat` columns; "
                f"found {list(rows.columns)}"
            )
        labels = None if id_col is None else [str(x) for x in rows[id_col]]
        return texts, labels
    if _is_one_place(rows):
        rows = [rows]
    return [_place(p) for p in rows], None


def _is_one_place(x: Any) -> bool:
    """A text, or a (lon, lat) pair of numbers."""
    if isinstance(x, str):
        return True
    return (
        isinstance(x, tuple)
        and len(x) == 2
        and all(isinstance(v, (int, float, np.floating, np.integer)) for v in x)
    )


def _stops(x: Any) -> list[str]:
    """``via``: one place or a list of them."""
    if x is None:
        return []
    if _is_one_place(x):
        return [_place(x)]
    return [_place(p) for p in x]


_FROM = ["from", "origin", "source"]
_TO = ["to", "destination", "target"]


def _pairs(od: Any, value: str | None = None) -> list[tuple[str, str, float | None]]:
    """Pairs from a DataFrame (``from``/``to`` columns, and ``value``), a
    CSV path, or a list of ``(from, to)`` / ``(from, to, value)`` tuples."""
    if isinstance(od, (str, os.PathLike)):
        od = pd.read_csv(od)
    if isinstance(od, pd.DataFrame):
        f, t = _column(od, _FROM), _column(od, _TO)
        if f is None or t is None:
            raise _core.InvalidQuery(
                f"od: a DataFrame needs `from` and `to` columns; found {list(od.columns)}"
            )
        v = _column(od, [value]) if value else None
        values = [None] * len(od) if v is None else [float(x) for x in od[v]]
        return [
            (_place(a), _place(b), x)
            for a, b, x in zip(od[f], od[t], values, strict=True)
        ]
    out = []
    for row in od:
        row = tuple(row)
        if len(row) == 2:
            out.append((_place(row[0]), _place(row[1]), None))
        elif len(row) == 3:
            out.append((_place(row[0]), _place(row[1]), None if row[2] is None else float(row[2])))
        else:
            raise _core.InvalidQuery(
                f"od: a pair is (from, to) or (from, to, value), not {row!r}"
            )
    return out


def _frame(rows: list[dict], columns: dict[str, str]) -> pd.DataFrame:
    """A DataFrame with these columns and dtypes (``float``, ``int``,
    ``bool``, ``str`` or ``object``), whatever the number of rows."""
    data = {}
    for name, kind in columns.items():
        values = [r.get(name) for r in rows]
        if kind == "float":
            data[name] = pd.array(
                [np.nan if x is None else float(x) for x in values], dtype="float64"
            )
        elif kind == "int":
            data[name] = pd.array([int(x) for x in values], dtype="int64")
        elif kind == "bool":
            data[name] = pd.array([bool(x) for x in values], dtype="bool")
        elif kind == "str":
            data[name] = pd.Series(
                ["" if x is None else str(x) for x in values], dtype="str"
            )
        else:
            data[name] = pd.Series(values, dtype="object")
    return pd.DataFrame(data, columns=list(columns))


class _Answer:
    """One route answer of the engine: its JSON is made and parsed on first
    use, once for all the routes it holds."""

    __slots__ = ("_handle", "_dict")

    def __init__(self, handle: Any = None, d: dict | None = None):
        self._handle = handle
        self._dict = d

    @property
    def dict(self) -> dict:
        if self._dict is None:
            self._dict = json.loads(self._handle.json())
        return self._dict

    def geojson(self) -> dict:
        if self._handle is None:
            raise _core.InvalidQuery("this route has no geometry (made from a dict)")
        return json.loads(self._handle.geojson())


class Route:
    """One route, priced and explained (the API's route JSON).

    Totals: ``hours``, ``days``, ``usd``, ``co2e_kg`` (well-to-wheel),
    ``co2e_kg_ttw``, ``km``; ``transit_days`` its P10/P50/P90. ``legs`` and ``border_crossings`` are
    DataFrames; ``to_dict()`` is the API's JSON; ``geojson`` its
    GeoJSON FeatureCollection (RFC 7946, lon/lat). The totals come with the
    answer; the rest is made from the API's JSON on first use.
    """

    __slots__ = ("_totals", "_answer", "_index", "_legs", "_borders", "_geojson")

    def __init__(self, totals: tuple, answer: _Answer, index: int = 0):
        self._totals = totals
        self._answer = answer
        self._index = index
        self._legs: pd.DataFrame | None = None
        self._borders: pd.DataFrame | None = None
        self._geojson: dict | None = None

    @property
    def _d(self) -> dict:
        return self._answer.dict["routes"][self._index]

    # Totals -------------------------------------------------------------
    @property
    def hours(self) -> float:
        return self._totals[0]

    @property
    def days(self) -> float:
        return self._totals[0] / 24.0

    @property
    def usd(self) -> float:
        return self._totals[1]

    @property
    def co2e_kg(self) -> float:
        return self._totals[2]

    @property
    def co2e_kg_ttw(self) -> float:
        return self._totals[3]

    @property
    def km(self) -> float:
        return self._totals[4]

    @property
    def transit_days(self) -> dict:
        """P10, P50 and P90 transit days, how many of the route's
        durations were drawn from a published range (``varying``) and of
        which kinds (``uncertain``: ``component`` such as ``rail_speed`` or
        ``border_dwell``, and ``count``); see docs/COST_MODEL.md §4.6."""
        return dict(self._d["transit_days"])

    @property
    def transfers(self) -> int:
        return self._d["transfers"]

    @property
    def modes(self) -> list[str]:
        return list(self._d["modes"])

    @property
    def passages(self) -> list[str]:
        return list(self._d["passages"])

    @property
    def countries(self) -> list[str]:
        return list(self._d["countries"])

    @property
    def corridors(self) -> list[str]:
        return [c["id"] for c in self._d.get("corridors") or []]

    @property
    def notes(self) -> list[str]:
        return list(self._d["notes"])

    @property
    def origin(self) -> dict:
        return self._d["origin"]

    @property
    def destination(self) -> dict:
        return self._d["destination"]

    # Tables -------------------------------------------------------------
    @property
    def legs(self) -> pd.DataFrame:
        """One row per leg: mode, drayage (the first or last mile, a road
        leg between a place and the node it joins), from, to, distance_km,
        hours, usd, co2e_kg, co2e_kg_ttw, passages, countries and the ends'
        lat/lon."""
        if self._legs is None:
            rows = [
                {
                    "mode": leg["mode"],
                    "drayage": leg["drayage"],
                    "from": leg["from"]["name"],
                    "to": leg["to"]["name"],
                    "distance_km": leg["distance_km"],
                    "hours": leg["duration_h"],
                    "usd": leg["cost_usd"],
                    "co2e_kg": leg["co2e_kg"],
                    "co2e_kg_ttw": leg["co2e_kg_ttw"],
                    "passages": ",".join(leg["passages"]),
                    "countries": ",".join(leg["countries"]),
                    "from_lat": leg["from"]["lat"],
                    "from_lon": leg["from"]["lon"],
                    "to_lat": leg["to"]["lat"],
                    "to_lon": leg["to"]["lon"],
                }
                for leg in self._d["legs"]
            ]
            self._legs = _frame(rows, _LEG_COLUMNS)
        return self._legs

    @property
    def border_crossings(self) -> pd.DataFrame:
        """One row per border crossing: name, mode, countries, position,
        customs, gauge change, dwell, fee, and its hours, USD and CO2e."""
        if self._borders is None:
            rows = [
                {
                    "name": b["name"],
                    "mode": b["mode"],
                    "from_country": b["from_country"],
                    "to_country": b["to_country"],
                    "lat": b["lat"],
                    "lon": b["lon"],
                    "customs": b["customs"],
                    "gauge_change": b["gauge_change"] is not None,
                    "dwell_h": b["dwell_h"],
                    "fee_usd": b["fee_usd"],
                    "hours": b["duration_h"],
                    "usd": b["cost_usd"],
                    "co2e_kg": b["co2e_kg"],
                    "curated": (b["curated"] or {}).get("id"),
                }
                for b in self._d["border_crossings"]
            ]
            self._borders = _frame(rows, _BORDER_COLUMNS)
        return self._borders

    def to_dict(self) -> dict:
        """The API's JSON of this route (the CLI's ``--format json``)."""
        return self._d

    @property
    def geojson(self) -> dict:
        """This route's legs, border crossings and ends as a GeoJSON
        FeatureCollection (the CLI's ``--format geojson``)."""
        if self._geojson is None:
            full = self._answer.geojson()
            full["features"] = [
                f for f in full["features"] if f["properties"].get("route") == self._index
            ]
            self._geojson = full
        return self._geojson

    def to_geodataframe(self):
        """The GeoJSON as a geopandas GeoDataFrame in EPSG:4326 (needs
        geopandas)."""
        try:
            import geopandas as gpd
        except ImportError as e:  # pragma: no cover - depends on the env
            raise ImportError(
                "Route.to_geodataframe needs geopandas: pip install geopandas"
            ) from e
        return gpd.GeoDataFrame.from_features(self.geojson["features"], crs="EPSG:4326")

    def summary(self) -> dict:
        """Totals as a flat dict (one row of ``Routes.frame``)."""
        return {
            "hours": self.hours,
            "days": self.days,
            "usd": self.usd,
            "co2e_kg": self.co2e_kg,
            "km": self.km,
            "transfers": self.transfers,
            "modes": ",".join(self.modes),
            "passages": ",".join(self.passages),
            "corridor": self.corridors[0] if self.corridors else None,
        }

    def __repr__(self) -> str:
        return (
            f"<Route {self.origin['name']} → {self.destination['name']}: "
            f"{self.days:.1f} days, {self.usd:,.0f} USD, {self.co2e_kg:,.0f} kg CO2e, "
            f"{self.km:,.0f} km, {'+'.join(self.modes)}>"
        )


_LEG_COLUMNS = {
    "mode": "str",
    "drayage": "bool",
    "from": "str",
    "to": "str",
    "distance_km": "float",
    "hours": "float",
    "usd": "float",
    "co2e_kg": "float",
    "co2e_kg_ttw": "float",
    "passages": "str",
    "countries": "str",
    "from_lat": "float",
    "from_lon": "float",
    "to_lat": "float",
    "to_lon": "float",
}

_BORDER_COLUMNS = {
    "name": "str",
    "mode": "str",
    "from_country": "str",
    "to_country": "str",
    "lat": "float",
    "lon": "float",
    "customs": "bool",
    "gauge_change": "bool",
    "dwell_h": "float",
    "fee_usd": "float",
    "hours": "float",
    "usd": "float",
    "co2e_kg": "float",
    "curated": "object",
}


class ShortestPath:
    """A network path alone (:meth:`Network.shortest_path`): its length, the
    objective's value along it and its nodes, without legs, prices or
    explanations. ``coordinates`` is an ``(n, 2)`` float64 array of
    ``(lon, lat)`` (GeoJSON order); ``origin`` and ``destination`` say where
    each end joined the network."""

    __slots__ = ("km", "value", "unit", "origin", "destination", "_blob")

    def __init__(self, value, unit, km, origin, destination, blob):
        self.value = value
        self.unit = unit
        self.km = km
        self.origin = {"place": origin[0], "lat": origin[1], "lon": origin[2], "join_km": origin[3]}
        self.destination = {"place": destination[0], "lat": destination[1], "lon": destination[2], "join_km": destination[3]}
        self._blob = blob

    @property
    def coordinates(self) -> np.ndarray:
        """The path's nodes, ``(n, 2)`` of ``(lon, lat)``."""
        return np.frombuffer(self._blob, dtype="<f8").reshape(2, -1).T

    def geojson(self) -> dict:
        """A GeoJSON Feature (LineString) of the path."""
        return {
            "type": "Feature",
            "geometry": {"type": "LineString", "coordinates": self.coordinates.tolist()},
            "properties": {"km": self.km, "value": self.value, "unit": self.unit,
                           "from": self.origin["place"], "to": self.destination["place"]},
        }

    def __repr__(self) -> str:
        return (f"<silkroute.ShortestPath {self.origin['place']} -> {self.destination['place']}: "
                f"{self.km:,.1f} km, {self.value:,.3f} {self.unit}, {len(self._blob) // 16} nodes>")


class Routes(list):
    """Several routes (alternatives or a Pareto set); ``frame`` is one row
    of totals per route, ``answer`` the API's whole JSON."""

    _answer: _Answer

    @property
    def answer(self) -> dict:
        """The API's JSON of the whole answer (the CLI's ``--format json``)."""
        return self._answer.dict

    @property
    def frame(self) -> pd.DataFrame:
        rows = [r.summary() for r in self]
        return _frame(
            rows,
            {
                "hours": "float",
                "days": "float",
                "usd": "float",
                "co2e_kg": "float",
                "km": "float",
                "transfers": "int",
                "modes": "str",
                "passages": "str",
                "corridor": "object",
            },
        )


_COMPARE_COLUMNS = {
    "from": "str",
    "to": "str",
    "from_country": "str",
    "to_country": "str",
    "status": "str",
    "baseline_hours": "float",
    "baseline_usd": "float",
    "baseline_co2e_kg": "float",
    "baseline_km": "float",
    "scenario_hours": "float",
    "scenario_usd": "float",
    "scenario_co2e_kg": "float",
    "scenario_km": "float",
    "delta_hours": "float",
    "delta_usd": "float",
    "delta_co2e_kg": "float",
    "delta_km": "float",
    "baseline_corridor": "object",
    "scenario_corridor": "object",
}


def _comparison_rows(answer: dict) -> list[dict]:
    rows = []
    for p in answer["pairs"]:
        row = {k: p[k] for k in ("from", "to", "from_country", "to_country", "status")}
        for side in ("baseline", "scenario"):
            s = p[side]
            row[f"{side}_hours"] = s.get("duration_h")
            row[f"{side}_usd"] = s.get("cost_usd")
            row[f"{side}_co2e_kg"] = s.get("co2e_kg")
            row[f"{side}_km"] = s.get("distance_km")
            row[f"{side}_corridor"] = s.get("corridor")
        d = p["delta"] or {}
        row["delta_hours"] = d.get("duration_h")
        row["delta_usd"] = d.get("cost_usd")
        row["delta_co2e_kg"] = d.get("co2e_kg")
        row["delta_km"] = d.get("distance_km")
        rows.append(row)
    return rows


class Scenario:
    """A named disruption (or one given as a dict in the schema of
    ``data/scenarios/scenarios.toml``), checked against the network."""

    def __init__(self, network: "Network", spec: str | dict):
        self.network = network
        if isinstance(spec, str):
            self._id, self._json = spec, None
            info = network._service.scenario(id=spec)
        elif isinstance(spec, dict):
            self._id = None
            self._json = json.dumps({k: v for k, v in spec.items() if v is not None})
            info = network._service.scenario(json=self._json)
        else:
            raise _core.InvalidQuery(
                f"a scenario is an id or a dict, not {type(spec).__name__}"
            )
        self.info: dict = json.loads(info)

    @property
    def id(self) -> str:
        return self.info["id"]

    @property
    def name(self) -> str:
        return self.info["name"]

    @property
    def changes(self) -> list[str]:
        return list(self.info["changes"])

    @property
    def spec(self) -> tuple[str | None, str | None]:
        """``(id, None)`` for a named scenario, ``(None, json)`` for a dict."""
        return (self._id, self._json)

    def compare_dict(
        self,
        od: Any,
        modes: str | Iterable[str] = SURFACE_MODES,
        optimize: str = "cost",
        cargo: str = "feu",
        cost_model: str | os.PathLike | None = None,
    ) -> dict:
        """The API's comparison JSON (the CLI's ``scenario run --format json``)."""
        pairs = [(a, b) for a, b, _ in _pairs(od)]
        return json.loads(
            self.network._service.compare(
                self._id, self._json, pairs, _modes(modes), optimize, cargo, _path(cost_model)
            )
        )

    def compare(
        self,
        od: Any,
        modes: str | Iterable[str] = SURFACE_MODES,
        optimize: str = "cost",
        cargo: str = "feu",
        cost_model: str | os.PathLike | None = None,
    ) -> pd.DataFrame:
        """Every pair before and after: one row per pair with its status
        (unchanged, delayed, rerouted, cut off, no baseline route), both
        sides' hours, USD, kg CO2e and km, and the deltas. ``attrs`` holds
        the scenario, its changes, the totals and the summary by country
        pair. Defaults as the CLI's: surface modes, cheapest routes."""
        answer = self.compare_dict(od, modes, optimize, cargo, cost_model)
        df = _frame(_comparison_rows(answer), _COMPARE_COLUMNS)
        df.attrs = {
            "scenario": answer["scenario"],
            "totals": answer["totals"],
            "by_country_pair": answer["by_country_pair"],
            "objective": answer["objective"],
            "modes": answer["modes"],
            "cargo": answer["cargo"],
        }
        return df

    def __repr__(self) -> str:
        return f"<Scenario {self.id}: {self.name}>"


def _labels(labels: list[str]) -> tuple[pd.CategoricalDtype, np.ndarray]:
    """A long table's label dtype (one string per place, not per cell, in
    the order given) and each place's code."""
    if len(set(labels)) == len(labels):
        return pd.CategoricalDtype(pd.Index(labels, dtype="str")), np.arange(len(labels), dtype=np.int32)
    index: dict[str, int] = {}
    codes = np.fromiter((index.setdefault(x, len(index)) for x in labels), dtype=np.int32, count=len(labels))
    return pd.CategoricalDtype(pd.Index(list(index), dtype="str")), codes


class Network:
    """An opened silkroute network and its engine.

    Open one with :meth:`Network.open` (a file built by ``silkroute build``,
    or the default cache, built on first use) and ask it questions; every
    call releases the GIL, so threads can share one network. A network
    pickles as its file path, so Ray, Dask or multiprocessing workers open
    their own (memory-mapped, so cheap) copy.
    """

    __slots__ = ("_service",)

    def __init__(self, service: "_core.Service"):
        self._service = service

    @classmethod
    def open(cls, path: str | os.PathLike | None = None, hierarchy: bool = True) -> "Network":
        """Opens a network file, or the default cache (``$SILKROUTE_CACHE``,
        else ``~/.cache/silkroute``), compiling it from the embedded data on
        first use (under a minute) exactly as the CLI does.

        ``hierarchy=True`` (the default, for a long-lived process) answers
        on the customizable contraction hierarchies: the first query of a
        metric customizes it (about 0.1–1 s), later ones take milliseconds.
        ``hierarchy=False`` runs plain Dijkstra, as the CLI does for one
        route. Both are exact; where two paths tie on the objective they
        may pick different ones."""
        return cls(_core.Service.open(_path(path), hierarchy))

    @classmethod
    def build(
        cls, out: str | os.PathLike | None = None, data: str | os.PathLike | None = None
    ) -> "Network":
        """Compiles a network file from the embedded data (or a directory
        laid out like the repository's ``data/``) into ``out`` (default: the
        cache file) and opens it."""
        target = _path(out) or _core.Service.default_path()
        _core.Service.build(target, _path(data))
        return cls.open(target)

    @property
    def path(self) -> str:
        """The network file."""
        return self._service.path

    @property
    def data_version(self) -> str:
        """The network's fingerprint (OSRM's ``data_version``)."""
        return self._service.data_version()

    @property
    def hierarchy(self) -> bool:
        """Whether searches run on the hierarchies (see :meth:`open`)."""
        return self._service.hierarchy

    def __reduce__(self):
        # A network pickles as its file path: workers open their own copy.
        return (Network.open, (self.path, self.hierarchy))

    def __repr__(self) -> str:
        return f"<silkroute.Network {self.path}>"

    # Routes -------------------------------------------------------------
    def _route(self, from_, to, want, k, epsilon, modes, optimize, cargo, avoid, via, corridor, cost_model):
        totals, handle = self._service.route(
            _place(from_),
            _place(to),
            _modes(modes),
            optimize,
            cargo,
            _list(avoid),
            _stops(via),
            corridor,
            want,
            k,
            epsilon,
            _path(cost_model),
        )
        answer = _Answer(handle)
        routes = Routes(Route(t, answer, i) for i, t in enumerate(totals))
        routes._answer = answer
        return routes

    def route(
        self,
        from_: Place,
        to: Place,
        modes: str | Iterable[str] = ALL_MODES,
        optimize: str = "time",
        cargo: str = "feu",
        avoid: str | Iterable[str] | None = None,
        via: str | Iterable[str] | None = None,
        corridor: str | None = None,
        cost_model: str | os.PathLike | None = None,
    ) -> Route:
        """The best route between two places.

        ``modes``: rail, road, sea, air, ferry (a comma list or a list);
        ``optimize``: time, cost, co2 or distance; ``cargo``: feu, teu,
        2feu, tonnes:12.5; ``avoid``: passages (suez, babalmandab, …),
        country codes, places (50 km around them), ``curated-links`` or
        ``bbox:WEST,SOUTH,EAST,NORTH``; ``via``: places in order and at
        most one passage; ``corridor``: a Belt and Road corridor id;
        ``cost_model``: a TOML file of overrides. Raises ``NoRoute`` when
        nothing satisfies the request."""
        return self._route(from_, to, "best", 1, _core.DEFAULT_EPSILON, modes, optimize, cargo, avoid, via, corridor, cost_model)[0]

    def alternatives(
        self,
        from_: Place,
        to: Place,
        k: int = 3,
        modes: str | Iterable[str] = ALL_MODES,
        optimize: str = "time",
        cargo: str = "feu",
        avoid: str | Iterable[str] | None = None,
        via: str | Iterable[str] | None = None,
        corridor: str | None = None,
        cost_model: str | os.PathLike | None = None,
    ) -> Routes:
        """Up to ``k`` meaningfully different routes, best first."""
        return self._route(from_, to, "alternatives", k, _core.DEFAULT_EPSILON, modes, optimize, cargo, avoid, via, corridor, cost_model)

    def pareto(
        self,
        from_: Place,
        to: Place,
        epsilon: float = _core.DEFAULT_EPSILON,
        modes: str | Iterable[str] = ALL_MODES,
        optimize: str = "time",
        cargo: str = "feu",
        avoid: str | Iterable[str] | None = None,
        via: str | Iterable[str] | None = None,
        corridor: str | None = None,
        cost_model: str | os.PathLike | None = None,
    ) -> Routes:
        """The (1+ε)-Pareto set over time × cost × CO2e (ε = 5 % by
        default; 0 is the exact set)."""
        return self._route(from_, to, "pareto", 1, epsilon, modes, optimize, cargo, avoid, via, corridor, cost_model)

    def shortest_path(
        self,
        from_: Place,
        to: Place,
        modes: str | Iterable[str] = ALL_MODES,
        optimize: str = "distance",
        cargo: str = "feu",
        avoid: str | Iterable[str] | None = None,
        cost_model: str | os.PathLike | None = None,
    ) -> ShortestPath:
        """The shortest network path alone, as scgraph's
        ``get_shortest_path`` answers it: length in km, the objective's
        value and the nodes, without legs, prices or explanations (use
        :meth:`route` for those). The ends join the network as in
        :meth:`route`; ``km`` and ``value`` cover the network part only
        (the joins are in ``origin``/``destination['join_km']``). Raises
        what :meth:`route` raises for the same question."""
        return ShortestPath(*self._service.shortest_path(
            _place(from_), _place(to), _modes(modes), optimize, cargo, _list(avoid), _path(cost_model)
        ))

    # Tables -------------------------------------------------------------
    def matrix(
        self,
        origins: Any,
        destinations: Any = None,
        modes: str | Iterable[str] = ALL_MODES,
        optimize: str = "time",
        cargo: str = "feu",
        avoid: str | Iterable[str] | None = None,
        cost_model: str | os.PathLike | None = None,
    ) -> pd.DataFrame:
        """Time, cost, CO2e and distance from every origin to every
        destination (the destinations default to the origins).

        Origins and destinations are lists of places (texts or ``(lon,
        lat)`` tuples) or DataFrames with a ``place`` column or ``lon`` and
        ``lat`` columns (and optionally ``id``). Returns a long DataFrame:
        origin, destination (categorical labels, in the given order), hours,
        usd, co2e_kg, km (float64, NaN where a pair is unreachable); ``attrs["closed_places"]`` names places inside what
        ``avoid`` closes."""
        ot, ol = _places(origins, "origins")
        if destinations is None:
            dt, dl = ot, ol
        else:
            dt, dl = _places(destinations, "destinations")
        o, d, meta, blob = self._service.matrix(
            ot, dt, ol, dl, _modes(modes), optimize, cargo, _list(avoid), _path(cost_model)
        )
        meta = json.loads(meta)
        n = len(o) * len(d)
        # A writable array over the engine's bytes, shared by the columns.
        cols = np.frombuffer(bytearray(blob), dtype="<f8").reshape(4, n)
        o_type, o_codes = _labels(o)
        d_type, d_codes = (o_type, o_codes) if d == o else _labels(d)
        df = pd.DataFrame(
            {
                "origin": pd.Categorical.from_codes(np.repeat(o_codes, len(d)), dtype=o_type, validate=False),
                "destination": pd.Categorical.from_codes(np.tile(d_codes, len(o)), dtype=d_type, validate=False),
                "hours": cols[0],
                "usd": cols[1],
                "co2e_kg": cols[2],
                "km": cols[3],
            },
            copy=False,
        )
        df.attrs = {
            "closed_places": meta["closed_places"],
            "objective": meta["objective"],
            "modes": meta["modes"],
            "cargo": meta["cargo"],
        }
        return df

    def reach(
        self,
        from_: Place,
        within: str | float,
        modes: str | Iterable[str] = ALL_MODES,
        optimize: str = "time",
        cargo: str = "feu",
        avoid: str | Iterable[str] | None = None,
        min_population: int = 100_000,
        cost_model: str | os.PathLike | None = None,
    ) -> pd.DataFrame:
        """Transfer points and cities reachable within a budget (``"10d"``,
        ``"36h"`` for time; a number of USD, kg or km otherwise), sorted by
        ``value`` (hours, USD, kg CO2e or km)."""
        text = self._service.reach(
            _place(from_), str(within), _modes(modes), optimize, cargo, _list(avoid), int(min_population), _path(cost_model)
        )
        d = json.loads(text)
        key = {"time": "arrival_h", "cost": "cost_usd", "co2": "co2e_kg", "distance": "distance_km"}[d["objective"]]
        rows = [dict(p, value=p[key]) for p in d["places"]]
        df = _frame(
            rows,
            {"name": "str", "kind": "str", "country": "str", "lat": "float", "lon": "float", "value": "float"},
        )
        df.attrs = {k: d[k] for k in ("from", "objective", "within", "modes", "reached_nodes")}
        df.attrs["value"] = key
        return df

    def nearest(
        self, place: Place, modes: str | Iterable[str] = ALL_MODES, k: int = 1
    ) -> pd.DataFrame:
        """The ``k`` network nodes of ``modes`` nearest to a place (OSRM's
        ``nearest``): node, name, kind, lat, lon, distance_m."""
        d = json.loads(self._service.nearest(_place(place), _modes(modes), int(k)))
        return _frame(
            d["waypoints"],
            {"node": "int", "name": "str", "kind": "str", "lat": "float", "lon": "float", "distance_m": "float"},
        )

    # Analyses -----------------------------------------------------------
    def scenarios(self) -> pd.DataFrame:
        """The network's named scenarios: id, name, source, changes."""
        rows = json.loads(self._service.scenarios())
        for r in rows:
            r["changes"] = "; ".join(r["changes"])
        return _frame(rows, {"id": "str", "name": "str", "source": "str", "changes": "str"})

    def scenario(self, name_or_dict: str | dict) -> Scenario:
        """A named scenario (see :meth:`scenarios`) or one given as a dict
        in the schema of ``data/scenarios/scenarios.toml``."""
        return Scenario(self, name_or_dict)

    def criticality(
        self,
        od: Any,
        elements: str | Iterable[str] = "passages,crossings,ports,terminals,ferries,links",
        top: int = 20,
        modes: str | Iterable[str] = SURFACE_MODES,
        optimize: str = "cost",
        cargo: str = "feu",
        weight_unit: str = "pair",
        cost_model: str | os.PathLike | None = None,
    ) -> pd.DataFrame:
        """Elements ranked by the weighted loss their closure causes over
        the pairs (a ``weight`` column weighs them; 1 each otherwise)."""
        pairs = _pairs(od, value="weight")
        d = json.loads(
            self._service.criticality(
                pairs, _modes(elements), int(top), _modes(modes), optimize, cargo, weight_unit, _path(cost_model)
            )
        )
        rows = []
        for r in d["ranking"]:
            row = dict(r)
            w = r.get("worst_pair") or {}
            row["worst_pair"] = w.get("pair")
            row["worst_extra"] = w.get("extra")
            rows.append(row)
        df = _frame(
            rows,
            {
                "rank": "int",
                "id": "str",
                "kind": "str",
                "name": "str",
                "affected_pairs": "int",
                "affected_weight": "float",
                "cut_pairs": "int",
                "cut_weight": "float",
                "loss": "float",
                "extra_total": "float",
                "mean_extra": "float",
                "unit": "str",
                "worst_pair": "object",
                "worst_extra": "float",
                "lat": "float",
                "lon": "float",
            },
        )
        df.attrs = {k: v for k, v in d.items() if k != "ranking"}
        return df

    def flow(
        self,
        od: Any,
        unit: str = "teu",
        scenario: str | dict | Scenario | None = None,
        method: str = "equilibrium",
        iterations: int = 50,
        gap: float = 1e-3,
        modes: str | Iterable[str] = SURFACE_MODES,
        cost_model: str | os.PathLike | None = None,
    ) -> pd.DataFrame:
        """A yearly trade matrix (a ``volume`` column) assigned to the
        network: one row per element (crossings, ferries) and per corridor
        (kind ``corridor``) with load, capacity, utilisation and congestion
        delay; ``attrs`` holds the gap, iterations and per-pair shares."""
        pairs = _pairs(od, value="volume")
        if any(v is None for _, _, v in pairs):
            raise _core.InvalidQuery("flow: the pairs need a `volume` column")
        if scenario is None:
            sid, sjson = None, None
        else:
            s = scenario if isinstance(scenario, Scenario) else Scenario(self, scenario)
            sid, sjson = s.spec
        d = json.loads(
            self._service.flow(
                pairs, unit, sid, sjson, method, int(iterations), float(gap), _modes(modes), _path(cost_model)
            )
        )
        rows = [
            {
                "kind": e["kind"],
                "id": e["id"],
                "name": e["name"],
                "load": e["load"],
                "bottleneck_flow": None,
                "capacity": e["capacity"],
                "utilisation": e["utilisation"],
                "congestion_delay_h": e["congestion_delay_h"],
            }
            for e in d["elements"]
        ] + [
            {
                "kind": "corridor",
                "id": c["corridor"],
                "name": "",
                "load": c["load"],
                "bottleneck_flow": c["bottleneck_flow"],
                "capacity": c["capacity"],
                "utilisation": c["utilisation"],
                "congestion_delay_h": c["congestion_delay_h"],
            }
            for c in d["corridors"]
        ]
        df = _frame(
            rows,
            {
                "kind": "str",
                "id": "str",
                "name": "str",
                "load": "float",
                "bottleneck_flow": "float",
                "capacity": "float",
                "utilisation": "float",
                "congestion_delay_h": "float",
            },
        )
        df.attrs = {k: v for k, v in d.items() if k not in ("elements", "corridors")}
        return df

    def bri_impact(
        self,
        places: Any = None,
        projects: str | Iterable[str] | None = None,
        modes: str | Iterable[str] = "rail,sea,ferry",
        optimize: str = "time",
        cargo: str = "feu",
        cost_model: str | os.PathLike | None = None,
    ) -> pd.DataFrame:
        """Shipment times with and without the Belt and Road projects, per
        country (after de Soyres et al., World Bank 2018): one row per
        country; ``attrs`` holds the world mean, each project alone and the
        changed pairs. ``places`` defaults to the 100 built-in cities."""
        texts, labels = (None, None) if places is None else _places(places, "places")
        plist = None if projects is None else [p.strip() for p in _modes(projects).split(",") if p.strip()]
        d = json.loads(
            self._service.bri_impact(texts, labels, plist, _modes(modes), optimize, cargo, _path(cost_model))
        )
        rows = []
        for r in d["countries"]:
            row = dict(r)
            largest = r.get("largest_change") or {}
            row["largest_change_pct"] = largest.get("pct")
            row["largest_change_pair"] = largest.get("pair")
            rows.append(row)
        df = _frame(
            rows,
            {
                "country": "str",
                "cities": "int",
                "pairs": "int",
                "improved": "int",
                "connected_only_with_projects": "int",
                "mean_change_pct": "float",
                "largest_change_pct": "float",
                "largest_change_pair": "object",
            },
        )
        df.attrs = {k: v for k, v in d.items() if k != "countries"}
        return df
