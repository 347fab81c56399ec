"""SeqHunt on Spark (local[2]) against `seqhunt run` on one machine, on the same generated logs.

    integrations/spark/.venv/bin/python perf/spark_compare.py 100000 1000000

For each size: the log is generated once (`seqhunt demo`, kept in perf/out/spark/N); `seqhunt run`
is timed (median of --runs); then Spark alone (read the CSV, filter, shuffle by key, hand every
event to a Python worker: the same movement as a hunt, with no seqhunt) and a whole hunt, each
timed once per run (after a warm-up) with the hunt's steps from its HuntReport. Prints wall seconds, events/s and
ratios. Results are measured, never asserted.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
sys.path.insert(0, os.path.join(ROOT, "integrations", "spark"))

import seqhunt_spark  # noqa: E402
from demo import FILTERS, seed_query_events as events  # noqa: E402  (the seed query, in Spark and as flags)


def log_of(binary, sessions):
    folder = os.path.join(ROOT, "perf", "out", "spark", str(sessions))
    path = os.path.join(folder, "OfficeActivity.csv")
    if not os.path.exists(path):
        subprocess.run([binary, "demo", "--sessions", str(sessions), "--out", folder, "--quiet"],
                       check=True, stdout=subprocess.DEVNULL)
    return path


def spark_alone(frame, partitions):
    """The rows' trip without seqhunt: shuffle by key, JSON per event, into Python workers."""
    from pyspark.sql import functions as F

    columns = ["UserId", "ClientIP", "TimeGenerated", "Operation", "Parameters"]
    return (frame.select(*columns).repartition(partitions, "UserId", "ClientIP")
            .select(F.to_json(F.struct(*columns)).alias("e")).rdd.map(lambda row: len(row[0])).sum())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="+", type=int, help="sessions per generated log")
    parser.add_argument("--runs", type=int, default=3, help="runs of seqhunt run per size (median)")
    parser.add_argument("--spark-runs", type=int, default=1, help="runs of each Spark measurement per size")
    parser.add_argument("--partitions", type=int, default=4)
    parser.add_argument("--full-binary", default=os.path.join(ROOT, ".build", "release", "seqhunt"))
    parser.add_argument("--binary", default=seqhunt_spark.default_binary())
    options = parser.parse_args()

    from pyspark.sql import SparkSession

    spark = (SparkSession.builder.master("local[2]").appName("seqhunt-spark-compare")
             .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
             .config("spark.driver.memory", "8g").getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    print(f"{'sessions':>9} {'events':>9} {'MB':>6} | {'run s':>6} | {'spark alone s':>13} | {'hunt s':>7} "
          f"{'part':>6} {'train':>6} {'merge':>6} {'score':>6} {'number':>6} | {'hunt/run':>8} {'events/s':>9}")
    # Warm up the JVM and the Python workers once, so the first size does not pay for them.
    warm = log_of(options.full_binary, options.sizes[0])
    spark_alone(events(spark, warm).limit(20_000), options.partitions)
    seqhunt_spark.hunt(events(spark, warm).limit(20_000), ["UserId", "ClientIP"], "TimeGenerated", "Operation",
                       "Parameters", partitions=options.partitions, seqhunt_bin=options.binary).unpersist()
    for size in options.sizes:
        path = log_of(options.full_binary, size)
        megabytes = os.path.getsize(path) / 1e6
        runs = []
        with tempfile.TemporaryDirectory() as scratch:
            for i in range(options.runs):
                started = time.perf_counter()
                subprocess.run([options.full_binary, "run", path, "--out", os.path.join(scratch, str(i)), "--quiet",
                                *FILTERS], check=True)
                runs.append(time.perf_counter() - started)
        run = statistics.median(runs)
        alone, hunts = [], []
        for _ in range(options.spark_runs):
            started = time.perf_counter()
            spark_alone(events(spark, path), options.partitions)
            alone.append(time.perf_counter() - started)
            report = seqhunt_spark.HuntReport()
            started = time.perf_counter()
            frame = seqhunt_spark.hunt(events(spark, path), ["UserId", "ClientIP"], "TimeGenerated", "Operation",
                                       "Parameters", partitions=options.partitions, seqhunt_bin=options.binary,
                                       report=report)
            frame.count()
            hunts.append((time.perf_counter() - started, report))
            frame.unpersist()
        hunt, report = sorted(hunts, key=lambda pair: pair[0])[len(hunts) // 2]
        steps = report.seconds
        print(f"{size:>9} {report.events:>9} {megabytes:>6.0f} | {run:>6.2f} | {statistics.median(alone):>13.1f} | "
              f"{hunt:>7.1f} {steps.get('partition', 0):>6.1f} {steps.get('train', 0):>6.1f} {steps.get('merge', 0):>6.2f} {steps.get('score', 0):>6.1f} "
              f"{steps.get('number', 0):>6.1f} | {hunt / run:>8.1f} {report.events / hunt:>9.0f}", flush=True)
        inside = report.seqhunt_seconds
        print(f"{'':>9} inside the seqhunt processes (their --stats stages, seconds summed over partitions): "
              + ", ".join(f"{name} {seconds:.2f}" for name, seconds in sorted(inside.items())), flush=True)
    spark.stop()


if __name__ == "__main__":
    main()
