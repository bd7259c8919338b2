"""Shared fixtures: the network the tests open, and the CLI they compare
with (`SILKROUTE_TEST_NETWORK`, `SILKROUTE_BIN`, set by scripts/test-python).

Every answer of the Python package is checked against the CLI's answer to
the same question (`silkroute ... --format json`): both are shells over the
same API, so the numbers must agree."""

import json
import os
import subprocess
from pathlib import Path

import pytest

import silkroute

REPO = Path(__file__).resolve().parents[3]


def _require(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(f"{name} is not set; run the tests with scripts/test-python")
    return value


@pytest.fixture(scope="session")
def network_path() -> str:
    path = _require("SILKROUTE_TEST_NETWORK")
    assert Path(path).is_file(), path
    return path


@pytest.fixture(scope="session")
def net(network_path) -> silkroute.Network:
    return silkroute.Network.open(network_path)


@pytest.fixture(scope="session")
def dnet(network_path) -> silkroute.Network:
    """The same network searched by plain Dijkstra, as the CLI answers one
    route: its answers must equal the CLI's to the byte."""
    return silkroute.Network.open(network_path, hierarchy=False)


def close(a: float, b: float, rel: float = 2e-3, abs_: float = 0.01) -> bool:
    """Equal up to ties: the hierarchy and Dijkstra both find an optimum of
    the objective (integer seconds, cents, grams, metres), but where paths
    tie they may pick different ones, whose other totals differ slightly."""
    return abs(a - b) <= max(abs_, rel * max(abs(a), abs(b)))


@pytest.fixture(scope="session")
def cli(network_path):
    """Runs the CLI on the test network; returns its parsed JSON (or the
    CompletedProcess with `raw=True`)."""
    binary = _require("SILKROUTE_BIN")

    def run(*args: str, raw: bool = False, check: bool = True):
        p = subprocess.run(
            [binary, "--quiet", "--network", network_path, *args],
            capture_output=True,
            text=True,
            cwd=REPO,
        )
        if raw:
            return p
        if check and p.returncode != 0:
            raise AssertionError(f"silkroute {' '.join(args)} failed: {p.stderr}")
        return json.loads(p.stdout)

    return run


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO
