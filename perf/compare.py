"""SeqHunt side by side with msticpy 3.0.2 (stage by stage) and with the reading peers DuckDB
and polars, on the same generated logs in the same run.

    perf/compare                         # = this script, after setting up the venv and the build
    perf/compare --sizes 1000,10000 --runs 3 --msticpy-budget 120
    perf/compare --same-size 1000000     # msticpy train + score forced at 1M sessions (long)
    perf/.venv/bin/python perf/compare.py --read-files CSV,SESSIONS   # only the reading section
    perf/.venv/bin/python perf/compare.py --seqhunt PATH --out DIR --chart DIR/ratios.png ...

For each data set (`--data`, both by default, the realistic one first) and each size (sessions)
it generates an OfficeActivity CSV with `seqhunt demo --log-only` (seed 42): `realistic` is
`demo --realistic`, a tenant whose parameter values are mostly distinct and whose ClientIP
carries a port (so nearly every session has its own key); `demo` is the default demo, whose
values come from small pools. Each data set's cardinalities (distinct values per event, keys per
session, over its first 300,000 rows) are reported beside its figures. Then, for each:

* SeqHunt: `seqhunt run` with the seed query's filters and `--boundary msticpy`, once per
  session type and thread count, `--runs` times; stage times and peak RSS come from
  `--stats`, end to end is the process's wall time. Medians are reported.
* msticpy: each stage in a fresh worker process (for its own peak RSS): read + parse
  (pandas `read_csv`, the filters, `json.loads` of Parameters, building msticpy's `Cmd`
  events), `sessionize_data`, `Model.train()`, and scoring (`compute_likelihoods_of_sessions`,
  `compute_geomean_lik_of_sessions`, `compute_rarest_windows(3)`: what `seqhunt run` computes).
  Train and score run on SeqHunt's sessions (identical to msticpy's with `--boundary msticpy`,
  as the test suite checks), so they can be measured where msticpy's sessionize is too slow.
  A stage whose predicted time (linear from the previous size) exceeds `--msticpy-budget`
  seconds is skipped and marked so.
* Same size (`--same-size N`, N one of `--sizes`): at N sessions msticpy's train and score
  run whatever their prediction, with `--same-size-budget` seconds (stopped at twice that),
  so that train + score is compared with SeqHunt's at the same size; reported per session
  type in its own table, labelled "same size". Read and sessionize keep the normal budget.
* Parity: wherever msticpy scored, every session's likelihood and rarest-window-3 likelihood
  must agree with SeqHunt's to 1e-9 (relative; in log space where msticpy underflows).
* Floors: reading the file's bytes once (page cache warm, 4 MiB `readinto`) and one pass
  over an int32 array of 4 values per event, about the size of the encoded events and their
  parameters (numpy sum).
* Reading peers: on the size's `OfficeActivity.csv` and on the sessions file SeqHunt wrote
  for it (`sessions.jsonl`, written by `seqhunt sessionize` with the same flags), each tool with 2 threads, each run in a fresh
  process, one warm-up run discarded (page cache warm), median of `--runs` runs of the read
  itself (process start and imports not counted, like SeqHunt's stage times):
  - SeqHunt: the `read` stage of `--stats` of `seqhunt sessionize CSV` with the seed
    filters (parses every row and the Parameters JSON), and of `seqhunt score SESSIONS`;
  - DuckDB (`SET threads=2`): `read_csv(all_varchar)` summing the length of the six
    columns SeqHunt reads (so that every field is parsed; a bare count(*) can skip them);
    the same plus `json_array_length(Parameters::JSON)` (the JSON work SeqHunt does too);
    `read_json(format='newline_delimited')` of the sessions touching the key, begin, cmds
    and params;
  - polars (`POLARS_MAX_THREADS=2`): `read_csv(infer_schema=False)`, every column as text,
    and `read_ndjson` of the sessions with params read as a list of JSON texts, one per
    event (polars parses each object and writes it back as text). Polars has no map type
    for params' objects keyed by command: inferred from the first 100 rows (its default),
    the struct drops the commands not seen there; inferred from every row, it has one
    field per command and took 2 s and 540 MB for a 10 MB file.
  Reported as MB/s (file bytes / seconds) and SeqHunt / peer as a throughput ratio (above 1×
  SeqHunt is faster). Row counts are checked against SeqHunt's (rows read; sessions and
  events) and a difference is marked in the table. Peak RSS is each process's: SeqHunt's
  includes the stages after reading.

Writes OUT/compare.json (OUT is perf/out unless --out), the tables on stdout (and with
--results, perf/RESULTS.md's generated section), and the chart (perf/ratios.png unless
--chart, drawn with Cairo): SeqHunt's speed-up over msticpy, and its read stage over DuckDB's
and polars'. With --read-files only the reading section runs, on the given files, and its
table is printed and written to OUT/read-files.json.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SEQHUNT = ROOT / ".build" / "release" / "seqhunt"
DEFAULT_OUT = ROOT / "perf" / "out"
DEFAULT_CHART = ROOT / "perf" / "ratios.png"
TYPES = ("cmds", "params", "values")
FILTERS = ["--record-type", "ExchangeAdmin", "--exclude-user-prefix", "NT AUTHORITY",
           "--exclude-user-substring", "prod.outlook.com"]
STAGES = ("read", "sessionize", "train", "score")


# --------------------------------------------------------------------------------------------
# msticpy worker (runs in its own process so that its peak RSS is its own)
# --------------------------------------------------------------------------------------------

def msticpy_worker(args) -> None:
    import resource
    import pandas as pd
    from msticpy.analysis.anomalous_sequence.model import Model
    from msticpy.analysis.anomalous_sequence.sessionize import sessionize_data
    from msticpy.analysis.anomalous_sequence.utils.data_structures import Cmd

    result = {}
    stype = args.type

    def to_cmd(operation, pairs):
        if stype == "cmds":
            return operation
        values = {pair["Name"]: pair["Value"] for pair in pairs}
        return Cmd(name=operation, params=set(values) if stype == "params" else values)

    if args.stage in ("read", "sessionize"):
        start = time.perf_counter()
        data = pd.read_csv(args.csv)
        data = data[data["RecordType"] == "ExchangeAdmin"]
        users = data["UserId"].fillna("")
        data = data[~users.str.startswith("NT AUTHORITY") & ~users.str.contains("prod.outlook.com", regex=False)]
        data = data.copy()
        data["event"] = [to_cmd(op, json.loads(p) if isinstance(p, str) and p else [])
                         for op, p in zip(data["Operation"], data["Parameters"])]
        result["read"] = time.perf_counter() - start
        result["events"] = len(data)
        if args.stage == "sessionize":
            start = time.perf_counter()
            sessions = sessionize_data(data, user_identifier_cols=["UserId", "ClientIP"], time_col="TimeGenerated",
                                       max_session_time_mins=20, max_event_separation_mins=2, event_col="event")
            result["sessionize"] = time.perf_counter() - start
            result["sessions"] = len(sessions)
    else:
        # Train and score on SeqHunt's sessions (same as msticpy's; see the module docstring).
        sessions, keys = [], []
        with open(args.sessions, encoding="utf-8") as f:
            for line in f:
                row = json.loads(line)
                keys.append((row.get("UserId", ""), row.get("ClientIP", ""), row["begin"]))
                if stype == "cmds":
                    sessions.append(list(row["cmds"]))
                else:
                    sessions.append([to_cmd(*next(iter(event.items()))) for event in row["params"]])
        result["events"] = sum(len(s) for s in sessions)
        result["sessions"] = len(sessions)
        start = time.perf_counter()
        model = Model(sessions)
        model.train()
        result["train"] = time.perf_counter() - start
        if args.stage == "score":
            start = time.perf_counter()
            model.compute_likelihoods_of_sessions(use_start_end_tokens=True)
            model.compute_geomean_lik_of_sessions()
            model.compute_rarest_windows(window_len=3, use_start_end_tokens=True, use_geo_mean=False)
            result["score"] = time.perf_counter() - start
            with open(args.scores_out, "w", encoding="utf-8") as out:
                for key, lik, win in zip(keys, model.session_likelihoods, model.rare_window_likelihoods[3]):
                    out.write(json.dumps({"key": key, "likelihood": float(lik),
                                          "window3": None if win is None or (isinstance(win, float) and math.isnan(win)) else float(win)}) + "\n")
    result["peak_rss_bytes"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps(result))


def run_msticpy(stage: str, stype: str, csv: Path, sessions: Path, scores_out: Path, budget: float) -> dict | None:
    """The worker's result, or None when it ran past twice the budget (it was stopped)."""
    env = dict(os.environ, PYTHONHASHSEED="0")
    try:
        proc = subprocess.run([sys.executable, __file__, "--msticpy-worker", stage, "--type", stype, "--csv", str(csv),
                               "--sessions", str(sessions), "--scores-out", str(scores_out)],
                              check=True, capture_output=True, text=True, env=env, timeout=2 * budget)
    except subprocess.TimeoutExpired:
        return None
    return json.loads(proc.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------------------------
# SeqHunt runs, floors, parity
# --------------------------------------------------------------------------------------------

def run_seqhunt(seqhunt: Path, csv: Path, out: Path, stype: str, threads: int) -> dict:
    stats = out / "stats.json"
    start = time.perf_counter()
    subprocess.run([str(seqhunt), "run", str(csv), "--out", str(out), "--type", stype, "--threads", str(threads),
                    "--boundary", "msticpy", "--stats", str(stats), "--quiet", *FILTERS], check=True)
    wall = time.perf_counter() - start
    result = json.loads(stats.read_text())
    result["end_to_end"] = wall
    return result


def median_runs(runs: list[dict]) -> dict:
    stages = {name: statistics.median(r["stages"][name] for r in runs) for name in runs[0]["stages"]}
    return {"events": runs[0]["events"], "sessions": runs[0]["sessions"], "stages": stages,
            "end_to_end": statistics.median(r["end_to_end"] for r in runs),
            "peak_rss_bytes": max(r["peak_rss_bytes"] for r in runs)}


def read_floor(path: Path, runs: int) -> float:
    buffer = bytearray(4 << 20)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        with open(path, "rb", buffering=0) as f:
            while f.readinto(buffer):
                pass
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def array_floor(values: int, runs: int) -> float:
    import numpy as np
    array = np.ones(values, dtype=np.int32)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        array.sum()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def text_cell(cell: str) -> str:
    """A CSV text cell as SeqHunt read it: without the apostrophe that guards formula starts."""
    return cell[1:] if len(cell) > 1 and cell[0] == "'" and cell[1] in "=+-@\t\r" else cell


def parity(seqhunt_scores: Path, msticpy_scores: Path) -> tuple[int, int]:
    """(sessions compared, mismatches) between a SeqHunt scores.csv and the worker's scores;
    a session that only one side has is a mismatch."""
    import csv as csvmodule
    ours = {}
    with open(seqhunt_scores, newline="", encoding="utf-8") as f:
        for row in csvmodule.DictReader(f):
            ours[(text_cell(row["UserId"]), text_cell(row["ClientIP"]), row["begin"])] = row
    compared = mismatches = 0
    with open(msticpy_scores, encoding="utf-8") as f:
        for line in f:
            theirs = json.loads(line)
            row = ours.get(tuple(theirs["key"]))
            compared += 1
            if row is None:
                mismatches += 1
                continue
            if not close(float(row["log_likelihood"]), theirs["likelihood"]):
                mismatches += 1
            elif theirs["window3"] is not None and not close(float(row["rarest_window3_log_likelihood"]), theirs["window3"]):
                mismatches += 1
    return compared, mismatches + max(0, len(ours) - compared)


def close(our_log: float, their_value: float) -> bool:
    """SeqHunt's log likelihood against msticpy's likelihood: 1e-9 relative; where msticpy's
    product is below 1e-300 (or underflowed to 0), SeqHunt's must be that small too."""
    if their_value > 1e-300:
        ours = math.exp(our_log)
        return abs(ours - their_value) <= 1e-9 * max(abs(ours), abs(their_value))
    return our_log < math.log(1e-300) + 1e-6


# --------------------------------------------------------------------------------------------
# Reading peers: DuckDB and polars on the same files as SeqHunt's read stage
# --------------------------------------------------------------------------------------------

READ_THREADS = 2
CSV_COLUMNS = ("TimeGenerated", "Operation", "UserId", "ClientIP", "Parameters", "RecordType")
# Each peer: the file it reads ("csv" or "sessions") and its name in the tables and the chart.
READ_PEERS = {
    "duckdb_csv": ("csv", "DuckDB read_csv"),
    "duckdb_csv_json": ("csv", "DuckDB read_csv + JSON"),
    "polars_csv": ("csv", "polars read_csv"),
    "duckdb_jsonl": ("sessions", "DuckDB read_json"),
    "polars_jsonl": ("sessions", "polars read_ndjson (params as text)"),
}
SEQHUNT_READ_LABELS = {"csv": "SeqHunt read (sessionize)", "sessions": "SeqHunt read (score)"}
READ_FILE_LABELS = {"csv": "CSV", "sessions": "sessions JSONL"}


def duckdb_connection():
    import duckdb
    connection = duckdb.connect()
    connection.execute(f"SET threads={READ_THREADS}")
    return connection


def read_duckdb_csv(path: str, with_json: bool) -> tuple[float, dict]:
    """read_csv of every row, every column as text; the sum of the lengths of the columns
    SeqHunt reads makes DuckDB parse every field (and, with_json, the Parameters JSON)."""
    connection = duckdb_connection()
    lengths = " + ".join(f"coalesce(sum(strlen({c})), 0)" for c in CSV_COLUMNS)
    parameters = "sum(json_array_length(Parameters::JSON))" if with_json else "NULL"
    query = f"SELECT count(*), {lengths}, {parameters} FROM read_csv(?, all_varchar = true, header = true)"
    start = time.perf_counter()
    rows, characters, parameter_count = connection.execute(query, [path]).fetchone()
    seconds = time.perf_counter() - start
    return seconds, {"rows": rows, "bytes_of_fields": characters, "parameters": parameter_count}


def read_duckdb_jsonl(path: str) -> tuple[float, dict]:
    """read_json of the sessions, touching the columns SeqHunt's score reads: key, begin,
    cmds and params (params becomes a list of maps of lists of structs)."""
    connection = duckdb_connection()
    query = ("SELECT count(*), sum(len(cmds)), sum(len(params)), "
             "coalesce(sum(strlen(UserId)), 0) + coalesce(sum(strlen(ClientIP)), 0), count(begin) "
             "FROM read_json(?, format = 'newline_delimited')")
    start = time.perf_counter()
    rows, events, param_lists, _, _ = connection.execute(query, [path]).fetchone()
    seconds = time.perf_counter() - start
    return seconds, {"rows": rows, "events": events, "param_lists": param_lists}


def read_polars_csv(path: str) -> tuple[float, dict]:
    import polars as pl
    start = time.perf_counter()
    frame = pl.read_csv(path, infer_schema=False)
    seconds = time.perf_counter() - start
    return seconds, {"rows": frame.height}


def read_polars_jsonl(path: str) -> tuple[float, dict]:
    """read_ndjson with params as a list of JSON texts, one per event (see the module
    docstring); after the clock stops, counts the params entries that came through."""
    import polars as pl
    start = time.perf_counter()
    frame = pl.read_ndjson(path, schema_overrides={"params": pl.List(pl.String)})
    seconds = time.perf_counter() - start
    entries = frame.get_column("params").explode()
    kept = int((entries.str.len_bytes() > 2).sum())  # more than "{}"
    return seconds, {"rows": frame.height, "events": int(frame.get_column("cmds").list.len().sum()),
                     "param_entries": kept}


def read_worker(peer: str, path: str) -> None:
    """One timed read by one peer, in this fresh process; prints its result as JSON."""
    import resource
    readers = {"duckdb_csv": lambda: read_duckdb_csv(path, with_json=False),
               "duckdb_csv_json": lambda: read_duckdb_csv(path, with_json=True),
               "polars_csv": lambda: read_polars_csv(path),
               "duckdb_jsonl": lambda: read_duckdb_jsonl(path),
               "polars_jsonl": lambda: read_polars_jsonl(path)}
    seconds, counts = readers[peer]()
    counts["seconds"] = seconds
    counts["peak_rss_bytes"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps(counts))


def run_read_peer(peer: str, path: Path) -> dict:
    env = dict(os.environ, POLARS_MAX_THREADS=str(READ_THREADS))  # read by polars at import
    proc = subprocess.run([sys.executable, __file__, "--read-worker", peer, "--file", str(path)],
                          check=True, capture_output=True, text=True, env=env)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def seqhunt_read(seqhunt: Path, kind: str, path: Path, scratch: Path) -> dict:
    """SeqHunt's read stage on the CSV (`sessionize` with the seed filters) or on the sessions
    file (`score`), from --stats, with the counts to check the peers against."""
    scratch.mkdir(parents=True, exist_ok=True)
    stats = scratch / f"read-{kind}.stats.json"
    if kind == "csv":
        command = ["sessionize", str(path), "--out", str(scratch / "read-sessions.jsonl"), *FILTERS]
    else:
        command = ["score", str(path), "--out", str(scratch / "read-scores.csv"), "--type", "values"]
    subprocess.run([str(seqhunt), *command, "--stats", str(stats), "--threads", str(READ_THREADS), "--quiet"],
                   check=True)
    result = json.loads(stats.read_text())
    counts = {"rows": result["rows_read"]} if kind == "csv" else {"rows": result["sessions"], "events": result["events"]}
    return {**counts, "seconds": result["stages"]["read"], "peak_rss_bytes": result["peak_rss_bytes"]}


def warm_median(measure, runs: int) -> dict:
    """One warm-up run (discarded: it warms the page cache), then the median of `runs` runs;
    the counts come from the first measured run, the peak RSS is the largest."""
    measure()
    results = [measure() for _ in range(runs)]
    return {**results[0], "seconds": statistics.median(r["seconds"] for r in results),
            "peak_rss_bytes": max(r["peak_rss_bytes"] for r in results)}


def reading_section(seqhunt: Path, files: dict[str, Path], scratch: Path, runs: int, label: str) -> dict:
    """For each file kind ("csv", "sessions") given: its size and each tool's median read."""
    section = {}
    for kind, path in files.items():
        tools = {"seqhunt": warm_median(lambda: seqhunt_read(seqhunt, kind, path, scratch), runs)}
        for peer, (peer_kind, _) in READ_PEERS.items():
            if peer_kind == kind:
                tools[peer] = warm_median(lambda: run_read_peer(peer, path), runs)
        size = path.stat().st_size
        section[kind] = {"path": str(path), "bytes": size, "tools": tools}
        print(f"{label}  reading {READ_FILE_LABELS[kind]}: " + ", ".join(
            f"{name} {size / t['seconds'] / 1e6:,.0f} MB/s" for name, t in tools.items()), file=sys.stderr)
    return section


def peer_versions() -> dict:
    import importlib.metadata as md
    versions = {}
    for package in ("duckdb", "polars"):
        try:
            versions[package] = md.version(package)
        except md.PackageNotFoundError:
            versions[package] = None
    return versions


# --------------------------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------------------------

def fmt_rate(events: int, seconds: float | None) -> str:
    if seconds is None:
        return "skipped"
    if seconds <= 0:
        return "-"
    rate = events / seconds
    return f"{rate / 1e6:,.1f}M" if rate >= 1e6 else f"{rate / 1e3:,.1f}k"


def fmt_ratio(a: float | None, b: float | None) -> str:
    if a is None or b is None or a <= 0:
        return "-"
    ratio = b / a
    return f"{ratio:,.0f}×" if ratio >= 10 else f"{ratio:,.1f}×"


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in open("/proc/cpuinfo", encoding="utf-8"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory = next(int(l.split()[1]) for l in open("/proc/meminfo") if l.startswith("MemTotal")) / 1024 / 1024
    except (OSError, StopIteration):
        memory = 0
    return f"{os.cpu_count()} cores (nproc), {cpu}, {memory:.0f} GiB, {platform.platform()}"


def count_check(kind: str, counts: dict, seqhunt: dict) -> str:
    """The counts of a peer's read against SeqHunt's: rows read (CSV), sessions and events
    (sessions file), and for polars' sessions every params entry kept."""
    if counts["rows"] != seqhunt["rows"]:
        return f"{counts['rows']:,} (SeqHunt {seqhunt['rows']:,}): differs"
    if kind == "sessions" and "events" in counts and counts["events"] != seqhunt["events"]:
        return f"{counts['rows']:,}, {counts['events']:,} events (SeqHunt {seqhunt['events']:,}): differs"
    if "param_entries" in counts and counts["param_entries"] != counts["events"]:
        return f"{counts['rows']:,}, params kept {counts['param_entries']:,} of {counts['events']:,}: incomplete"
    return f"{counts['rows']:,}"


def reading_rows(section: dict) -> list[str]:
    """One row per file and tool: MB/s, SeqHunt / tool (throughput; above 1× SeqHunt is
    faster), median seconds, rows (checked against SeqHunt's) and peak RSS."""
    lines = ["| file | tool | MB/s | SeqHunt / tool | seconds | rows | peak RSS |",
             "|---|---|---:|---:|---:|---:|---:|"]
    for kind, entry in section.items():
        size = entry["bytes"]
        ours = entry["tools"]["seqhunt"]
        file_text = f"{Path(entry['path']).name} ({size / 1e6:,.1f} MB)"
        for name, tool in entry["tools"].items():
            label = SEQHUNT_READ_LABELS[kind] if name == "seqhunt" else READ_PEERS[name][1]
            ratio = "-" if name == "seqhunt" else fmt_ratio(ours["seconds"], tool["seconds"])
            rows = f"{tool['rows']:,}" if name == "seqhunt" else count_check(kind, tool, ours)
            lines.append(f"| {file_text} | {label} | {size / tool['seconds'] / 1e6:,.0f} | {ratio} | "
                         f"{tool['seconds']:.3f} | {rows} | {tool['peak_rss_bytes'] / 1e6:,.0f} MB |")
            file_text = ""
    return lines


def reading_tables(section: dict, title: str) -> str:
    return "\n".join([f"#### {title}\n", *reading_rows(section), ""])


def train_score(stages: dict) -> float | None:
    train, score = stages.get("train"), stages.get("score")
    return None if train is None or score is None else train + score


def same_size_table(report: dict) -> str:
    """msticpy's train + score against SeqHunt's at the same size, per session type."""
    size = report["same_size"]
    entry = report["results"][str(size)]
    lines = [f"### Same size: train + score at {size:,} sessions ({entry['events']:,} events), msticpy forced "
             f"(budget {report['same_size_budget']:.0f} s)\n",
             "| type | msticpy train + score | SeqHunt 1 thread | SeqHunt 2 threads | msticpy / SeqHunt 2 threads "
             "(same size) | msticpy peak RSS | parity |",
             "|---|---:|---:|---:|---:|---:|---|"]
    for stype in TYPES:
        ms = train_score(entry["msticpy"][stype])
        s1 = train_score(entry["seqhunt"]["1"][stype]["stages"])
        s2 = train_score(entry["seqhunt"]["2"][stype]["stages"])
        rss = entry["msticpy"][stype].get("score_rss")
        compared, mismatches = entry["parity"][stype]
        lines.append(f"| {stype} | {f'{ms:,.2f} s' if ms is not None else 'stopped'} | {s1 * 1e3:,.1f} ms | "
                     f"{s2 * 1e3:,.1f} ms | {fmt_ratio(s2, ms)} | {f'{rss / 1e6:,.0f} MB' if rss else '-'} | "
                     f"{f'{compared:,} sessions, {mismatches} mismatches' if compared else 'not scored'} |")
    return "\n".join(lines) + "\n"


def tables(report: dict) -> str:
    versions = report.get("peers", {})
    lines = [f"Machine: {report['machine']}. Runs per point: {report['runs']} (medians). msticpy budget per stage: "
             f"{report['budget']} s. Reading peers: DuckDB {versions.get('duckdb')}, polars {versions.get('polars')}, "
             f"{READ_THREADS} threads each.\n"]
    for data, data_set in report["data_sets"].items():
        lines.append(f"## {DATA_SETS[data][0]}\n")
        lines.append(data_set_tables(data_set))
    return "\n".join(lines)


def cardinality_text(entry: dict) -> str:
    c = entry["cardinalities"]
    return (f"Over its first {c['rows']:,} rows: {c['values']:,} distinct parameter values "
            f"({c['values'] / max(c['rows'], 1):.2f} per event), {c['pairs']:,} (parameter, value) pairs, "
            f"{c['keys']:,} keys (UserId, ClientIP).\n")


def data_set_tables(report: dict) -> str:
    lines = []
    add = lines.append
    for size in report["sizes"]:
        entry = report["results"][str(size)]
        add(f"### {size:,} sessions ({entry['events']:,} events, {entry['bytes'] / 1e6:,.1f} MB of CSV)\n")
        add(cardinality_text(entry))
        add("| stage | type | msticpy | SeqHunt 1 thread | SeqHunt 2 threads | 2t / 1t | SeqHunt / msticpy | msticpy peak RSS | SeqHunt peak RSS |")
        add("|---|---|---:|---:|---:|---:|---:|---:|---:|")
        for stype in TYPES:
            ms = entry["msticpy"][stype]
            s1, s2 = entry["seqhunt"]["1"][stype], entry["seqhunt"]["2"][stype]
            for stage in (*STAGES, "train+score"):
                if stage == "train+score":
                    m = None if ms.get("train") is None or ms.get("score") is None else ms["train"] + ms["score"]
                    a = s1["stages"]["train"] + s1["stages"]["score"]
                    b = s2["stages"]["train"] + s2["stages"]["score"]
                    rss = ms.get("score_rss")
                else:
                    m, a, b = ms.get(stage), s1["stages"].get(stage), s2["stages"].get(stage)
                    rss = ms.get(f"{stage}_rss")
                events = entry["events"]
                speedup = fmt_ratio(b, m) if m is not None else "msticpy skipped"
                add(f"| {stage} | {stype} | {fmt_rate(events, m)} | {fmt_rate(events, a)} | {fmt_rate(events, b)} | "
                    f"{fmt_ratio(b, a)} | {speedup} | {f'{rss / 1e6:,.0f} MB' if rss else '-'} | "
                    f"{s2['peak_rss_bytes'] / 1e6:,.0f} MB |")
            add(f"| end to end (`seqhunt run`, wall) | {stype} | - | {s1['end_to_end']:.2f} s | {s2['end_to_end']:.2f} s | "
                f"{fmt_ratio(s2['end_to_end'], s1['end_to_end'])} | - | - | - |")
        parity_text = "; ".join(f"{t}: {c} sessions, {m} mismatches" if c else f"{t}: not scored by msticpy"
                                for t, (c, m) in entry["parity"].items())
        add(f"\nParity (likelihood and rarest window 3, 1e-9): {parity_text}.")
        floor = entry["floor"]
        s2v = entry["seqhunt"]["2"]["values"]
        add(f"Floors: reading the bytes once {floor['read']:.3f} s ({entry['bytes'] / floor['read'] / 1e9:.2f} GB/s); "
            f"one pass over the encoded arrays {floor['array'] * 1e3:.2f} ms. SeqHunt (values, 2 threads) read stage "
            f"{s2v['stages']['read'] / floor['read']:.1f}× the read floor; train+score "
            f"{(s2v['stages']['train'] + s2v['stages']['score']) / floor['array']:.0f}× the array pass; "
            f"end to end {s2v['end_to_end'] / floor['read']:.1f}× the read floor.\n")
        if entry.get("reading"):
            add(reading_tables(entry["reading"], f"Reading, {size:,} sessions: SeqHunt's read stage and the peers "
                                                 f"({READ_THREADS} threads, warm page cache)"))
    if report.get("same_size"):
        add(same_size_table(report))
    # Growth from the smallest to the largest size: linear stages keep events/s flat.
    if len(report["sizes"]) > 1:
        small, large = report["sizes"][0], report["sizes"][-1]
        add(f"### Growth from {small:,} to {large:,} sessions (SeqHunt, values, 2 threads): events/s at the largest size "
            f"over events/s at the smallest; 1.0 is linear\n")
        add("| stage | ratio |")
        add("|---|---:|")
        se, le = report["results"][str(small)], report["results"][str(large)]
        for stage in (*STAGES, "write"):
            a = se["seqhunt"]["2"]["values"]["stages"].get(stage)
            b = le["seqhunt"]["2"]["values"]["stages"].get(stage)
            if a and b:
                add(f"| {stage} | {(le['events'] / b) / (se['events'] / a):.2f} |")
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# The chart (Cairo): one panel of speed-ups over msticpy, one of read throughput over the peers
# --------------------------------------------------------------------------------------------

ROW = 26          # height of one bar's row
PANEL_EXTRA = 102  # a panel's height besides its rows: title, axis labels, gap (see draw_panel)
ORANGE, BLUE = (0.85, 0.45, 0.1), (0.16, 0.44, 0.75)
PEER_COLOURS = {"DuckDB": (0.18, 0.55, 0.34), "polars": (0.5, 0.3, 0.65)}


def speedup_bars(report: dict) -> list[tuple[str, float, tuple]]:
    """(label, msticpy time / SeqHunt time at 2 threads, colour): sessionize once per size,
    train + score per type; the --same-size bars say so. Labels start with the data set."""
    return [(f"{data} {label}", ratio, colour) for data, data_set in report["data_sets"].items()
            for label, ratio, colour in data_set_speedup_bars(data_set)]


def reading_bars(report: dict) -> list[tuple[str, float, tuple]]:
    return [(f"{data} {label}", ratio, colour) for data, data_set in report["data_sets"].items()
            for label, ratio, colour in data_set_reading_bars(data_set)]


def data_set_speedup_bars(report: dict) -> list[tuple[str, float, tuple]]:
    bars = []
    for size in report["sizes"]:
        entry = report["results"][str(size)]
        same = " (same size)" if size == report.get("same_size") else ""
        sessionize = entry["msticpy"]["cmds"].get("sessionize"), entry["seqhunt"]["2"]["cmds"]["stages"]["sessionize"]
        if all(sessionize):
            bars.append((f"{size:,} sessionize", sessionize[0] / sessionize[1], ORANGE))
        for stype in TYPES:
            m, s = train_score(entry["msticpy"][stype]), train_score(entry["seqhunt"]["2"][stype]["stages"])
            if m and s:
                bars.append((f"{size:,} {stype} train+score{same}", m / s, BLUE))
    return bars


def data_set_reading_bars(report: dict) -> list[tuple[str, float, tuple]]:
    """(label, SeqHunt read MB/s / peer MB/s, colour) per size, file and peer."""
    bars = []
    for size in report["sizes"]:
        for kind, entry in report["results"][str(size)].get("reading", {}).items():
            ours = entry["tools"]["seqhunt"]["seconds"]
            for peer, tool in entry["tools"].items():
                if peer != "seqhunt":
                    label = READ_PEERS[peer][1]
                    bars.append((f"{size:,} {READ_FILE_LABELS[kind]}: SeqHunt / {label}", tool["seconds"] / ours,
                                 PEER_COLOURS[label.split()[0]]))
    return bars


def ratio_text(ratio: float) -> str:
    return f"{ratio:,.0f}×" if ratio >= 10 else f"{ratio:.1f}×" if ratio >= 1 else f"{ratio:.2f}×"


def draw_panel(ctx, title: str, bars: list, top: float, width: int, low_decade: int = 0) -> float:
    """Horizontal bars from 1× on a log axis (from 10^low_decade up to the decade above the
    largest bar); returns the y where the next panel starts."""
    ctx.set_source_rgb(0.1, 0.1, 0.1)
    ctx.set_font_size(17)
    ctx.move_to(20, top + 24)
    ctx.show_text(title)
    left, right, first = 400, width - 60, top + 52
    bottom = first + ROW * max(len(bars), 1) + 10
    low = min([low_decade] + [math.floor(math.log10(r)) for _, r, _ in bars])
    high = max([low + 1, 1] + [math.ceil(math.log10(r)) for _, r, _ in bars])

    def x_of(ratio: float) -> float:
        return left + (right - left) * (math.log10(ratio) - low) / (high - low)

    ctx.set_font_size(12)
    for decade in range(low, high + 1):
        x = x_of(10.0 ** decade)
        ctx.set_source_rgb(0.5, 0.5, 0.5) if decade == 0 else ctx.set_source_rgb(0.85, 0.85, 0.85)
        ctx.move_to(x, first - 8)
        ctx.line_to(x, bottom)
        ctx.stroke()
        ctx.set_source_rgb(0.3, 0.3, 0.3)
        label = f"{10 ** decade:,}×" if decade >= 0 else f"{10.0 ** decade:g}×"
        ctx.move_to(x - ctx.text_extents(label).width / 2, bottom + 18)
        ctx.show_text(label)
    for i, (label, ratio, colour) in enumerate(bars):
        y = first + ROW * i
        ctx.set_source_rgb(0.2, 0.2, 0.2)
        ctx.move_to(20, y + 15)
        ctx.show_text(label)
        ctx.set_source_rgb(*colour)
        ctx.rectangle(min(x_of(1), x_of(ratio)), y + 3, abs(x_of(ratio) - x_of(1)), 17)
        ctx.fill()
        ctx.set_source_rgb(0.1, 0.1, 0.1)
        ctx.move_to(max(x_of(1), x_of(ratio)) + 6, y + 16)
        ctx.show_text(ratio_text(ratio))
    return bottom + 40


def chart(report: dict, path: Path) -> None:
    import cairo
    panels = [("SeqHunt speed-up over msticpy 3.0.2 (2 threads; log scale)", speedup_bars(report), 0)]
    reading = reading_bars(report)
    if reading:
        panels.append(("SeqHunt read stage over DuckDB and polars: throughput ratio (2 threads; log scale; "
                       "above 1× SeqHunt is faster)", reading, -1))
    width = 1200
    height = 8 + sum(PANEL_EXTRA + ROW * max(len(bars), 1) for _, bars, _ in panels)
    surface = cairo.ImageSurface(cairo.FORMAT_ARGB32, width, height)
    ctx = cairo.Context(surface)
    ctx.set_source_rgb(1, 1, 1)
    ctx.paint()
    ctx.select_font_face("DejaVu Sans")
    top = 8
    for title, bars, low_decade in panels:
        top = draw_panel(ctx, title, bars, top, width, low_decade)
    tmp = path.with_suffix(".tmp.png")
    surface.write_to_png(str(tmp))
    os.replace(tmp, path)


# --------------------------------------------------------------------------------------------
# One data set, then the whole run
# --------------------------------------------------------------------------------------------

class MsticpyBudget:
    """Predicts each msticpy stage's time linearly from its time at the previous size."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.previous: dict[tuple[str, str], tuple[int, float | None]] = {}  # (stage, type) -> (events, seconds)

    def predicted_over(self, stage: str, stype: str, events: int) -> bool:
        before = self.previous.get((stage, stype))
        if before is None:
            return False
        ev, seconds = before
        return seconds is None or seconds * events / ev > self.seconds

    def record(self, stage: str, stype: str, events: int, seconds: float | None) -> None:
        self.previous[(stage, stype)] = (events, seconds)


def measure_msticpy(stype: str, size: int, events: int, csv: Path, sessions_file: Path, work: Path,
                    budget: MsticpyBudget, same_size_budget: float | None) -> dict:
    """msticpy's stages for one session type: reading (and, for cmds, sessionizing: once per
    data set), then training and scoring; with same_size_budget the latter are forced."""
    ms: dict = {}
    reading = ("sessionize", ("read", "sessionize")) if stype == "cmds" else ("read", ("read",))
    for worker, stages in (reading, ("score", ("train", "score"))):
        forced = worker == "score" and same_size_budget is not None
        limit = same_size_budget if forced else budget.seconds
        name = f"{size:>9,} sessions  msticpy {stype:<6} {'+'.join(stages)}{' (same size)' if forced else ''}"

        def skip(why: str) -> None:
            print(f"{name}: {why}", file=sys.stderr)
            for s in stages:
                ms[s] = None
                budget.record(s, stype, events, None)

        if not forced and any(budget.predicted_over(s, stype, events) for s in stages):
            skip(f"skipped (predicted over the {budget.seconds:g} s budget)")
            continue
        result = run_msticpy(worker, stype, csv, sessions_file, work / f"msticpy-{stype}.scores.jsonl", limit)
        if result is None:
            skip(f"stopped after {2 * limit:g} s")
            continue
        for s in stages:
            ms[s] = result[s]
            ms[f"{s}_rss"] = result["peak_rss_bytes"]
            budget.record(s, stype, events, result[s])
        print(f"{name}: " + ", ".join(f"{s} {ms[s]:.2f} s" for s in stages), file=sys.stderr)
    return ms


DATA_SETS = {
    "realistic": ("Realistic tenant data (`seqhunt demo --realistic`)", ["--realistic"]),
    "demo": ("Demo data (`seqhunt demo`)", []),
}
CARDINALITY_ROWS = 300_000


def cardinalities(csv: Path, rows: int = CARDINALITY_ROWS) -> dict:
    """Distinct parameter values, (parameter, value) pairs and keys (UserId, ClientIP) over the
    first `rows` rows of an OfficeActivity CSV, the measure that decides how hard reading is."""
    import csv as csvmodule
    csvmodule.field_size_limit(1 << 30)
    values, pairs, keys, n = set(), set(), set(), 0
    with open(csv, newline="", encoding="utf-8") as f:
        for row in csvmodule.DictReader(f):
            if n == rows:
                break
            n += 1
            keys.add((row["UserId"], row["ClientIP"]))
            for parameter in json.loads(row["Parameters"] or "[]"):
                values.add(parameter.get("Value"))
                pairs.add((parameter.get("Name"), parameter.get("Value")))
    return {"rows": n, "values": len(values), "pairs": len(pairs), "keys": len(keys)}


def measure_size(seqhunt: Path, data: str, size: int, work: Path, runs: int, budget: MsticpyBudget,
                 same_size_budget: float | None) -> dict:
    """Everything for one data set: SeqHunt's runs, msticpy's stages, parity, floors, reading."""
    csv = work / "OfficeActivity.csv"
    if not csv.exists():
        subprocess.run([str(seqhunt), "demo", "--sessions", str(size), "--seed", "42", "--log-only", "--out",
                        str(work), "--quiet", *DATA_SETS[data][1]], check=True)
    entry = {"bytes": csv.stat().st_size, "seqhunt": {}, "msticpy": {}, "parity": {},
             "cardinalities": cardinalities(csv)}
    for threads in (1, 2):
        entry["seqhunt"][str(threads)] = {}
        for stype in TYPES:
            results = [run_seqhunt(seqhunt, csv, work / f"seqhunt-{stype}-{threads}", stype, threads)
                       for _ in range(runs)]
            entry["seqhunt"][str(threads)][stype] = median_runs(results)
            print(f"{size:>9,} sessions  seqhunt {stype:<6} {threads} thread(s): "
                  f"{entry['seqhunt'][str(threads)][stype]['end_to_end']:.2f} s end to end", file=sys.stderr)
    events = entry["seqhunt"]["2"]["values"]["events"]
    entry["events"] = events
    # `run` writes no sessions file by default: msticpy and the readers get `sessionize`'s, untimed.
    sessions_file = work / "sessions.jsonl"
    subprocess.run([str(seqhunt), "sessionize", str(csv), "--out", str(sessions_file), "--boundary", "msticpy",
                    "--quiet", *FILTERS], check=True)
    for stype in TYPES:
        ms = measure_msticpy(stype, size, events, csv, sessions_file, work, budget, same_size_budget)
        if stype != "cmds":
            ms["sessionize"] = entry["msticpy"]["cmds"].get("sessionize")
            ms["sessionize_rss"] = entry["msticpy"]["cmds"].get("sessionize_rss")
        entry["msticpy"][stype] = ms
        if ms.get("score") is not None:
            entry["parity"][stype] = parity(work / f"seqhunt-{stype}-2" / "scores.csv", work / f"msticpy-{stype}.scores.jsonl")
        else:
            entry["parity"][stype] = (0, 0)
    entry["floor"] = {"read": read_floor(csv, 5),
                      "array": array_floor(events + 3 * events, 5)}
    entry["reading"] = reading_section(seqhunt, {"csv": csv, "sessions": sessions_file}, work / "reading", runs,
                                       f"{size:>9,} sessions")
    return entry


def write_results_md(text: str) -> None:
    results = ROOT / "perf" / "RESULTS.md"
    marker = "<!-- perf/compare output below: regenerated by `perf/compare --results` -->"
    old = results.read_text(encoding="utf-8") if results.exists() else ""
    head = old.split(marker)[0].rstrip() + "\n\n" if marker in old else old.rstrip() + "\n\n"
    results.write_text(head + marker + "\n\n" + text + "\n\n![SeqHunt over msticpy, DuckDB and polars](ratios.png)\n",
                       encoding="utf-8")


def read_files_only(args, out: Path) -> int:
    """--read-files CSV,SESSIONS: the reading section alone, on the given files."""
    paths = args.read_files.split(",")
    if len(paths) != 2 or not all(paths):
        print("--read-files wants CSV,SESSIONS: an event log CSV and a sessions JSON Lines file", file=sys.stderr)
        return 2
    files = {"csv": Path(paths[0]), "sessions": Path(paths[1])}
    report = {"machine": machine(), "runs": args.runs, "peers": peer_versions(),
              "reading": reading_section(args.seqhunt, files, out / "read-files", args.runs, "read-files")}
    out.mkdir(parents=True, exist_ok=True)
    (out / "read-files.json").write_text(json.dumps(report, indent=1))
    print(f"Machine: {report['machine']}. Runs: {args.runs} (medians, after one warm-up). DuckDB "
          f"{report['peers']['duckdb']}, polars {report['peers']['polars']}, {READ_THREADS} threads each.\n")
    print(reading_tables(report["reading"], "Reading: SeqHunt's read stage and the peers"))
    return 0


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000,100000,1000000", help="sessions per data set, comma-separated")
    parser.add_argument("--data", default="realistic,demo",
                        help="data sets, comma-separated: realistic (values mostly distinct, keys with ports) "
                             "and demo (small pools); default: %(default)s")
    parser.add_argument("--runs", type=int, default=3, help="SeqHunt runs per point, and reads per tool (median)")
    parser.add_argument("--msticpy-budget", type=float, default=120, help="seconds allowed per msticpy stage")
    parser.add_argument("--same-size", type=int, metavar="N",
                        help="force msticpy's train and score at N sessions (one of --sizes) and compare train + "
                             "score at that same size")
    parser.add_argument("--same-size-budget", type=float, default=3600,
                        help="seconds allowed for msticpy's train + score at --same-size (stopped at twice that)")
    parser.add_argument("--read-files", metavar="CSV,SESSIONS",
                        help="only the reading section, on this event log CSV and this sessions JSON Lines file")
    parser.add_argument("--seqhunt", type=Path, default=DEFAULT_SEQHUNT, help="the seqhunt binary (default: %(default)s)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="data sets and compare.json (default: %(default)s)")
    parser.add_argument("--chart", type=Path, default=DEFAULT_CHART, help="the ratio chart (default: %(default)s)")
    parser.add_argument("--results", action="store_true", help="also rewrite the generated part of perf/RESULTS.md")
    parser.add_argument("--msticpy-worker", choices=("read", "sessionize", "train", "score"), help=argparse.SUPPRESS)
    parser.add_argument("--read-worker", choices=tuple(READ_PEERS), help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    parser.add_argument("--type", help=argparse.SUPPRESS)
    parser.add_argument("--csv", help=argparse.SUPPRESS)
    parser.add_argument("--sessions", help=argparse.SUPPRESS)
    parser.add_argument("--scores-out", help=argparse.SUPPRESS)
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    if args.msticpy_worker:
        args.stage = args.msticpy_worker
        msticpy_worker(args)
        return 0
    if args.read_worker:
        read_worker(args.read_worker, args.file)
        return 0
    if not args.seqhunt.exists():
        print(f"no seqhunt at {args.seqhunt}: build it (swift build -c release --product seqhunt) or pass --seqhunt",
              file=sys.stderr)
        return 1
    if None in peer_versions().values():
        print("DuckDB or polars is missing: run perf/setup-venv.sh", file=sys.stderr)
        return 1
    out = args.out.resolve()
    if args.read_files:
        return read_files_only(args, out)
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.same_size is not None and args.same_size not in sizes:
        print(f"--same-size {args.same_size} must be one of --sizes ({args.sizes})", file=sys.stderr)
        return 2
    data_sets = args.data.split(",")
    if not data_sets or any(d not in DATA_SETS for d in data_sets):
        print(f"--data takes {', '.join(DATA_SETS)} (comma-separated), not {args.data}", file=sys.stderr)
        return 2
    report = {"machine": machine(), "runs": args.runs, "budget": args.msticpy_budget, "peers": peer_versions(),
              "data_sets": {}}
    for data in data_sets:
        data_set = {"same_size": args.same_size, "same_size_budget": args.same_size_budget, "sizes": sizes,
                    "results": {}}
        report["data_sets"][data] = data_set
        budget = MsticpyBudget(args.msticpy_budget)
        for size in sizes:
            same_size_budget = args.same_size_budget if size == args.same_size else None
            data_set["results"][str(size)] = measure_size(args.seqhunt, data, size, out / data / str(size), args.runs,
                                                          budget, same_size_budget)
            out.mkdir(parents=True, exist_ok=True)
            (out / "compare.json").write_text(json.dumps(report, indent=1))
    text = tables(report)
    print(text)
    chart(report, args.chart)
    if args.results:
        write_results_md(text)
    mismatches = sum(m for d in report["data_sets"].values() for e in d["results"].values()
                     for (_, m) in e["parity"].values())
    if mismatches:
        print(f"PARITY FAILED: {mismatches} sessions differ", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
