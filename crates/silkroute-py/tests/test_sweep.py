"""Scenario sweeps: a Ray sweep on a local 2-CPU cluster equals the
in-process sweep, row for row, and equals the single comparisons; results
stream to Parquet."""

import pandas as pd
import pyarrow.parquet as pq
import pytest

import silkroute

SCENARIOS = ["red-sea-2024", "no-russia-transit", {
    "id": "slow-khorgos", "name": "Khorgos +48 h", "source": "test",
    "slowdown": [{"border_crossing": "khorgos-altynkol", "delay_h": 48}],
}]


@pytest.fixture(scope="module")
def pairs(repo):
    cities = list(pd.read_csv(repo / "data/scenarios/bri-cities-100.csv")["place"])
    out = [(a, b) for a in cities[:10] for b in cities[60:65]]
    assert len(out) == 50
    return pd.DataFrame(out, columns=["from", "to"])


@pytest.fixture(scope="module")
def local(net, pairs, tmp_path_factory):
    out = tmp_path_factory.mktemp("sweep") / "local.parquet"
    df = silkroute.sweep(SCENARIOS, pairs, engine="local", network=net, out=out, batch_size=20)
    return df, out


def test_local_sweep_is_the_comparisons(net, pairs, local):
    df, out = local
    assert len(df) == 3 * 50
    assert list(df.columns)[:3] == ["scenario", "from", "to"]
    assert df.equals(df.sort_values(["scenario", "from", "to"]).reset_index(drop=True))
    for spec in SCENARIOS:
        s = net.scenario(spec)
        alone = s.compare(pairs).assign(scenario=s.id)
        mine = df[df.scenario == s.id].drop(columns="scenario").reset_index(drop=True)
        alone = alone.sort_values(["from", "to"]).drop(columns="scenario").reset_index(drop=True)
        pd.testing.assert_frame_equal(mine, alone)
    # Streamed to Parquet batch by batch: 3 scenarios × 3 batches.
    f = pq.ParquetFile(out)
    assert f.metadata.num_row_groups == 9 and f.metadata.num_rows == 150
    back = pd.read_parquet(out).sort_values(["scenario", "from", "to"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(back, df, check_dtype=False)
    assert (df[df.scenario == "red-sea-2024"]["status"] != "unchanged").any()
    assert df["delta_hours"].dtype == "float64"


def test_ray_sweep_on_two_workers_equals_the_local_one(network_path, pairs, local, tmp_path):
    import ray

    ray.init(num_cpus=2, _node_ip_address="127.0.0.1", include_dashboard=False, log_to_driver=False)
    try:
        out = tmp_path / "ray.parquet"
        two = silkroute.sweep(SCENARIOS, pairs, engine="ray", workers=2, network=network_path, out=out, batch_size=20)
        one = silkroute.sweep(SCENARIOS, pairs, engine="ray", workers=1, network=network_path, batch_size=50)
    finally:
        ray.shutdown()
    df, local_out = local
    pd.testing.assert_frame_equal(two, df)
    pd.testing.assert_frame_equal(one, df)
    # Written in task order, so the file itself is the same too.
    pd.testing.assert_frame_equal(pd.read_parquet(out), pd.read_parquet(local_out))


def test_sweep_refuses_bad_input_before_any_work(net, pairs):
    with pytest.raises(silkroute.InvalidValue):
        silkroute.sweep(["red-sea-2024", "no-such"], pairs, network=net)
    with pytest.raises(ValueError):
        silkroute.sweep(["red-sea-2024"], pairs, engine="spark", network=net)
    with pytest.raises(silkroute.InvalidValue, match="ambiguous"):
        silkroute.sweep(["red-sea-2024"], [("Shanghai", "Barcelona")], network=net)


def test_the_dask_recipe_runs(network_path):
    # docs/PYTHON.md's Dask recipe, as examples/dask_sweep.py: 2 workers,
    # and the script checks its table against the local sweep.
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).parents[1] / "examples" / "dask_sweep.py"
    p = subprocess.run([sys.executable, str(script), network_path], capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr[-2000:]
    assert "same table as silkroute.sweep" in p.stdout
    assert "red-sea-2024" in p.stdout and "rerouted" in p.stdout
