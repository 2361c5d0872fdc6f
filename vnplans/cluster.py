"""`vnplans run --scheduler tcp://HOST:PORT`: the same batch on a Dask distributed cluster.

Why one task per document: a document is the unit of resumption and of output, and a
cluster has enough workers that page-level fan-out buys little. Workers need to read the
input paths (a shared filesystem); they return the DocumentResult and this process writes
it, so OUT, its lock and its manifest stay local to the driver.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from vnplans import tasks
from vnplans.batch import Run
from vnplans.exceptions import SchedulerError, WorkerCrashedError

CONNECT_TIMEOUT = "20s"


def connect(address: str, timeout: str = CONNECT_TIMEOUT) -> Any:
    """A dask.distributed Client on `address`, or SchedulerError in one line."""
    try:
        from dask.distributed import Client
    except ImportError as exc:
        raise SchedulerError(f"dask.distributed is not installed ({exc})") from exc
    try:
        return Client(address, timeout=timeout, set_as_default=True)
    except (OSError, TimeoutError, ValueError) as exc:
        raise SchedulerError(f"cannot reach the Dask scheduler at {address}: "
                             f"{' '.join(str(exc).split())[:200]}") from exc


def run_on_cluster(run: Run, todo: Iterable[str], address: str) -> None:
    """Submit one task per input to the cluster at `address`; record results as they
    come, writing each document here (atomically, by export)."""
    todo = list(todo)
    if not todo:
        return
    from dask.distributed import as_completed

    client = connect(address)
    try:
        options = run.options.pipeline
        futures = {client.submit(tasks.run_whole, path, options, key=f"vnplans-{i}-{Path(path).name}",
                                 pure=False, retries=1): path for i, path in enumerate(todo)}
        for fut in as_completed(futures):
            run.record(_outcome(run, futures[fut], fut))
            fut.release()
    finally:
        client.close()


def _outcome(run: Run, path: str, fut: Any) -> Any:
    """The Entry of one finished task: a bad input, a lost worker, or a written result."""
    started = time.perf_counter()
    try:
        entry, result = fut.result()
    except Exception as exc:  # KilledWorker and friends: the task died with its worker
        return tasks.failed(path, WorkerCrashedError(
            f"the Dask worker died on this input ({type(exc).__name__})", path=path))
    if entry is not None:
        return entry
    output = tasks.write_result(run.out_dir, result)
    clock = {"export": time.perf_counter() - started}
    return tasks.ok_entry(path, result, output, clock)
