"""Opening and building networks, pickling, the exception classes and
their codes, and that engine calls release the GIL."""

import os
import pickle
import subprocess
import sys
import threading
import time

import pytest

import silkroute
from silkroute import _core

CODES = ["InvalidQuery", "InvalidValue", "InvalidOptions", "NoSegment", "NoRoute", "TooBig", "Cancelled", "Internal"]


def test_every_api_code_is_an_exception_class():
    for code in CODES:
        cls = getattr(silkroute, code)
        assert issubclass(cls, silkroute.SilkrouteError)
        assert issubclass(cls, Exception)
        assert cls.code == code


@pytest.mark.parametrize(
    "call, cls, words, exit_code, cli_args",
    [
        (lambda n: n.route("Tokyo", "Moscow", modes="rail"), silkroute.NoRoute, "no rail route", 3,
         ["route", "--from", "Tokyo", "--to", "Moscow", "--modes", "rail"]),
        (lambda n: n.route("Almaty", "Moscow", avoid="KZ"), silkroute.NoRoute, "inside an area", 3,
         ["route", "--from", "Almaty", "--to", "Moscow", "--avoid", "KZ"]),
        (lambda n: n.route("Chongqing", "Duisburg", modes="rail,raod"), silkroute.InvalidValue, "unknown mode", 2,
         ["route", "--from", "Chongqing", "--to", "Duisburg", "--modes", "rail,raod"]),
        (lambda n: n.route("Chongqing", "Duisburg", optimize="fastest"), silkroute.InvalidValue, "unknown objective", 2,
         ["route", "--from", "Chongqing", "--to", "Duisburg", "--optimize", "fastest"]),
        (lambda n: n.reach("Almaty", "10"), silkroute.InvalidValue, "duration", 2,
         ["reach", "--from", "Almaty", "--within", "10"]),
    ],
)
def test_errors_carry_the_apis_code_and_message(net, cli, call, cls, words, exit_code, cli_args):
    with pytest.raises(cls) as info:
        call(net)
    e = info.value
    assert e.code == cls.code and words in str(e)
    # The CLI fails the same way: same message, exit code of the same code.
    p = cli(*cli_args, "--format", "json", raw=True)
    assert p.returncode == exit_code
    assert f"error: {e}" in p.stderr


def test_too_big_and_invalid_options(net):
    with pytest.raises(silkroute.TooBig, match="4002000 cells"):
        net.matrix(["Shanghai"] * 2001, ["Moscow"] * 2000)
    with pytest.raises(silkroute.InvalidOptions):
        net._service.route("Shanghai", "Moscow", "rail", "time", "feu", [], [], None, "fastest", 1, 0.05, None)
    with pytest.raises(silkroute.InvalidQuery, match="lon"):
        net.matrix(__import__("pandas").DataFrame({"x": [1.0]}))
    with pytest.raises(silkroute.InvalidValue, match="no such network file"):
        silkroute.Network.open("/nonexistent/world.srnet")
    # Any silkroute failure is caught by the base class.
    with pytest.raises(silkroute.SilkrouteError):
        net.route("Tokyo", "Moscow", modes="rail")


def test_network_pickles_as_its_path(net, dnet, network_path):
    blob = pickle.dumps(net)
    assert len(blob) < 1000, "a path, not the network"
    again = pickle.loads(blob)
    assert isinstance(again, silkroute.Network)
    assert again.path == network_path and again.hierarchy
    assert again.data_version == net.data_version
    assert again.route("Chongqing", "Duisburg", modes="rail").to_dict() == net.route("Chongqing", "Duisburg", modes="rail").to_dict()
    assert not pickle.loads(pickle.dumps(dnet)).hierarchy


def test_default_network_is_the_cache(network_path, tmp_path):
    # The default cache, as the CLI's: here a link to the test network, built
    # from the same embedded data by the same code, so it is current and
    # opened as it is (a stale one would be rebuilt).
    env = dict(os.environ, SILKROUTE_CACHE=str(tmp_path))
    code = (
        "import silkroute, os, sys\n"
        "p = silkroute._core.Service.default_path()\n"
        "os.symlink(sys.argv[1], p)\n"
        "n = silkroute.Network.open()\n"
        "assert n.path == p, (n.path, p)\n"
        "print(n.route('Chongqing', 'Duisburg', modes='rail').km)\n"
    )
    p = subprocess.run([sys.executable, "-c", code, network_path], env=env, capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    assert float(p.stdout) > 9000
    assert "rebuilding" not in p.stderr and "compiling" not in p.stderr


def test_build_writes_a_network_like_the_clis(network_path, net, tmp_path):
    out = tmp_path / "built.srnet"
    built = silkroute.Network.build(out)
    assert built.path == str(out) and out.stat().st_size > 100e6
    # Same sources, same fingerprint as `silkroute build --out`.
    assert built.data_version == net.data_version
    assert built.route("Chongqing", "Duisburg", modes="rail").to_dict() == net.route("Chongqing", "Duisburg", modes="rail").to_dict()


def test_engine_calls_release_the_gil(net):
    # While one thread is inside a long engine call, another thread keeps
    # running Python code. With the GIL held it could take no step at all
    # between the call's start and end.
    cities = ["Shanghai", "Chongqing", "Xi'an", "Almaty", "Moscow", "Duisburg", "Warsaw", "Istanbul", "Tehran", "Madrid"]
    span = {}
    done = threading.Event()

    def work():
        t0 = time.perf_counter()
        net.bri_impact(cities, modes="rail,road,sea,ferry", optimize="cost")
        span["call"] = (t0, time.perf_counter())
        done.set()

    stamps = []
    t = threading.Thread(target=work)
    t.start()
    while not done.is_set():
        stamps.append(time.perf_counter())
    t.join()
    t0, t1 = span["call"]
    margin = (t1 - t0) * 0.1
    inside = [s for s in stamps if t0 + margin < s < t1 - margin]
    assert len(inside) > 100, f"{len(inside)} Python steps during an engine call of {t1 - t0:.2f} s"
    # And threads can share one network.
    results = [None] * 4

    def one(i):
        results[i] = net.route("Chongqing", "Duisburg", modes="rail").km

    threads = [threading.Thread(target=one, args=(i,)) for i in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert len(set(results)) == 1 and results[0] > 9000
