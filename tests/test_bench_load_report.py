"""How the benchmark reads wrk and decides the server is warm (bench/run.py): the load table is
only as honest as these two."""

from __future__ import annotations

import sys

from server.core.settings import PROJECT_ROOT

sys.path.insert(0, str(PROJECT_ROOT / "bench"))
import run  # noqa: E402

# wrk 4.1's output for the 1M mix without gzip (bench/results/bench.json, run on 50d9b42).
WRK_OUTPUT = """Running 30s test @ http://127.0.0.1:44269
  2 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    36.48ms   31.18ms 247.82ms   71.09%
    Req/Sec   461.45    161.75     1.19k    70.47%
  Latency Distribution
     50%   31.46ms
     75%   52.88ms
     90%   76.97ms
     99%  138.65ms
  27511 requests in 30.09s, 24.43GB read
Requests/sec:    914.23
Transfer/sec:    831.20MB
"""


def test_wrk_figures_are_read_with_their_units():
    result = run.parse_wrk(WRK_OUTPUT)
    assert result["requests"] == 27511 and result["rps"] == 914.23 and result["errors"] == 0
    assert abs(result["p99"] - 0.13865) < 1e-9
    # wrk's MB are MiB: 831.20 MiB/s is 872 MB/s.
    assert run.transfer_mb(result) == "872"
    assert run.transfer_mb(run.parse_wrk(WRK_OUTPUT.replace("831.20MB", "25.50KB"))) == "0"
    assert run.transfer_mb({"raw": "wrk failed"}) == "–"


def test_socket_errors_and_non_2xx_count_as_errors():
    text = WRK_OUTPUT.replace(
        "Requests/sec",
        "  Socket errors: connect 0, read 2, write 0, timeout 3\n  Non-2xx or 3xx responses: 4\nRequests/sec",
    )
    assert run.parse_wrk(text)["errors"] == 9


def test_warm_up_ends_only_in_a_steady_state():
    cold = {"rps": 27.0, "errors": 0}
    assert not run.steady([cold])  # one round proves nothing
    assert not run.steady([cold, {"rps": 2100.0, "errors": 0}])  # still climbing
    assert not run.steady([{"rps": 3000.0, "errors": 0}, {"rps": 3300.0, "errors": 1}])
    assert not run.steady([cold, {"rps": 2100.0, "errors": 0}, {"rps": 3300.0, "errors": 0}])
    assert run.steady([cold, {"rps": 2100.0, "errors": 0}, {"rps": 3200.0, "errors": 0}, {"rps": 3300.0, "errors": 0}])
    assert run.steady([{"rps": 3300.0, "errors": 0}, {"rps": 3100.0, "errors": 0}])  # within 10%, either way


def test_the_benchmark_asks_every_canned_query():
    """bench/run.py reads the canned queries where the query layer keeps them: all of them, none missed."""
    from server.query.canned import canned_queries

    assert set(run.canned()) == {q.name for q in canned_queries()} and run.canned()
