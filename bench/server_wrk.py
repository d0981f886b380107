"""The network server under ``wrk`` (a load generator in C, not the bottleneck), beside the
framework floor: a bare Starlette app under the same uvicorn settings returning the same bytes.

    python bench/server_wrk.py                  # SQLite and PostgreSQL, 1 and 2 workers (~6 min)
    python bench/server_wrk.py --duration 5     # seconds per row (default 2)
    python bench/server_wrk.py --no-postgres    # SQLite only
    python bench/server_wrk.py --json X.json    # rows for run.py
    python bench/server_wrk.py --before ../main-then/src   # that checkout's servers beside
    python bench/server_wrk.py --uncached       # also servers with --answer-cache 0
    python bench/server_wrk.py --ops list "list 304" --levels 50 --rounds 3   # a quick look

``wrk`` comes from Debian's packages (``apt-get install -y wrk``); the script finds it on the
PATH or stops and says how to install it. Everything listens on 127.0.0.1 only.

The store: ``build_scale`` at ``--messages`` (20,000: 200 customers, threads of ~20 messages and
one of 10,000), one supplier token. Servers: ``netmsg serve --workers N --rate 0`` (no rate
limit, the per-address connection cap raised to 1000 since every wrk connection comes from
127.0.0.1) over the SQLite file and over a copy in a throwaway PostgreSQL cluster (started as the
tests start it: ``tests/postgres_cluster.py``). The floor: the same ``uvicorn.Config`` as
``netmsg serve`` (httptools behind the connection guard, uvloop, ``--workers`` processes on one
socket), one Starlette route per path answering the bytes the real server answered (the 304 row:
an empty 304 with the ETag).

Rows: conversation list (50 rows), full-text search (a common word, 50 rows), a thread's newest
page (50 messages of the 10,000-message thread), send (a POST with a new idempotency key and
body per request: ``wrk``'s Lua), and a repeated list with ``If-None-Match`` (304), at 1, 10, 50
and 200 connections. All servers run at once and the rows of one operation and connection count
are measured one after another, so their ratios come from the same minute of a noisy machine.
``vs floor`` is the row's requests/s over the 1-process floor's for the same operation and
connections. Push: a client watching the stream of one ``netmsg serve`` process, a reply sent
through another on the same PostgreSQL (two processes on two ports: with ``--workers 2`` the
kernel picks the process), until the watching client has it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import httpx

from common import machine, ms_since, print_table, row, summary, write_json
from netmsg_tui.demo import build_scale
from netmsg_tui.store import copy_store, open_network, open_store

SECTION = "wrk"
LEVELS = (1, 10, 50, 200)
LIST_P99_GOAL_MS = 20.0  # the issue: list p99 <= 20 ms at 50 connections
FLOOR_SHARE_GOAL = 0.25  # list with 2 workers >= 25 % of the 1-process floor
PUSH_GOAL_MS = 1000.0
WRK_INSTALL = "wrk is not installed: apt-get install -y wrk (Debian/Ubuntu), brew install wrk"

# One Lua script for every row: wrk's own percentiles as one JSON line at the end; for sends a
# new body and idempotency key per request: the run's nonce (an argument: a new one for each
# wrk run), the thread's number (set in the thread's own Lua state) and a counter.
LUA = r"""
local threads = {}
local counter = 0
local nonce = ""
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end
function init(args)
  nonce = args[1]
end
function request()
  if SEND_PATH == nil then return wrk.request() end
  counter = counter + 1
  local key = nonce .. "-" .. id .. "-" .. counter
  local body = '{"body":"wrk bench ' .. key .. '","idempotency_key":"' .. key .. '"}'
  return wrk.format("POST", SEND_PATH, nil, body)
