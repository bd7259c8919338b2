"""silkroute: multimodal freight routing across the Belt and Road from Python.

>>> import silkroute
>>> net = silkroute.Network.open()            # the default network, built on first use
>>> r = net.route("Chongqing", "Duisburg", modes="rail")
>>> r.days, r.usd, r.co2e_kg                  # totals; r.legs is a DataFrame

A thin shell over silkroute's engine API (the crate ``silkroute-api``, the
same one under the CLI and the HTTP server): answers are the API's JSON,
turned into dicts and pandas DataFrames; errors are the API's codes, as
subclasses of :class:`SilkrouteError`. Every engine call releases the GIL.
See docs/PYTHON.md.
"""

from ._core import (
    Cancelled,
    Internal,
    InvalidOptions,
    InvalidQuery,
    InvalidValue,
    NoRoute,
    NoSegment,
    SilkrouteError,
    TooBig,
)
from ._network import Network, Route, Routes, Scenario, ShortestPath
from ._sweep import run_batch, sweep

__all__ = [
    "Network",
    "Route",
    "Routes",
    "ShortestPath",
    "Scenario",
    "sweep",
    "run_batch",
    "SilkrouteError",
    "InvalidQuery",
    "InvalidValue",
    "InvalidOptions",
    "NoSegment",
    "NoRoute",
    "TooBig",
    "Cancelled",
    "Internal",
]
