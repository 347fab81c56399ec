"""SeqHunt and msticpy 3.0.2 side by side, stage by stage, on the same generated logs.

    perf/compare                         # = this script, after setting up the venv and the build
    perf/compare --sizes 1000,10000 --runs 3 --msticpy-budget 120

For each size (sessions) it generates an OfficeActivity CSV with `seqhunt demo --log-only`
(seed 42), then:

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
* Parity: wherever msticpy scored, every session's likelihood and rarest-window-3 likelihood
  must agree with SeqHunt's to 1e-9 (relative; in log space where msticpy underflows).
* Floors: reading the file's bytes once (page cache warm, 4 MiB `readinto`) and one pass
  over an int32 array of 4 values per event, about the size of the encoded events and their
  parameters (numpy sum).

Writes perf/out/compare.json, the tables on stdout (and with --results, perf/RESULTS.md's
generated section), and perf/ratios.png (drawn with Cairo).
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
SEQHUNT = ROOT / ".build" / "release" / "seqhunt"
OUT = ROOT / "perf" / "out"
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

def run_seqhunt(csv: Path, out: Path, stype: str, threads: int) -> dict:
    stats = out / "stats.json"
    start = time.perf_counter()
    subprocess.run([str(SEQHUNT), "run", str(csv), "--out", str(out), "--type", stype, "--threads", str(threads),
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


def tables(report: dict) -> str:
    lines = []
    add = lines.append
    add(f"Machine: {report['machine']}. Runs per point: {report['runs']} (medians). msticpy budget per stage: "
        f"{report['budget']} s.\n")
    for size in report["sizes"]:
        entry = report["results"][str(size)]
        add(f"### {size:,} sessions ({entry['events']:,} events, {entry['bytes'] / 1e6:,.1f} MB of CSV)\n")
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
# The chart (Cairo)
# --------------------------------------------------------------------------------------------

def chart(report: dict, path: Path) -> None:
    import cairo
    bars = []
    for size in report["sizes"]:
        entry = report["results"][str(size)]
        for stype in TYPES:
            ms = entry["msticpy"][stype]
            s2 = entry["seqhunt"]["2"][stype]["stages"]
            for stage in ("sessionize", "train+score"):
                if stage == "sessionize":
                    m, s = ms.get("sessionize"), s2["sessionize"]
                    if stype != "cmds":
                        continue
                else:
                    m = None if ms.get("train") is None or ms.get("score") is None else ms["train"] + ms["score"]
                    s = s2["train"] + s2["score"]
                if m and s:
                    bars.append((f"{size:,} {stype if stage != 'sessionize' else ''} {stage}".replace("  ", " "), m / s))
    width, height = 1100, 120 + 26 * max(len(bars), 1)
    surface = cairo.ImageSurface(cairo.FORMAT_ARGB32, width, height)
    ctx = cairo.Context(surface)
    ctx.set_source_rgb(1, 1, 1)
    ctx.paint()
    ctx.select_font_face("DejaVu Sans")
    ctx.set_source_rgb(0.1, 0.1, 0.1)
    ctx.set_font_size(17)
    ctx.move_to(20, 32)
    ctx.show_text("SeqHunt speed-up over msticpy 3.0.2 (2 threads; log scale)")
    left, right, top = 330, width - 40, 60
    top_ratio = max([r for _, r in bars] + [10])
    decades = max(1, math.ceil(math.log10(top_ratio)))
    def x_of(ratio: float) -> float:
        return left + (right - left) * max(0.0, math.log10(max(ratio, 1))) / decades
    ctx.set_font_size(12)
    for d in range(decades + 1):
        x = x_of(10 ** d)
        ctx.set_source_rgb(0.85, 0.85, 0.85)
        ctx.move_to(x, top - 8)
        ctx.line_to(x, height - 30)
        ctx.stroke()
        ctx.set_source_rgb(0.3, 0.3, 0.3)
        label = f"{10 ** d:,}×"
        ctx.move_to(x - ctx.text_extents(label).width / 2, height - 12)
        ctx.show_text(label)
    for i, (label, ratio) in enumerate(bars):
        y = top + 26 * i
        ctx.set_source_rgb(0.2, 0.2, 0.2)
        ctx.move_to(20, y + 15)
        ctx.show_text(label)
        ctx.set_source_rgb(0.16, 0.44, 0.75) if "sessionize" not in label else ctx.set_source_rgb(0.85, 0.45, 0.1)
        ctx.rectangle(left, y + 3, x_of(ratio) - left, 17)
        ctx.fill()
        ctx.set_source_rgb(0.1, 0.1, 0.1)
        text = f"{ratio:,.0f}×"
        ctx.move_to(x_of(ratio) + 6, y + 16)
        ctx.show_text(text)
    tmp = path.with_suffix(".tmp.png")
    surface.write_to_png(str(tmp))
    os.replace(tmp, path)


# --------------------------------------------------------------------------------------------

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000,100000,1000000", help="sessions per data set, comma-separated")
    parser.add_argument("--runs", type=int, default=3, help="SeqHunt runs per point (median)")
    parser.add_argument("--msticpy-budget", type=float, default=120, help="seconds allowed per msticpy stage")
    parser.add_argument("--results", action="store_true", help="also rewrite the generated part of perf/RESULTS.md")
    parser.add_argument("--msticpy-worker", choices=("read", "sessionize", "train", "score"), help=argparse.SUPPRESS)
    parser.add_argument("--type", help=argparse.SUPPRESS)
    parser.add_argument("--csv", help=argparse.SUPPRESS)
    parser.add_argument("--sessions", help=argparse.SUPPRESS)
    parser.add_argument("--scores-out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.msticpy_worker:
        args.stage = args.msticpy_worker
        msticpy_worker(args)
        return 0
    if not SEQHUNT.exists():
        print("build seqhunt first: swift build -c release --product seqhunt", file=sys.stderr)
        return 1
    sizes = [int(s) for s in args.sizes.split(",")]
    report = {"machine": machine(), "runs": args.runs, "budget": args.msticpy_budget, "sizes": sizes, "results": {}}
    previous: dict[tuple[str, str], tuple[int, float | None]] = {}  # (stage, type) -> (events, seconds)

    def predicted_over(stage: str, stype: str, events: int) -> bool:
        before = previous.get((stage, stype))
        if before is None:
            return False
        ev, seconds = before
        return seconds is None or seconds * events / ev > args.msticpy_budget

    for size in sizes:
        work = OUT / str(size)
        csv = work / "OfficeActivity.csv"
        if not csv.exists():
            subprocess.run([str(SEQHUNT), "demo", "--sessions", str(size), "--seed", "42", "--log-only", "--out",
                            str(work), "--quiet"], check=True)
        entry = {"bytes": csv.stat().st_size, "seqhunt": {}, "msticpy": {}, "parity": {}}
        for threads in (1, 2):
            entry["seqhunt"][str(threads)] = {}
            for stype in TYPES:
                runs = [run_seqhunt(csv, work / f"seqhunt-{stype}-{threads}", stype, threads) for _ in range(args.runs)]
                entry["seqhunt"][str(threads)][stype] = median_runs(runs)
                print(f"{size:>9,} sessions  seqhunt {stype:<6} {threads} thread(s): "
                      f"{entry['seqhunt'][str(threads)][stype]['end_to_end']:.2f} s end to end", file=sys.stderr)
        events = entry["seqhunt"]["2"]["values"]["events"]
        entry["events"] = events
        sessions_file = work / "seqhunt-values-2" / "sessions.jsonl"
        for stype in TYPES:
            ms: dict = {}
            # Reading (and, once per data set, sessionizing), then training and scoring.
            for worker, stages in ((("sessionize" if stype == "cmds" else "read"), ("read", "sessionize")),
                                   ("score", ("train", "score"))):
                stages = tuple(s for s in stages if worker != "read" or s == "read")
                def skip(why: str) -> None:
                    print(f"{size:>9,} sessions  msticpy {stype:<6} {'+'.join(stages)}: {why}", file=sys.stderr)
                    for s in stages:
                        ms[s] = None
                        previous[(s, stype)] = (events, None)

                if any(predicted_over(s, stype, events) for s in stages):
                    skip(f"skipped (predicted over the {args.msticpy_budget:.0f} s budget)")
                    continue
                result = run_msticpy(worker, stype, csv, sessions_file, work / f"msticpy-{stype}.scores.jsonl",
                                     args.msticpy_budget)
                if result is None:
                    skip(f"stopped after {2 * args.msticpy_budget:.0f} s")
                    continue
                for s in stages:
                    ms[s] = result[s]
                    ms[f"{s}_rss"] = result["peak_rss_bytes"]
                    previous[(s, stype)] = (events, result[s])
                print(f"{size:>9,} sessions  msticpy {stype:<6} " + ", ".join(f"{s} {ms[s]:.2f} s" for s in stages),
                      file=sys.stderr)
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
        report["results"][str(size)] = entry
        OUT.mkdir(parents=True, exist_ok=True)
        (OUT / "compare.json").write_text(json.dumps(report, indent=1))
    text = tables(report)
    print(text)
    chart(report, ROOT / "perf" / "ratios.png")
    if args.results:
        results = ROOT / "perf" / "RESULTS.md"
        marker = "<!-- perf/compare output below: regenerated by `perf/compare --results` -->"
        old = results.read_text(encoding="utf-8") if results.exists() else ""
        head = old.split(marker)[0].rstrip() + "\n\n" if marker in old else old.rstrip() + "\n\n"
        results.write_text(head + marker + "\n\n" + text + "\n\n![SeqHunt over msticpy](ratios.png)\n", encoding="utf-8")
    mismatches = sum(m for e in report["results"].values() for (_, m) in e["parity"].values())
    if mismatches:
        print(f"PARITY FAILED: {mismatches} sessions differ", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
