"""A worker's own query processes (the builds they answer from disk: above memory_store_max_triples,
or while the build's query host loads) give back the memory a heavy query took, once it is answered,
instead of staying as large as the largest query ever made them."""

from __future__ import annotations

import multiprocessing
import time

from server.query.job import QueryJob
from server.query.sandbox import QueryPool
from server.store.current import BuildState

# Every triple of the real data twenty times over, counted without repeats: the engine keeps them
# all in a hash set (some 70 MB, in many small allocations) and answers in a fraction of a second.
TWENTY = " ".join(str(i) for i in range(20))
HEAVY = f"SELECT (COUNT(DISTINCT *) AS ?n) WHERE {{ VALUES ?k {{ {TWENTY} }} ?s ?p ?o }}"


def resident_mib(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        line = next(line for line in status if line.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024


def test_a_query_process_gives_back_what_a_heavy_query_took(real_settings):
    store_path = BuildState(real_settings["var_dir"]).current().store_path
    pool = QueryPool(size=1, timeout=30)
    try:
        others = set(multiprocessing.active_children())
        pool.run(QueryJob(store_path, "ASK {}", "ASK", "json"))  # the process starts, and opens the store
        (child,) = set(multiprocessing.active_children()) - others
        before = resident_mib(child.pid)
        answer = pool.run(QueryJob(store_path, HEAVY, "SELECT", "json"))
        assert b'"n"' in answer.body
        # The process gives it back after sending the answer: allow it a moment.
        deadline = time.monotonic() + 5
        while resident_mib(child.pid) > before + 20 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert resident_mib(child.pid) <= before + 20, (before, resident_mib(child.pid))
    finally:
        pool.close()
