"""SeqHunt on Spark equals SeqHunt on one machine: sessions, every score column, the rarest
windows and the merged model, bit for bit, however the keys are split over partitions."""

import os
from datetime import datetime, timedelta, timezone

import pytest

import seqhunt_spark
from conftest import (DEMO_DATA, assert_same_rows, generate_log, one_machine, one_machine_model,
                      read_csv, spark_rows)

PARTITIONS = (1, 2, 4, 7)
TYPES = ("cmds", "params", "values")
BOUNDARIES = ("kql", "msticpy")


@pytest.fixture(scope="module")
def logs(tmp_path_factory):
    """The real demo data (when ../shared is beside the repository) and a generated log."""
    folder = tmp_path_factory.mktemp("logs")
    generated = str(folder / "generated.csv")
    generate_log(generated, keys=60)
    found = {"generated": generated}
    if os.path.exists(DEMO_DATA):
        found["demo"] = DEMO_DATA
    return found


@pytest.mark.parametrize("data", ["demo", "generated"])
@pytest.mark.parametrize("session_type", TYPES)
@pytest.mark.parametrize("boundary", BOUNDARIES)
def test_equal_to_one_machine(spark, binary, logs, tmp_path, data, session_type, boundary):
    if data not in logs:
        pytest.skip(f"{DEMO_DATA} is absent: the real demo data is read from ../shared beside the repository")
    path = logs[data]
    flags = ["--type", session_type, "--boundary", boundary]
    expected = one_machine(binary, path, *flags, "--window", "2", "--window", "3")
    model = one_machine_model(binary, path, str(tmp_path / "one.seqhunt"), *flags)
    events = read_csv(spark, path)
    for partitions in PARTITIONS:
        report = seqhunt_spark.HuntReport()
        frame = seqhunt_spark.hunt(events, ["UserId", "ClientIP"], "TimeGenerated", "Operation", "Parameters",
                                   session_type=session_type, windows=(2, 3), boundary=boundary,
                                   partitions=partitions, seqhunt_bin=binary, report=report)
        assert_same_rows(spark_rows(frame), expected)
        with open(report.model_path, "rb") as merged:
            assert merged.read() == model, f"{partitions} partitions: the merged model differs from one machine's"
        assert report.sessions == len(expected)
        assert report.rows_skipped == 0


def test_scores_against_a_saved_baseline(spark, binary, logs, tmp_path):
    """With model= the partitions are only scored, against the baseline as given."""
    path = logs["generated"]
    baseline = str(tmp_path / "baseline.seqhunt")
    one_machine_model(binary, path, baseline)
    expected = one_machine(binary, path, "--model", baseline)
    frame = seqhunt_spark.hunt(read_csv(spark, path), ["UserId", "ClientIP"], "TimeGenerated", "Operation",
                               "Parameters", model=baseline, partitions=3, seqhunt_bin=binary)
    assert_same_rows(spark_rows(frame), expected)


def test_empty_partitions_a_lone_event_and_one_huge_key(spark, binary, tmp_path):
    """Seven partitions for three keys leave some empty; one key holds almost every event (many
    sessions in one partition); one key has a single event."""
    path = str(tmp_path / "skewed.csv")
    with open(path, "w") as out:
        out.write("TimeGenerated,UserId,ClientIP,Operation\n")
        start = datetime(2020, 3, 1, tzinfo=timezone.utc)
        for i in range(6000):
            time = (start + timedelta(seconds=7 * i)).strftime("%Y-%m-%dT%H:%M:%SZ")
            out.write(f"{time},big,1.1.1.1,Cmd{(i * i) % 13}\n")
        out.write("2020-03-01T05:00:00Z,lonely,2.2.2.2,Get-Mailbox\n")
        out.write("2020-03-01T05:00:00Z,pair,3.3.3.3,Get-Mailbox\n2020-03-01T05:00:10Z,pair,3.3.3.3,Set-Mailbox\n")
    expected = one_machine(binary, path, "--type", "cmds", "--params-col", "")
    frame = seqhunt_spark.hunt(read_csv(spark, path), ["UserId", "ClientIP"], "TimeGenerated", "Operation",
                               session_type="cmds", partitions=7, seqhunt_bin=binary)
    assert_same_rows(spark_rows(frame), expected)
    assert any(row["UserId"] == "lonely" and row["nCmds"] == 1 for row in expected)
