"""Scenario sweeps: many scenarios × many origin–destination pairs.

The work is cut into tasks of (scenario, batch of pairs). Each task is one
call of the API's scenario comparison (``Scenario.compare``), so a sweep
answers exactly what ``silkroute scenario run`` answers, pair by pair.

Engines:

* ``"local"``: in this process, one network, tasks in order (the engine
  itself uses every core for the pairs of a task);
* ``"ray"``: a pool of Ray actors; each opens the network once, by path (it
  is memory-mapped, so the page cache shares it), keeps its engine and its
  customized metrics warm across tasks, and uses one thread. An actor keeps
  to one scenario's batches and takes the next unstarted scenario when its
  own is used up.

Results are written to Parquet as they arrive, in task order, and the
returned table is sorted by (scenario, from, to): the same on any number of
workers.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import pandas as pd

from ._network import SURFACE_MODES, Network, Scenario, _comparison_rows, _frame, _COMPARE_COLUMNS, _pairs

SWEEP_COLUMNS = {"scenario": "str", **_COMPARE_COLUMNS}
SORT_KEYS = ["scenario", "from", "to"]


def run_batch(
    network: Network,
    scenario: tuple[str | None, str | None],
    pairs: Sequence[tuple[str, str]],
    modes: str = SURFACE_MODES,
    optimize: str = "cost",
    cargo: str = "feu",
) -> pd.DataFrame:
    """One task: a scenario (``Scenario.spec``) over a batch of pairs, as
    rows of the sweep table. Engine-agnostic: a Dask or Spark adapter calls
    this on a worker's own ``Network``."""
    sid, sjson = scenario
    import json

    answer = json.loads(network._service.compare(sid, sjson, list(pairs), modes, optimize, cargo, None))
    rows = _comparison_rows(answer)
    scenario_id = answer["scenario"]["id"]
    for r in rows:
        r["scenario"] = scenario_id
    return _frame(rows, SWEEP_COLUMNS)


def _tasks(specs, pairs, batch_size) -> list[tuple[tuple[str | None, str | None], list[tuple[str, str]]]]:
    out = []
    for spec in specs:
        for i in range(0, len(pairs), batch_size):
            out.append((spec, pairs[i : i + batch_size]))
    return out


def _ray_actors(path: str, workers: int) -> list:
    """Starts ``workers`` actors, each opening the network at ``path``
    (creation is asynchronous: they start while the driver goes on)."""
    import ray

    if not ray.is_initialized():
        os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
        ray.init(
            num_cpus=workers,
            _node_ip_address="127.0.0.1",
            include_dashboard=False,
            log_to_driver=False,
        )

    @ray.remote(num_cpus=1)
    class SweepWorker:
        def __init__(self, path: str):
            # One engine thread per actor: Ray gives each actor one CPU.
            os.environ["RAYON_NUM_THREADS"] = "1"
            self.network = Network.open(path)

        def run(self, spec, pairs, options):
            return run_batch(self.network, spec, pairs, **options)

    return [SweepWorker.remote(path) for _ in range(workers)]


# Tasks kept in flight per actor: one running, one queued behind it, so an
# actor never waits for the driver's round trip between two tasks.
_IN_FLIGHT = 2


