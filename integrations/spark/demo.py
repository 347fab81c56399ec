"""make spark-demo: hunt through a generated Exchange admin log on Spark (local mode, two workers)
and print the same top 10 as `seqhunt run` on the same file.

    python demo.py --log OfficeActivity.csv --full-binary .build/release/seqhunt [--partitions 4]

The seed query's filters (ExchangeAdmin rows, no service accounts) are applied in Spark, as a
notebook would; `seqhunt run` applies the same filters with its flags.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import seqhunt_spark  # noqa: E402

KEYS = ["UserId", "ClientIP"]
FILTERS = ["--record-type", "ExchangeAdmin", "--exclude-user-prefix", "NT AUTHORITY",
           "--exclude-user-substring", "prod.outlook.com"]
TIE = 1e-12


def seed_query_events(spark, path):
    """The export's events that the seed query keeps (FILTERS, in Spark): ExchangeAdmin rows,
    no NT AUTHORITY or *.prod.outlook.com users, ignoring case."""
    from pyspark.sql import functions as F

    user = F.lower(F.coalesce(F.col("UserId"), F.lit("")))
    return (spark.read.option("header", True).option("multiLine", True).option("escape", '"').csv(path)
            .where((F.col("RecordType") == "ExchangeAdmin") & ~user.startswith("nt authority")
                   & ~user.contains("prod.outlook.com")))


def one_machine(binary, log, out):
    """`seqhunt run` on one machine: its printed table and its top 10 session ids."""
    started = time.perf_counter()
    result = subprocess.run([binary, "run", log, "--out", out, *FILTERS], capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(result.stderr.strip())
    lines = result.stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("----")) + 1
    table = []
    for line in lines[start:]:
        fields = line.split()
        if not fields or not fields[0].isdigit():
            break
        table.append(int(fields[1]))
    return result.stdout, table, elapsed


def spark_top(frame, top=10):
    """The first `top` sessions in seqhunt's order (docs/SPEC.md §7): rarest first; exactly equal
    scores by key text, then begin, then input order; and how many more tie with the last."""
    from pyspark.sql import functions as F

    score = F.col("rarest_window3_log_likelihood")
    key_text = F.concat_ws(" / ", *[F.when(F.col(k) == "", F.lit(f"(empty {k})")).otherwise(F.col(k)) for k in KEYS])
    ranked = (frame.where(score.isNotNull())
                   .orderBy(score.asc(), key_text.asc(), F.col("begin").asc(), F.col("session_id").asc())
                   .limit(top).collect())
    tied = 0
    if len(ranked) == top:
        last = ranked[-1]["rarest_window3_log_likelihood"]
        tied = frame.where(F.abs(score - F.lit(last)) <= TIE).count() - sum(
            1 for row in ranked if abs(row["rarest_window3_log_likelihood"] - last) <= TIE)
    return ranked, tied


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--log", required=True, help="the OfficeActivity-style CSV to hunt through")
    parser.add_argument("--full-binary", required=True, help="a full seqhunt build, for `seqhunt run`")
    parser.add_argument("--binary", default=seqhunt_spark.default_binary(), help="the binary shipped to executors")
    parser.add_argument("--partitions", type=int, default=4)
    options = parser.parse_args()

    from pyspark.sql import SparkSession

    with tempfile.TemporaryDirectory(prefix="seqhunt-spark-demo-") as scratch:
        printed, expected, run_seconds = one_machine(options.full_binary, options.log, os.path.join(scratch, "run"))
        print("== seqhunt run on one machine")
        print(printed.rstrip())

        spark = (SparkSession.builder.master("local[2]").appName("seqhunt-spark-demo")
                 .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
                 .config("spark.sql.shuffle.partitions", str(options.partitions))
                 .getOrCreate())
        spark.sparkContext.setLogLevel("ERROR")
        started = time.perf_counter()
        events = seed_query_events(spark, options.log)
        report = seqhunt_spark.HuntReport()
        frame = seqhunt_spark.hunt(events, KEYS, "TimeGenerated", "Operation", "Parameters",
                                   partitions=options.partitions, seqhunt_bin=options.binary, report=report)
        ranked, tied = spark_top(frame)
        spark_seconds = time.perf_counter() - started

        print(f"\n== seqhunt_spark.hunt on Spark local[2], {options.partitions} partitions: "
              f"{report.events} events in {report.sessions} sessions, {spark_seconds:.1f} s "
              f"(seqhunt run: {run_seconds:.1f} s)")
        print(f"{'rank':<5} {'session_id':<11} {'UserId':<28} {'ClientIP':<16} {'begin':<21} {'cmds':<5} "
              f"{'rarest window 3':<16} reason")
        for rank, row in enumerate(ranked, 1):
            print(f"{rank:<5} {row['session_id']:<11} {row['UserId'] or '':<28} {row['ClientIP'] or '':<16} "
                  f"{row['begin']:<21} {row['nCmds']:<5} {row['rarest_window3_likelihood']:<16.3e} "
                  f"{row['rarest_window3_reason']}")
        if tied:
            print(f"+{tied} more at {ranked[-1]['rarest_window3_likelihood']:.3e} (the same score as #{len(ranked)})")
        got = [row["session_id"] for row in ranked]
        spark.stop()
    if got != expected:
        sys.exit(f"\nthe top 10 differ: Spark {got}, seqhunt run {expected}")
    print(f"\nthe same top 10 as seqhunt run: {got}")


if __name__ == "__main__":
    main()
