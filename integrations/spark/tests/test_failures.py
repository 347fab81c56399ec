"""A task that fails fails the job with SeqHunt's one line; skipped rows are counted across
partitions; the shipped binary needs nothing beyond glibc's libraries."""

import os
import re
import stat
import subprocess

import pytest

import seqhunt_spark
from conftest import read_csv

BAD_LOG = """TimeGenerated,UserId,ClientIP,Operation
2020-03-01T00:00:00Z,alex,1.1.1.1,Get-Mailbox
not a time,alex,1.1.1.1,Set-Mailbox
2020-03-01T00:00:10Z,alex,1.1.1.1,Set-Mailbox
2020-03-01T00:00:00Z,sam,2.2.2.2,Get-Mailbox
2020-03-01T00:00:05Z,sam,2.2.2.2,
2020-03-01T00:00:09Z,kim,3.3.3.3,Get-User
"""


def write(tmp_path, text, name="bad.csv"):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def hunt(spark, path, binary, **options):
    return seqhunt_spark.hunt(read_csv(spark, path), ["UserId", "ClientIP"], "TimeGenerated", "Operation",
                              session_type="cmds", seqhunt_bin=binary, **options)


def test_a_bad_row_fails_the_job_with_seqhunts_line(spark, binary, tmp_path):
    path = write(tmp_path, BAD_LOG.replace(",\n", ",Set-User\n"))
    with pytest.raises(Exception) as failure:
        hunt(spark, path, binary, partitions=3)
    message = str(failure.value)
    assert re.search(r'seqhunt train failed on partition \d \(exit 2\): '
                     r'seqhunt: error: stdin:\d+: unparseable time "not a time" in column "TimeGenerated"', message), message


def test_skipped_rows_are_summed_over_partitions(spark, binary, tmp_path):
    path = write(tmp_path, BAD_LOG)
    report = seqhunt_spark.HuntReport()
    frame = hunt(spark, path, binary, partitions=3, on_error="skip", report=report)
    assert frame.count() == 3
    assert report.rows_read == 6
    assert report.rows_skipped == 2
    assert report.skipped_by_cause == {"unparseable time": 1, "missing command": 1}, report.skipped_by_cause
    assert report.events == 4


def test_a_killed_process_fails_the_job(spark, binary, tmp_path):
    """A seqhunt killed in a task (an executor running out of memory, say) fails the whole job;
    no partial result comes back."""
    wrapper = tmp_path / "seqhunt-killed"
    wrapper.write_text(f'#!/bin/sh\nif [ "$1" = score ]; then kill -9 $$; fi\nexec "{binary}" "$@"\n')
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
    path = write(tmp_path, BAD_LOG.replace("not a time", "2020-03-01T00:00:01Z").replace(",\n", ",Set-User\n"))
    with pytest.raises(Exception) as failure:
        hunt(spark, path, str(wrapper), partitions=2)
    assert "seqhunt score failed on partition" in str(failure.value)
    assert "killed by signal 9" in str(failure.value)


def test_the_shipped_binary_needs_only_glibc(binary):
    """`make dist` links the Swift runtime, Foundation, OpenBLAS, zlib and zstd statically, and
    leaves Cairo out: ldd lists glibc's own libraries and nothing else."""
    glibc = {"linux-vdso.so.1", "libc.so.6", "libm.so.6", "libpthread.so.0", "libdl.so.2", "librt.so.1",
             "libutil.so.1", "libresolv.so.2", "ld-linux-x86-64.so.2", "ld-linux-aarch64.so.1"}
    listed = subprocess.run(["ldd", binary], capture_output=True, text=True, check=True).stdout
    needed = {os.path.basename(line.split()[0]) for line in listed.splitlines() if line.strip()}
    assert needed <= glibc, f"needs more than glibc: {sorted(needed - glibc)}\n{listed}"
    version = subprocess.run([binary, "--version"], capture_output=True, text=True, check=True).stdout
    assert version.strip()


def test_the_binary_is_shipped_once_per_context(spark, binary, tmp_path, monkeypatch):
    """Hunts in one Spark session share one shipped copy of the binary (about 100 MB), and the
    partition models are removed once merged: a notebook that hunts all day does not fill the disk."""
    import tempfile

    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    path = write(tmp_path, BAD_LOG.replace("not a time", "2020-03-01T00:00:01Z").replace(",\n", ",Set-User\n"))
    for _ in range(3):
        hunt(spark, path, binary, partitions=2).unpersist()
    size = os.path.getsize(binary)
    copies = [p for p in scratch.rglob("*") if p.is_file() and p.stat().st_size == size]
    assert len(copies) <= 1, copies
    assert not list(scratch.rglob("partition-*.seqhunt"))