end
function done(summary, latency, requests)
  local s = summary.errors
  io.write(string.format(
    'WRKJSON {"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"max_us":%d,' ..
    '"non2xx":%d,"errors":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    latency.max, s.status, s.connect + s.read + s.write + s.timeout))
end
"""


def find_wrk() -> str:
    found = shutil.which("wrk")
    if found is None:
        raise SystemExit(WRK_INSTALL)
    return found


# -- the store --------------------------------------------------------------------------------
def seed(path: Path, messages: int) -> dict[str, Any]:
    """A scale store with one supplier token; the ids the rows use."""
    build_scale(path, messages)

    async def prepare() -> dict[str, Any]:
        network = open_network(str(path))
        token = (await network.issue_token("supplier", user_id=1)).token
        await network.close()
        store = open_store(str(path), user_id=1)
        page = await store.list_conversations(limit=50)
        sendable = [
            c.id for c in page.items if (await store.get_customer(c.customer_id)).messaging_enabled
        ]
        await store.close()
        return {"token": token, "send_thread": sendable[0], "big_thread": 1}

    return asyncio.run(prepare())


@contextmanager
def postgres_cluster() -> Iterator[Any]:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from tests.postgres_cluster import Cluster, find_bindir

    bindir = find_bindir()
    if bindir is None:
        raise SystemExit("PostgreSQL is not installed (initdb/pg_ctl): or run --no-postgres")
    cluster = Cluster(bindir)
    try:
        cluster.start()
        cluster.create_template()
        yield cluster
    finally:
        cluster.stop()


# -- servers ----------------------------------------------------------------------------------
def start(argv: list[str], env: dict[str, str] | None = None) -> tuple[subprocess.Popen[str], str]:
    """A server process that prints ``… on URL`` as its first line."""
    proc = subprocess.Popen(
        argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if " on http" not in line:
        proc.kill()
        raise SystemExit(f"a server did not start: {line}{proc.stdout.read()}")
    return proc, "http" + line.split(" on http", 1)[1].split()[0]


def netmsg_serve(
    store: str, workers: int, src: Path | None = None, extra: tuple[str, ...] = ()
) -> tuple[subprocess.Popen[str], str]:
    """``netmsg serve``; ``src``: another checkout's ``src`` folder to run instead (--before)."""
    env = None if src is None else {**os.environ, "PYTHONPATH": str(src)}
    return start(
        [sys.executable, "-m", "netmsg_tui", "serve", "--store", store, "--port", "0",
         "--rate", "0", "--log-level", "warning", "--workers", str(workers),
         "--max-connections-per-address", "1000", *extra], env
    )  # fmt: skip


def floor_serve(answers: Path, workers: int) -> tuple[subprocess.Popen[str], str]:
    return start([sys.executable, str(Path(__file__).resolve()), "--floor", str(answers),
                  "--workers", str(workers)])  # fmt: skip


def wait_ready(url: str, token: str) -> None:
    """Until the server answers an authenticated request (its workers import for a while after
    the socket listens)."""
    deadline = time.monotonic() + 120
    while True:
        try:
            r = httpx.get(url + "/api/v1/me", headers={"Authorization": f"Bearer {token}"})
            if r.status_code == 200:
                return
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            raise SystemExit(f"{url} did not answer within 120 s")
        time.sleep(0.1)


def stop(proc: subprocess.Popen[str]) -> None:
    proc.terminate()
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


# -- the floor ----------------------------------------------------------------------------------
def floor_app(answers: dict[str, Any]) -> Any:
    """One catch-all route answering from memory what the real server answered for that path
    and query."""
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    prepared = {
        target: (a["body"].encode("latin-1"), a["status"], a.get("etag"))
        for target, a in answers.items()
    }

    async def endpoint(request: Request) -> Response:
        query = request.scope["query_string"].decode()
        body, status, etag = prepared[request.url.path + ("?" + query if query else "")]
        headers = {"ETag": etag} if etag else None
        if etag and request.headers.get("if-none-match") == etag:
            return Response(status_code=304, headers=headers)
        return Response(body, status, headers=headers, media_type="application/json")

    return Starlette(routes=[Route("/{rest:path}", endpoint, methods=["GET", "POST"])])


def serve_floor(answers_file: Path, workers: int) -> None:
    """``netmsg serve``'s own socket, uvicorn settings and worker processes, the floor's app."""
    import multiprocessing
    import signal

    from netmsg_tui.server import run

    # Stopped by SIGTERM: exit cleanly, so that multiprocessing ends the daemon workers.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    sock = run.bind("127.0.0.1", 0)
    print(f"floor on http://127.0.0.1:{sock.getsockname()[1]}", flush=True)
    spawn = multiprocessing.get_context("spawn")
    procs = [
        spawn.Process(target=_floor_worker, args=(sock, answers_file), daemon=True)
        for _ in range(workers)
    ]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join()


def _floor_worker(sock: Any, answers_file: Path) -> None:
    import uvicorn

    from netmsg_tui.server import run

    sys.setswitchinterval(0.001)  # as run._serve_socket
    limits = run.Limits(max_per_address=1000)
    app = floor_app(json.loads(answers_file.read_text()))
    run.tune_gc()  # as run._serve_socket: the same process settings, not only uvicorn's
    uvicorn.Server(run._config(app, "warning", limits)).run(sockets=[sock])


# -- rows -----------------------------------------------------------------------------------
TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def tree_cpu(pid: int) -> float | None:
    """CPU seconds (user + system) of a process and its children (a server's workers), from
    /proc; None where there is no /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return None
    total = (int(fields[11]) + int(fields[12])) / TICKS
    for child in children:
        total += tree_cpu(int(child)) or 0.0
    return total


def wrk(
    tool: str, script: Path, url: str, path: str, conns: int, seconds: int, headers: list[str]
) -> dict[str, Any]:
    argv = [tool, "-t", str(min(2, conns)), "-c", str(conns), "-d", f"{max(1, round(seconds))}s",
            "--timeout", "10s", "-s", str(script)]  # fmt: skip
    for header in headers:
        argv += ["-H", header]
    argv += [url + path, "--", uuid.uuid4().hex[:16]]  # the Lua script's nonce
    done = subprocess.run(argv, capture_output=True, text=True, timeout=120)
    line = next((x for x in done.stdout.splitlines() if x.startswith("WRKJSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk failed: {done.stdout}{done.stderr}")
    result: dict[str, Any] = json.loads(line.removeprefix("WRKJSON "))
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    return result


def lua_for(folder: Path, send_path: str | None) -> Path:
    script = folder / ("send.lua" if send_path else "get.lua")
    prefix = f'SEND_PATH = "{send_path}"\n' if send_path else ""
    script.write_text(prefix + LUA)
    return script


def answers_of(url: str, token: str, ops: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """What the real server answers to each operation: the floor's bytes, and the list's ETag."""
    answers: dict[str, Any] = {}
    auth = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=url, headers=auth) as client:
        for op in ops.values():
            if op.get("conditional"):
                continue
            if op.get("send"):
                r = client.post(op["path"], json={"body": "floor sample"})
            else:
                r = client.get(op["path"])
            r.raise_for_status()
            answer = {"status": r.status_code, "body": r.content.decode("latin-1")}
            if r.headers.get("etag"):
                answer["etag"] = r.headers["etag"]
            answers[op["path"]] = answer
        me = client.get("/api/v1/me")  # the floor answers wait_ready's request too
        answers["/api/v1/me"] = {"status": 200, "body": me.content.decode("latin-1")}
    return answers


def current_etag(url: str, token: str, path: str) -> str:
    r = httpx.get(url + path, headers={"Authorization": f"Bearer {token}"})
    r.raise_for_status()
    return r.headers["etag"]


def measure(
    targets: dict[str, tuple[str, str, int]],  # name -> (url, token, the server's pid)
    ops: dict[str, dict[str, Any]],
    seconds: int,
    folder: Path,
    levels: tuple[int, ...] = LEVELS,
    rounds: int = 1,
) -> list[dict[str, Any]]:
    """Each operation and connection count on every target in turn; with ``rounds`` > 1 the
    targets take turns that many times (one row per round), so a before/after pair is measured
    interleaved, not one minute apart."""
    tool = find_wrk()
    rows = []
    for name, op in ops.items():
        script = lua_for(folder, op["path"] if op.get("send") else None)
        for conns, round_ in ((c, r) for c in levels for r in range(rounds)):
            results: dict[str, dict[str, Any]] = {}
            for target, (url, token, pid) in targets.items():
                headers = [f"Authorization: Bearer {token}"]
                if op.get("send"):
                    headers.append("Content-Type: application/json")
                if op.get("conditional"):
                    etag = op["floor_etag"] if target.startswith("floor") else None
                    etag = etag or current_etag(url, token, op["path"])
                    headers.append(f"If-None-Match: {etag}")
                if (
                    conns == levels[0] and round_ == 0
                ):  # warm-up: first touch of this path in each process
                    wrk(tool, script, url, op["path"], 10, 1, headers)
                before = tree_cpu(pid)
                result = wrk(tool, script, url, op["path"], conns, seconds, headers)
                results[target] = result
                after = tree_cpu(pid)
                if before is not None and after is not None and result["requests"]:
                    # The server's own CPU per request: steadier than req/s on a busy machine.
                    result["cpu_us"] = (after - before) * 1e6 / result["requests"]
            floor = results.get("floor w1")
            for target, r in results.items():
                share = r["rps"] / floor["rps"] if floor else None
                rows.append(result_row(name, target, conns, r, share))
                print(f"{rows[-1]['name']}: {rows[-1]['result']}", file=sys.stderr)
    return rows


def result_row(
    op: str, target: str, conns: int, r: dict[str, Any], share: float | None
) -> dict[str, Any]:
    p50, p99 = r["p50_us"] / 1000, r["p99_us"] / 1000
    text = f"{r['rps']:8.0f} req/s  p50 {p50:6.1f} ms  p99 {p99:7.1f} ms"
    if r.get("cpu_us") is not None:
        text += f"  {r['cpu_us']:4.0f} us CPU/req"
    if share is not None:
        text += f"  {share:6.1%} of floor"
    if r["non2xx"] or r["errors"]:
        text += f"  ({r['non2xx']} non-2xx, {r['errors']} socket errors)"
    goal: dict[str, Any] = {}
    if op == "list" and conns == 50 and not target.startswith("floor"):
        goal = {"goal": LIST_P99_GOAL_MS, "goal_text": "p99 <= 20 ms at 50 connections"}
    detail = {**r, "op": op, "target": target, "connections": conns, "floor_share": share}
    rows = row(SECTION, f"{op:<8} {target:<9} {conns:>3} conns", p99, text, detail=detail, **goal)
    return rows


def share_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The throughput goal: list with 2 workers as a share of the 1-process floor."""
    out = []
    for r in rows:
        d = r["detail"]
        if d["op"] == "list" and d["target"].endswith(" w2") and not d["target"].startswith("fl"):
            out.append(
                row(
                    SECTION,
                    f"list {d['target']} {d['connections']} conns, share of the floor",
                    d["floor_share"],
                    f"{d['floor_share']:.1%} of the 1-process floor's req/s",
                    goal=FLOOR_SHARE_GOAL,
                    goal_text=">= 25% of the floor",
                    higher_is_better=True,
                )
            )
    return out


def markdown(rows: list[dict[str, Any]]) -> str:
    """The rows as one Markdown table: an operation and connection count per line, a column per
    server: requests/s (share of the 1-process floor), p50 / p99 ms, the server's CPU µs per
    request; with --rounds, each round's cell in turn (separated by ';')."""
    cells: dict[tuple[str, int], dict[str, str]] = {}
    targets: list[str] = []
    for r in rows:
        d = r.get("detail") or {}
        if "target" not in d:
            continue
        if d["target"] not in targets:
            targets.append(d["target"])
        share = "" if d["floor_share"] is None else f" ({d['floor_share']:.0%})"
        cell = f"{d['rps']:,.0f}{share} {d['p50_us'] / 1000:.1f} / {d['p99_us'] / 1000:.0f}"
        if d.get("cpu_us") is not None:
            cell += f", {d['cpu_us']:.0f} µs"
        if d["non2xx"] or d["errors"]:
            cell += f" ({d['non2xx'] + d['errors']} failed)"
        row_cells = cells.setdefault((d["op"], d["connections"]), {})
        earlier = row_cells.get(d["target"])
        row_cells[d["target"]] = cell if earlier is None else f"{earlier}; {cell}"
    lines = [
        "| operation | conns | " + " | ".join(targets) + " |",
        "| --- | ---: | " + " | ".join("---:" for _ in targets) + " |",
    ]
    for (op, conns), by_target in cells.items():
        values = " | ".join(by_target.get(t, "") for t in targets)
        lines.append(f"| {op} | {conns} | {values} |")
    return "\n".join(lines)


# -- push across processes --------------------------------------------------------------------
async def push_across(watch_url: str, send_url: str, token: str, thread: int, samples: int) -> Any:
    """A reply sent through one server process until a client on another one's stream has it."""
    from netmsg_tui.store.remote import RemoteStore

    with tempfile.TemporaryDirectory(prefix="netmsg-push-") as folder:
        store = RemoteStore(watch_url, token, outbox_path=Path(folder) / "outbox.db")
        stream = store.watch()
        await anext(stream)
        latencies = []
        auth = {"Authorization": f"Bearer {token}"}
        async with httpx.AsyncClient(base_url=send_url, headers=auth) as sender:
            for i in range(samples):
                begin = time.perf_counter()
                r = await sender.post(
                    f"/api/v1/conversations/{thread}/messages", json={"body": f"push {i}"}
                )
                wanted = r.json()["id"]
                while True:
                    batch = await asyncio.wait_for(anext(stream), 30)
                    if any(c.message_id == wanted for c in batch.changes):
                        break
                latencies.append(ms_since(begin))
                await asyncio.sleep(0.05)
        await stream.aclose()
        await store.close()
    stats = summary(latencies)
    return row(
        SECTION,
        "push: reply via process B -> stream on process A (PostgreSQL)",
        stats["p99_ms"],
        f"p50 {stats['p50_ms']:6.1f} ms  p99 {stats['p99_ms']:6.1f} ms  (n={len(latencies)})",
        goal=PUSH_GOAL_MS,
        goal_text="p99 <= 1000 ms",
        detail=stats,
    )


# -- the run ------------------------------------------------------------------------------------
def run(
    messages: int,
    seconds: int,
    postgres: bool,
    workers: list[int],
    push: int,
    before: Path | None = None,
    uncached: bool = False,
    only: list[str] | None = None,
    levels: tuple[int, ...] = LEVELS,
    rounds: int = 1,
) -> Any:
    find_wrk()
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="netmsg-wrk-") as name, ExitStack() as stack:
        folder = Path(name)
        db = folder / "network.db"
        print(f"seeding {messages:,} messages …", file=sys.stderr)
        net = seed(db, messages)
        stores = {"sqlite": str(db)}
        if postgres:
            cluster = stack.enter_context(postgres_cluster())
            stores["pg"] = cluster.url(cluster.new_database())
            copy_store(db, stores["pg"])
        ops: dict[str, dict[str, Any]] = {
            "list": {"path": "/api/v1/conversations?limit=50"},
            "list 304": {"path": "/api/v1/conversations?limit=50", "conditional": True},
            "search": {"path": "/api/v1/conversations?query=delivery&limit=50"},
            "thread": {"path": f"/api/v1/conversations/{net['big_thread']}/messages?limit=50"},
            "send": {"path": f"/api/v1/conversations/{net['send_thread']}/messages", "send": 1},
        }
        targets: dict[str, tuple[str, str, int]] = {}
        procs = []
        for kind, store in stores.items():
            for n in workers:
                proc, url = netmsg_serve(store, n)
                procs.append(proc)
                stack.callback(stop, proc)
                targets[f"{kind} w{n}"] = (url, net["token"], proc.pid)
                if before is not None:  # the same server from another checkout, side by side
                    proc, url = netmsg_serve(store, n, before)
                    procs.append(proc)
                    stack.callback(stop, proc)
                    targets[f"before {kind} w{n}"] = (url, net["token"], proc.pid)
                if uncached:  # no answer cache: every list and page read from the store
                    proc, url = netmsg_serve(store, n, extra=("--answer-cache", "0"))
                    procs.append(proc)
                    stack.callback(stop, proc)
                    targets[f"{kind} w{n} nocache"] = (url, net["token"], proc.pid)
        first_url, _, _ = next(iter(targets.values()))
        wait_ready(first_url, net["token"])
        answers = answers_of(first_url, net["token"], ops)
        ops["list 304"]["floor_etag"] = answers[ops["list"]["path"]]["etag"]
        answers_file = folder / "answers.json"
        answers_file.write_text(json.dumps(answers))
        for n in workers:
            proc, url = floor_serve(answers_file, n)
            stack.callback(stop, proc)
            targets[f"floor w{n}"] = (url, net["token"], proc.pid)
        for url, token, _ in targets.values():
            wait_ready(url, token)
        order = sorted(targets, key=lambda t: (not t.startswith("floor"), t))
        chosen = {name: op for name, op in ops.items() if only is None or name in only}
        rows += measure({t: targets[t] for t in order}, chosen, seconds, folder, levels, rounds)
        rows += share_rows(rows)
        if postgres and push:
            a, url_a = netmsg_serve(stores["pg"], 1)
            stack.callback(stop, a)
            b, url_b = netmsg_serve(stores["pg"], 1)
            stack.callback(stop, b)
            rows.append(
                asyncio.run(push_across(url_a, url_b, net["token"], net["send_thread"], push))
            )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=2, help="seconds per row (2)")
    parser.add_argument("--messages", type=int, default=20_000, help="store size (20,000)")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="(1 2)")
    parser.add_argument("--push", type=int, default=30, help="push samples (0: none)")
    parser.add_argument("--json", type=Path, help="write the rows here (for run.py)")
    parser.add_argument("--markdown", type=Path, help="print the table of a --json file again")
    parser.add_argument(
        "--before",
        type=Path,
        help="another checkout's src folder (e.g. main before a change): its servers measured "
        "beside these, in the same run",
    )
    parser.add_argument(
        "--uncached",
        action="store_true",
        help="also servers with --answer-cache 0: what a list costs when its data changed",
    )
    parser.add_argument(
        "--ops", nargs="+", help="only these operations (list, 'list 304', search, thread, send)"
    )
    parser.add_argument(
        "--levels", type=int, nargs="+", default=list(LEVELS), help="connections (1 10 50 200)"
    )
    parser.add_argument(
        "--rounds", type=int, default=1, help="measure every row this many times, interleaved"
    )
    parser.add_argument("--floor", type=Path, help=argparse.SUPPRESS)  # the floor's own process
    args = parser.parse_args()
    if args.floor:
        serve_floor(args.floor, args.workers[0])
        return
    if args.markdown:
        print(markdown(json.loads(args.markdown.read_text())["rows"]))
        return
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    rows = run(
        args.messages,
        args.duration,
        not args.no_postgres,
        args.workers,
        args.push,
        args.before,
        args.uncached,
        args.ops,
        tuple(args.levels),
        args.rounds,
    )
    print_table(rows)
    print("\nreq/s (share of the 1-process floor), p50 / p99 ms:\n")
    print(markdown(rows))
    report = {"machine": machine(), "duration_s": args.duration, "rows": rows}
    target = write_json("server_wrk", report, args.json)
    print(f"\nwritten to {target}")


if __name__ == "__main__":
    main()
