"""Starts `silkroute serve` on 127.0.0.1 with a random port for the client
tests, on the network named by SILKROUTE_NETWORK (else the default cache),
and stops it afterwards."""

import json
import os
import subprocess
import urllib.request

import pytest

BIN = os.environ.get("SILKROUTE_BIN", "target/release/silkroute")


@pytest.fixture(scope="session")
def server():
    args = [BIN, "--quiet"]
    if os.environ.get("SILKROUTE_NETWORK"):
        args += ["--network", os.environ["SILKROUTE_NETWORK"]]
    proc = subprocess.Popen(
        args + ["serve", "--listen", "127.0.0.1:0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    line = proc.stdout.readline().strip()
    assert line.startswith("listening on http://"), line
    url = line.split(" ", 2)[2]
    with urllib.request.urlopen(url + "/health", timeout=30) as r:
        assert json.load(r)["status"] == "ok"
    yield url
    proc.terminate()
    assert proc.wait(timeout=30) == 0


def get(url):
    """A JSON GET, for the reference answers."""
    with urllib.request.urlopen(url, timeout=120) as r:
        return json.load(r)
