"""A scenario sweep on Dask (the recipe of docs/PYTHON.md).

    python crates/silkroute-py/examples/dask_sweep.py NETWORK

Each Dask worker opens the network once (a module-level cache); tasks ship
the network's path and a scenario's spec, and call `silkroute.run_batch`.
The table equals `silkroute.sweep(engine="local")`'s; the script checks it.
"""

import sys
from functools import lru_cache

import pandas as pd
from dask.distributed import Client, LocalCluster

import silkroute


@lru_cache(maxsize=None)
def network(path):  # once per worker process
    return silkroute.Network.open(path)


def task(path, spec, pairs):
    return silkroute.run_batch(network(path), spec, pairs)


if __name__ == "__main__":  # Dask's LocalCluster needs the guard
    path = sys.argv[1]
    scenarios = ["red-sea-2024", "suez-closure"]
    pairs = [("Shanghai", "Rotterdam"), ("Chongqing", "Duisburg"), ("Singapore", "Hamburg")]
    with Client(LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address=None)) as client:
        net = silkroute.Network.open(path)
        specs = [net.scenario(s).spec for s in scenarios]
        futures = [client.submit(task, path, spec, pairs, pure=False) for spec in specs]
        table = pd.concat(client.gather(futures)).sort_values(["scenario", "from", "to"], ignore_index=True)
    print(table[["scenario", "from", "to", "status", "delta_hours", "delta_usd"]].to_string(index=False))
    pd.testing.assert_frame_equal(table, silkroute.sweep(scenarios, pairs, network=net))
    print("same table as silkroute.sweep(engine='local')")