def _ray_results(actors: list, tasks, options: dict) -> Iterator[pd.DataFrame]:
    import ray

    try:
        # Scheduling: an actor keeps to one scenario while that scenario has
        # batches left, so it customizes each metric once (the baseline's
        # once per actor), and takes the next scenario nobody has started
        # when its own is used up. It never helps with another actor's
        # scenario: measured on the bench's sweep, customizing a scenario's
        # metric (70-300 ms) costs more than the batches (about 60 ms each)
        # it would take over, and such stealing dropped 2 workers from
        # 1.63x to 1.41x over 1. Which actor answers a batch does not
        # change its rows (the engine is deterministic), and results are
        # yielded in task order.
        left: dict[Any, list[int]] = {}  # scenario -> its tasks not yet sent, in order
        order: list[Any] = []  # scenarios in order of first task
        for t, (spec, _) in enumerate(tasks):
            if spec not in left:
                left[spec] = []
                order.append(spec)
            left[spec].append(t)
        fresh = list(order)  # scenarios no actor has started
        current: dict[int, Any] = {}
        in_flight = {a: 0 for a in range(len(actors))}
        pending: dict[Any, tuple[int, int]] = {}  # future -> (task, actor)

        def next_task(a: int) -> int | None:
            spec = current.get(a)
            if spec is None or not left[spec]:
                if not fresh:
                    return None
                spec = fresh.pop(0)
                current[a] = spec
            return left[spec].pop(0)

        def feed(a: int) -> None:
            while in_flight[a] < _IN_FLIGHT:
                t = next_task(a)
                if t is None:
                    return
                spec, batch = tasks[t]
                pending[actors[a].run.remote(spec, batch, options)] = (t, a)
                in_flight[a] += 1

        for a in range(len(actors)):
            feed(a)
        done: dict[int, Any] = {}
        emit = 0
        while pending:
            ready, _ = ray.wait(list(pending), num_returns=1)
            for f in ready:
                t, a = pending.pop(f)
                done[t] = ray.get(f)
                in_flight[a] -= 1
                feed(a)
            while emit in done:
                yield done.pop(emit)
                emit += 1
    finally:
        for a in actors:
            ray.kill(a)


def sweep(
    scenarios: Iterable[str | dict | Scenario],
    od: Any,
    engine: str = "local",
    workers: int | None = None,
    out: str | os.PathLike | None = None,
    network: Network | str | os.PathLike | None = None,
    modes: str = SURFACE_MODES,
    optimize: str = "cost",
    cargo: str = "feu",
    batch_size: int = 250,
) -> pd.DataFrame:
    """Compares every scenario with the baseline over every pair.

    ``scenarios``: ids, dicts or :class:`Scenario` objects; ``od``: pairs as
    for ``Scenario.compare`` (a DataFrame, a CSV path or ``(from, to)``
    tuples). ``engine``: ``"local"`` or ``"ray"`` (``workers`` actors on the
    current Ray cluster, or a local one started with ``workers`` CPUs).
    ``out``: a Parquet file written batch by batch as results arrive.
    Returns the whole table sorted by scenario, from, to: one row per
    (scenario, pair) with the columns of ``Scenario.compare`` and
    ``scenario``.
    """
    if engine not in ("local", "ray"):
        raise ValueError(f"engine must be 'local' or 'ray', not {engine!r}")
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    if isinstance(network, Network):
        net = network
    else:
        net = Network.open(network)
    actors = []
    if engine == "ray":
        # The actors open the network while the driver checks the input.
        actors = _ray_actors(net.path, int(workers or 2))
    try:
        # Check every scenario on the driver before any work starts.
        specs = [(s if isinstance(s, Scenario) else net.scenario(s)).spec for s in scenarios]
        pairs = [(a, b) for a, b, _ in _pairs(od)]
        net._service.check_pairs(pairs)
    except BaseException:
        import ray

        for a in actors:
            ray.kill(a)
        raise
    options = {"modes": modes, "optimize": optimize, "cargo": cargo}
    tasks = _tasks(specs, pairs, batch_size)
    if engine == "local":
        results: Iterable[pd.DataFrame] = (
            run_batch(net, spec, batch, **options) for spec, batch in tasks
        )
    else:
        results = _ray_results(actors, tasks, options)
    writer = None
    frames = []
    try:
        for df in results:
            frames.append(df)
            if out is not None:
                import pyarrow as pa
                import pyarrow.parquet as pq

                table = pa.Table.from_pandas(df, preserve_index=False)
                if writer is None:
                    writer = pq.ParquetWriter(os.fspath(out), table.schema)
                writer.write_table(table)
    finally:
        if writer is not None:
            writer.close()
    if frames:
        whole = pd.concat(frames, ignore_index=True)
    else:
        whole = _frame([], SWEEP_COLUMNS)
    return whole.sort_values(SORT_KEYS, kind="stable").reset_index(drop=True)
