"""Shared fixtures: one Spark session in local mode with two workers, the binary under test, and
the one-machine answers the Spark results must equal."""

import csv
import json
import os
import random
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

import seqhunt_spark  # noqa: E402

REPO = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
DEMO_DATA = os.path.normpath(os.path.join(REPO, "..", "shared", "data", "demo_exchange_data.csv"))


@pytest.fixture(scope="session")
def binary():
    path = seqhunt_spark.default_binary()
    if not os.access(path, os.X_OK):
        pytest.fail(f"{path}: no self-contained seqhunt (run `make dist` first)")
    return path


@pytest.fixture(scope="session")
def spark():
    from pyspark.sql import SparkSession

    session = (SparkSession.builder.master("local[2]").appName("seqhunt-spark-tests")
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.shuffle.partitions", "4")
               .config("spark.task.maxFailures", "1")
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def read_csv(spark, path):
    """Reads a Log Analytics-style CSV export as strings, as a notebook would."""
    return (spark.read.option("header", True).option("multiLine", True).option("escape", '"')
            .csv(path))


def one_machine(binary, path, *flags):
    """``seqhunt score`` on one machine: its JSON Lines rows, parsed."""
    result = subprocess.run([binary, "score", path, "--out", "-", "--format", "jsonl", "--quiet", *flags],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def one_machine_model(binary, path, out, *flags):
    result = subprocess.run([binary, "train", path, "--model-out", out, "--quiet", *flags],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    with open(out, "rb") as model:
        return model.read()


def spark_rows(frame):
    """The hunt's rows as one machine's JSON would parse: JSON-text columns parsed, in order."""
    rows = []
    for row in frame.collect():
        d = row.asDict()
        for name in list(d):
            if name == "params" or name.endswith("_events"):
                d[name] = None if d[name] is None else json.loads(d[name])
        rows.append(d)
    return rows


def assert_same_rows(got, expected):
    """Every column of every session equal; floats compared as bits (NaN is written as null)."""
    assert len(got) == len(expected), f"{len(got)} sessions, one machine has {len(expected)}"
    for g, e in zip(got, expected):
        for name, value in e.items():
            mine = g[name]
            if isinstance(value, float) or isinstance(mine, float):
                assert mine is not None and value is not None and float(mine).hex() == float(value).hex(), \
                    f"session {e['session_id']} {name}: {mine!r} != {value!r}"
            else:
                assert mine == value, f"session {e['session_id']} {name}: {mine!r} != {value!r}"


COMMANDS = ["Get-Mailbox", "Set-Mailbox", "New-InboxRule", "Add-MailboxPermission", "Get-User",
            "Set-User", "New-TransportRule", "Remove-InboxRule", "Set-OwaMailboxPolicy",
            "New-ManagementRoleAssignment", "Get-MessageTrace", "Set-CASMailbox"]
PARAMETERS = {"Identity": ["alex", "sam", "kim", "lee"], "AccessRights": ["FullAccess", "ReadPermission"],
              "ForwardTo": ["smtp:a@contoso.com", "smtp:x@evil.test"], "Enabled": ["True", "False"],
              "Name": ["rule1", "rule2", "Forward all"]}


def generate_log(path, keys=60, seed=7):
    """A log of `keys` distinct (UserId, ClientIP) keys with everything that makes sessionizing
    subtle: equal times (input order decides), gaps of exactly 2 minutes and sessions of exactly
    20 minutes (kql and msticpy disagree), rows out of time order, a key with one event, empty
    parameters and empty users."""
    rng = random.Random(seed)
    start = datetime(2020, 3, 1, tzinfo=timezone.utc)
    pairs = []
    while len(pairs) < keys:
        pair = (f"user{rng.randrange(45):02d}@contoso.com", f"10.0.{rng.randrange(3)}.{rng.randrange(9)}")
        if pair not in pairs:
            pairs.append(pair)
    pairs[-1] = ("", "10.9.9.9")  # an empty user is still a key
    rows = []
    for index, (user, ip) in enumerate(pairs):
        sessions = 1 if index == 0 else rng.randrange(1, 6)
        for _ in range(sessions):
            t = start + timedelta(seconds=rng.randrange(3 * 86_400))
            events = 1 if index == 0 else rng.randrange(1, 9)
            command = rng.choice(COMMANDS)
            for _ in range(events):
                params = [{"Name": p, "Value": rng.choice(PARAMETERS[p])}
                          for p in rng.sample(sorted(PARAMETERS), rng.randrange(0, 4))]
                rows.append([t.strftime("%Y-%m-%dT%H:%M:%SZ"), user, ip, command, json.dumps(params, indent=2)])
                gap = rng.choice([0, 0, 5, 30, 119, 120, 120, 121, 300])
                t += timedelta(seconds=gap)
                command = rng.choice(COMMANDS) if rng.random() < 0.6 else command
            if rng.random() < 0.2:  # a session that lasts exactly 20 minutes
                rows.append([(t + timedelta(seconds=1200 - 1)).strftime("%Y-%m-%dT%H:%M:%SZ"), user, ip, command, "[]"])
    for i in range(0, len(rows) - 1, 7):  # some rows out of time order
        rows[i], rows[i + 1] = rows[i + 1], rows[i]
    with open(path, "w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["TimeGenerated", "UserId", "ClientIP", "Operation", "Parameters"])
        writer.writerows(rows)
    return len(rows)
