"""One in-memory copy of a build per machine: the queries of every web worker go to the build's
query host (server/query/host.py), which holds the one copy and runs them on threads; a query past
its limit still ends the process it runs in."""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

import pytest

from server.query import host
from server.query.job import QueryJob
from server.query.sandbox import QueryPool, QueryTimeout
from server.store.current import BuildState

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
# About 3 s on the real data in memory (8 s on disk): still running when the runaway query
# reaches its limit.
LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
SLOW = (
    f"SELECT (COUNT(*) AS ?n) WHERE {{ VALUES ?k {{ 1 2 3 }} ?a {LABEL} ?b . ?c {LABEL} ?d "
    "FILTER(LCASE(STR(?b)) <= LCASE(STR(?d))) }"
)


def job_for(settings: dict, query: str) -> QueryJob:
    build = BuildState(settings["var_dir"]).current()
    return QueryJob(
        build.store_path,
        query,
        "SELECT",
        "json",
        host_socket=host.socket_path(build.path),
    )


def count_of(answer) -> int:
    return int(json.loads(answer.body)["results"]["bindings"][0]["n"]["value"])


def wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


@pytest.fixture()
def two_workers(real_settings):
    pools = [QueryPool(size=2, timeout=1.5), QueryPool(size=2, timeout=1.5)]
    yield pools
    for pool in pools:
        pool.close()


def test_the_queries_of_two_workers_go_to_one_host(real_settings, two_workers):
    job = job_for(real_settings, COUNT)
    for pool in two_workers:
        pool.warm(job)
    hosted = [child for pool in two_workers for child in pool._idle_hosted]
    assert len(hosted) == 4  # every query slot of both workers, connected to a host
    hosts = {child.pid for child in hosted}
    assert len(hosts) == 1, hosts  # one host (one copy of the build), however many workers asked
    (the_host,) = hosts
    assert "server.query.host" in Path(f"/proc/{the_host}/cmdline").read_text()
    assert two_workers[0]._idle.qsize() == two_workers[1]._idle.qsize() == 0  # no own processes left
    # The same answer as a process with its own copy of the store gives.
    own = QueryPool(size=1)
    try:
        from_disk = own.run(QueryJob(job.store_path, COUNT, "SELECT", "json"))
    finally:
        own.close()
    assert count_of(two_workers[0].run(job)) == count_of(two_workers[1].run(job)) == count_of(from_disk) > 10_000


def test_a_query_past_its_limit_ends_the_host_and_the_others_queries_are_still_answered(real_settings, two_workers):
    """A thread cannot be stopped, so the host goes, and a query of another worker that was
    running in it is answered again by that worker's own process; then a new host serves."""
    runaway_pool, other_pool = two_workers
    other_pool.timeout = 60.0
    job = job_for(real_settings, COUNT)
    runaway_pool.warm(job)
    other_pool.warm(job)
    first_host = runaway_pool._idle_hosted[0].pid
    slow = job_for(real_settings, SLOW)
    answers: list = []
    other = threading.Thread(target=lambda: answers.append(other_pool.run(slow)))
    other.start()
    time.sleep(0.3)  # the slow query is running in the host
    started = time.monotonic()
    with pytest.raises(QueryTimeout):
        runaway_pool.run(job_for(real_settings, RUNAWAY))
    assert time.monotonic() - started < 4
    assert wait_for(lambda: not Path(f"/proc/{first_host}").exists() or _zombie(first_host), 5)
    other.join(timeout=90)
    assert answers and count_of(answers[0]) > 0  # answered although its host was killed
    # The next queries: at once (from an own process while a new host loads), then from the new host.
    assert count_of(runaway_pool.run(job)) > 10_000
    assert wait_for(lambda: count_of(runaway_pool.run(job)) > 0 and bool(runaway_pool._idle_hosted), 30)
    assert runaway_pool._idle_hosted[0].pid != first_host


def test_a_query_asked_before_the_host_serves_is_answered_at_once_from_the_disk(real_settings, tmp_path):
    """No query waits for a host to load its copy: until its socket answers, the worker's own
    query process answers from the on-disk store; the next queries go to the host."""
    build = job_for(real_settings, COUNT)
    job = QueryJob(build.store_path, COUNT, "SELECT", "json", host_socket=str(tmp_path / "q.sock"))
    pool = QueryPool(size=1)
    try:
        assert count_of(pool.run(job)) > 10_000  # no host yet: this one starts it
        assert pool._idle.qsize() == 1 and not pool._idle_hosted
        assert wait_for(lambda: count_of(pool.run(job)) > 10_000 and bool(pool._idle_hosted), 30)
        assert pool._idle.qsize() == 0  # the own process, and its store, are let go
    finally:
        pool.close()


def test_a_host_without_workers_exits_and_removes_its_socket_and_lock(real_settings):
    job = job_for(real_settings, COUNT)
    pool = QueryPool(size=1)
    pool.warm(job)
    (child,) = pool._idle_hosted
    the_host = child.pid
    assert os.path.exists(job.host_socket)
    pool.close()  # the last connection
    assert wait_for(lambda: not Path(f"/proc/{the_host}").exists() or _zombie(the_host), host.IDLE_SECONDS + 10)
    assert not os.path.exists(job.host_socket)
    assert not os.path.exists(job.host_socket + ".lock")  # nothing of it is left in var/run/


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


def test_a_host_that_cannot_start_leaves_the_queries_to_the_workers_own_processes(real_settings, tmp_path):
    """Where the host's socket cannot be made (here its folder is a file; a read-only var/ alike),
    queries are still answered, from the worker's own processes on the on-disk store."""
    blocker = tmp_path / "run"
    blocker.write_text("not a folder")
    build = job_for(real_settings, COUNT)
    job = QueryJob(build.store_path, COUNT, "SELECT", "json", host_socket=str(blocker / "q.sock"))
    pool = QueryPool(size=1)
    try:
        assert count_of(pool.run(job)) == count_of(pool.run(job)) > 10_000
        assert not pool._idle_hosted and pool._idle.qsize() == 1
    finally:
        pool.close()


def test_the_host_gives_freed_memory_back_once_no_query_has_run_for_a_while():
    """What a heavy query freed stays for the next query in a burst (faulting it in again made
    heavy queries 20-30% slower at 1M), and goes back to the system once the host is idle."""
    queries = host._Queries()
    queries.started(10.0)
    queries.ended(seconds=1.0)  # a heavy query
    assert not queries.time_to_trim(idle=0.3)  # it has only just ended
    time.sleep(0.35)
    assert queries.time_to_trim(idle=0.3)
    assert not queries.time_to_trim(idle=0.3)  # given back once, not on every tick

    queries.started(10.0)
    queries.ended(seconds=0.001)  # a light query frees next to nothing: no trim for it
    time.sleep(0.35)
    assert not queries.time_to_trim(idle=0.3)

    queries.started(10.0)
    queries.ended(seconds=1.0)
    queries.started(10.0)  # the next query runs: its memory is in use
    time.sleep(0.35)
    assert not queries.time_to_trim(idle=0.3)
    queries.ended(seconds=0.001)
    time.sleep(0.35)
    assert queries.time_to_trim(idle=0.3)
