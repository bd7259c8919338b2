"""Type stubs of the native module ``silkroute._core`` (src/lib.rs).

Use the pure-Python API (``silkroute.Network``); this module is its engine
call layer: every method releases the GIL and returns the API's JSON text.
"""

from typing import ClassVar

DEFAULT_EPSILON: float
MAX_MATRIX_CELLS: int

class SilkrouteError(Exception):
    code: ClassVar[str]

class InvalidQuery(SilkrouteError): ...
class InvalidValue(SilkrouteError): ...
class InvalidOptions(SilkrouteError): ...
class NoSegment(SilkrouteError): ...
class NoRoute(SilkrouteError): ...
class TooBig(SilkrouteError): ...
class Cancelled(SilkrouteError): ...
class Internal(SilkrouteError): ...

def objective_unit(optimize: str) -> str: ...

class RouteAnswer:
    def json(self) -> str: ...
    def geojson(self) -> str: ...

class Service:
    @staticmethod
    def open(path: str | None = None, hierarchy: bool = True) -> Service: ...
    @staticmethod
    def build(out: str, data: str | None = None) -> str: ...
    @staticmethod
    def default_path() -> str: ...
    @property
    def path(self) -> str: ...
    @property
    def hierarchy(self) -> bool: ...
    def data_version(self) -> str: ...
    def route(
        self,
        from_: str,
        to: str,
        modes: str,
        optimize: str,
        cargo: str,
        avoid: list[str],
        via: list[str],
        corridor: str | None,
        want: str,
        k: int,
        epsilon: float,
        cost_model: str | None,
    ) -> tuple[list[tuple[float, float, float, float, float]], RouteAnswer]: ...
    def shortest_path(
        self,
        from_: str,
        to: str,
        modes: str,
        optimize: str,
        cargo: str,
        avoid: list[str],
        cost_model: str | None,
    ) -> tuple[float, str, float, tuple[str, float, float, float], tuple[str, float, float, float], bytes]: ...
    def time_route_ms(self, from_: str, to: str, modes: str, optimize: str, repeat: int) -> list[float]: ...
    def time_path_ms(self, from_: str, to: str, modes: str, optimize: str, repeat: int) -> list[float]: ...
    def time_matrix_ms(self, origins: list[str], modes: str, optimize: str, repeat: int) -> list[float]: ...
    def matrix(
        self,
        origins: list[str],
        destinations: list[str],
        origin_labels: list[str] | None,
        destination_labels: list[str] | None,
        modes: str,
        optimize: str,
        cargo: str,
        avoid: list[str],
        cost_model: str | None,
    ) -> tuple[list[str], list[str], str, bytes]: ...
    def reach(
        self,
        from_: str,
        within: str,
        modes: str,
        optimize: str,
        cargo: str,
        avoid: list[str],
        min_population: int,
        cost_model: str | None,
    ) -> str: ...
    def nearest(self, place: str, modes: str, k: int) -> str: ...
    def check_pairs(self, pairs: list[tuple[str, str]]) -> int: ...
    def scenarios(self) -> str: ...
    def scenario(self, id: str | None = None, json: str | None = None) -> str: ...
    def compare(
        self,
        scenario_id: str | None,
        scenario_json: str | None,
        pairs: list[tuple[str, str]],
        modes: str,
        optimize: str,
        cargo: str,
        cost_model: str | None,
    ) -> str: ...
    def criticality(
        self,
        pairs: list[tuple[str, str, float | None]],
        elements: str,
        top: int,
        modes: str,
        optimize: str,
        cargo: str,
        weight_unit: str,
        cost_model: str | None,
    ) -> str: ...
    def flow(
        self,
        pairs: list[tuple[str, str, float]],
        unit: str,
        scenario_id: str | None,
        scenario_json: str | None,
        method: str,
        iterations: int,
        gap: float,
        modes: str,
        cost_model: str | None,
    ) -> str: ...
    def bri_impact(
        self,
        places: list[str] | None,
        labels: list[str] | None,
        projects: list[str] | None,
        modes: str,
        optimize: str,
        cargo: str,
        cost_model: str | None,
    ) -> str: ...
