"""SeqHunt on Apache Spark, with the answer of one machine.

One entry point, :func:`hunt`, runs the plan of ``docs/SCALE.md`` inside the Spark job the
caller already has. The ``seqhunt`` binary does all the work inside each task; Spark only moves
rows:

1. the events are range-partitioned by the key columns, so that every key's events are in one
   partition (no session straddles two) and the partitions follow one another in key order, and
   each partition is put back in input order;
2. each partition is streamed to ``seqhunt train -`` and its model comes back through stdout;
3. the driver adds the partition models up with ``seqhunt merge`` (exact: the merged model file
   equals the model trained on everything, byte for byte);
4. the merged model and the binary are shipped to the executors (``SparkContext.addFile``) and
   each partition is streamed to ``seqhunt score -``;
5. the scores come back as rows; since partition ``p`` holds keys that all sort before those of
   partition ``p + 1``, a session's number is its number in its partition plus the sessions of
   the partitions before: one machine's numbering, with nothing gathered but a count per partition.

The sessions, every score column and the rarest windows equal a one-machine
``seqhunt score``/``seqhunt run`` on the same events, bit for bit.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from typing import Iterable, Iterator, Sequence

__all__ = ["hunt", "HuntReport", "SeqHuntTaskError", "default_binary"]

_STATS_FIELD = "__seqhunt_stats__"
_STATS_PREFIX = '{"' + _STATS_FIELD + '"'
_ID_PREFIX = '{"session_id":'
_SESSION_TYPES = ("cmds", "params", "values")
_BOUNDARIES = ("kql", "msticpy")


class SeqHuntTaskError(RuntimeError):
    """A ``seqhunt`` process in a Spark task failed; the message is SeqHunt's own one line,
    prefixed with the stage and the partition."""


@dataclass
class HuntReport:
    """What a hunt read, summed over every partition (filled in by :func:`hunt`)."""

    partitions: int = 0
    rows_read: int = 0
    rows_filtered: int = 0
    rows_skipped: int = 0
    skipped_by_cause: dict = field(default_factory=dict)
    events: int = 0
    sessions: int = 0
    model_path: str | None = None
    #: Wall seconds per step on the driver: ``partition`` (read the input and sample its keys
    #: for the ranges), ``train`` (shuffle, train every partition), ``merge``, ``score`` (score
    #: every partition) and ``number`` (renumber the sessions, parse and cache their rows).
    seconds: dict = field(default_factory=dict)
    #: Seconds spent inside the ``seqhunt`` processes, summed over partitions, per pass and
    #: stage as their ``--stats`` say (``train.read``, ``score.score``, ...): the rest of a
    #: step's time is Spark's and the pipes'.
    seqhunt_seconds: dict = field(default_factory=dict)

    def add_stages(self, stage: str, stats: dict) -> None:
        for name, seconds in stats.get("stages", {}).items():
            key = f"{stage}.{name}"
            self.seqhunt_seconds[key] = self.seqhunt_seconds.get(key, 0.0) + seconds

    def add(self, stats: dict) -> None:
        self.partitions += 1
        self.rows_read += stats.get("rows_read", 0)
        self.rows_filtered += stats.get("rows_filtered", 0)
        self.rows_skipped += stats.get("rows_skipped", 0)
        for cause, count in stats.get("skipped_by_cause", {}).items():
            self.skipped_by_cause[cause] = self.skipped_by_cause.get(cause, 0) + count
        self.events += stats.get("events", 0)
        self.sessions += stats.get("sessions", 0)


def default_binary() -> str:
    """The ``seqhunt`` binary to ship: ``$SEQHUNT_BIN``, else the self-contained build of
    ``make dist`` in this repository (``dist/seqhunt``)."""
    if os.environ.get("SEQHUNT_BIN"):
        return os.environ["SEQHUNT_BIN"]
    here = os.path.dirname(os.path.abspath(__file__))
    return os.path.normpath(os.path.join(here, "..", "..", "..", "dist", "seqhunt"))


def hunt(df, key_cols: Sequence[str], time_col: str, event_col: str, params_col: str | None = None,
         session_type: str = "values", windows: Iterable[int] = (3,), boundary: str = "kql",
         model: str | None = None, seqhunt_bin: str | None = None, *,
         max_session: str = "20m", max_gap: str = "2m", on_error: str = "fail",
         partitions: int | None = None, modellable_params: Sequence[str] | None = None,
         report: HuntReport | None = None):
    """Sessionizes, trains (or loads ``model``) and scores the events of ``df``.

    :param df: a Spark DataFrame of events, one row per event.
    :param key_cols: the columns that together say who acted; sessions never mix keys.
    :param time_col: the event time: a string in any form ``seqhunt`` reads, or a timestamp.
    :param event_col: the command.
    :param params_col: the parameters (a JSON array of ``{Name, Value}`` or a JSON object,
        as text), or ``None`` for none.
    :param session_type: ``"cmds"``, ``"params"`` or ``"values"``.
    :param windows: the rarest-window lengths to score.
    :param boundary: ``"kql"`` (a limit reached starts a session, as Kusto) or ``"msticpy"``.
    :param model: a saved baseline (``seqhunt train``/``merge``); training is skipped.
    :param seqhunt_bin: the binary to ship to the executors (default :func:`default_binary`).
    :param max_session: the longest session (``seqhunt``'s ``--max-session``).
    :param max_gap: the longest gap inside a session (``--max-gap``).
    :param on_error: ``"fail"`` (a bad row fails the job) or ``"skip"`` (counted in ``report``).
    :param partitions: how many partitions to split the keys over (default: Spark's default
        parallelism).
    :param modellable_params: for ``values``, the parameters whose values to model.
    :param report: a :class:`HuntReport` to fill with the summed row accounting.
    :returns: a DataFrame with one row per session: ``session_id`` (the session's place in the
        order one machine gives: by key, then begin), the key columns, ``begin``, ``end``,
        ``duration``, ``nCmds``, ``nDistinctCmds``, ``cmds``, ``params``, ``session``, the
        likelihoods, and per window length ``k`` msticpy's ``rarest_window{k}_likelihood`` and
        ``rarest_window{k}`` plus SeqHunt's ``_log_likelihood``, ``_index``, ``_events`` and
        ``_reason``. ``params`` and ``_events`` are JSON text. The rows come in ``session_id``
        order and are cached (``persist``): call ``unpersist()`` on the result when done.
    :raises SeqHuntTaskError: (inside Spark's error) when ``seqhunt`` fails in a task: the job
        fails as a whole; no partial result is returned.
    """
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    key_cols = list(key_cols)
    windows = [int(k) for k in windows]
    if not key_cols:
        raise ValueError("key_cols must name at least one column")
    if session_type not in _SESSION_TYPES:
        raise ValueError(f"session_type must be one of {', '.join(_SESSION_TYPES)}, not {session_type!r}")
    if boundary not in _BOUNDARIES:
        raise ValueError(f"boundary must be one of {', '.join(_BOUNDARIES)}, not {boundary!r}")
    if on_error not in ("fail", "skip"):
        raise ValueError(f"on_error must be 'fail' or 'skip', not {on_error!r}")
    if not windows or min(windows) < 1:
        raise ValueError("windows must hold lengths of at least 1")
    columns = key_cols + [time_col, event_col] + ([params_col] if params_col else [])
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"no column {missing[0]!r} in the DataFrame (it has {', '.join(df.columns)})")
    if len(set(columns)) != len(columns):
        raise ValueError("a column is named twice among the key, time, event and parameter columns")

    binary = os.path.abspath(seqhunt_bin or default_binary())
    if not os.access(binary, os.X_OK):
        raise FileNotFoundError(f"{binary}: no seqhunt binary there (run `make dist`, or pass seqhunt_bin=)")
    if model is not None and not os.path.isfile(model):
        raise FileNotFoundError(f"{model}: no such model file")

    spark = df.sparkSession
    sc = spark.sparkContext
    parts = partitions or sc.defaultParallelism
    report = report if report is not None else HuntReport()

    # Keys in ranges, compared as seqhunt compares them: column by column, as bytes (Spark's
    # string order), with a missing value the same key as an empty one. Then input order: equal
    # times keep it in seqhunt's sort, so each partition is put back in the DataFrame's order.
    order = "__seqhunt_row__"
    fields = [F.col(c).alias(c) for c in columns]
    key_text = [F.coalesce(F.col(c).cast("string"), F.lit("")) for c in key_cols]
    # Read once: the range partitioner samples the keys before the shuffle reads the rows, and
    # both must see the same input order. Released once the rows are shuffled.
    staged = (df.select(*columns)
                .withColumn(order, F.monotonically_increasing_id())
                .persist(StorageLevel.MEMORY_AND_DISK))
    scored = None
    try:
        # Building the shuffle samples the keys for the ranges: one pass over the input.
        started = time.perf_counter()
        lines = (staged.repartitionByRange(parts, *key_text)
                   .sortWithinPartitions(order)
                   .select(F.to_json(F.struct(*fields), {
                       "ignoreNullFields": "false",
                       "timestampFormat": "yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX",
                       "timeZone": "UTC",
                   }).alias("event"))
                   .rdd.map(lambda row: row[0]))
        report.seconds["partition"] = time.perf_counter() - started
        flags = ["--key-cols", ",".join(key_cols), "--time-col", time_col, "--event-col", event_col,
                 "--params-col", params_col or "", "--boundary", boundary,
                 "--max-session", max_session, "--max-gap", max_gap, "--on-error", on_error]
        work = tempfile.mkdtemp(prefix="seqhunt-spark-")
        _ship_package(sc, work)
        binary_name = _ship(sc, binary, work)

        if model is None:
            train_flags = flags + ["--type", session_type]
            if modellable_params:
                train_flags += ["--modellable-params", ",".join(modellable_params)]
            started = time.perf_counter()
            models = lines.mapPartitionsWithIndex(_stage(binary_name, "train", train_flags)).collect()
            report.seconds["train"] = time.perf_counter() - started
            staged.unpersist()  # the scoring pass reuses the shuffle's files
            if not models:
                raise ValueError("the DataFrame holds no events to train on")
            paths = []
            for index, blob, stats in models:
                report.add_stages("train", stats)
                path = os.path.join(work, f"partition-{index:05d}.seqhunt")
                with open(path, "wb") as out:
                    out.write(blob)
                paths.append(path)
            model = os.path.join(work, f"merged-{uuid.uuid4().hex}.seqhunt")
            started = time.perf_counter()
            _run_local([binary, "merge", *paths, "--out", model, "--quiet"], "merge")
            report.seconds["merge"] = time.perf_counter() - started
            for path in paths:
                os.remove(path)
        model_name = _ship(sc, os.path.abspath(model), work)
        report.model_path = model

        score_flags = flags + ["--format", "jsonl"]
        for k in windows:
            score_flags += ["--window", str(k)]
        scored = lines.mapPartitionsWithIndex(_stage(binary_name, "score", score_flags, model_name))
        scored = scored.persist()
        started = time.perf_counter()
        # One job scores every partition: errors surface here, and the row accounting is complete.
        rows_before, total = {}, 0
        accounts = [json.loads(line) for line in scored.filter(lambda line: line.startswith(_STATS_PREFIX)).collect()]
        for account in sorted(accounts, key=lambda account: account["partition"]):
            report.add(account[_STATS_FIELD])
            report.add_stages("score", account[_STATS_FIELD])
            rows_before[account["partition"]] = total
            total += account["rows"]
        report.seconds["score"] = time.perf_counter() - started
        staged.unpersist()
        started = time.perf_counter()
        renumbered = scored.mapPartitionsWithIndex(_renumber(rows_before))
        result = spark.read.schema(_schema(key_cols, windows)).json(renumbered).persist()
        result.count()
        scored.unpersist()
        report.seconds["number"] = time.perf_counter() - started
        return result
    except BaseException:
        staged.unpersist()  # a failed job leaves nothing cached
        if scored is not None:
            scored.unpersist()
        raise


_SHIPPED_TO: set = set()


def _ship_package(sc, work: str) -> None:
    """Makes this package importable in the executors' Python workers (once per context):
    the task functions below are pickled by reference to it."""
    if id(sc) in _SHIPPED_TO:
        return
    package = os.path.dirname(os.path.abspath(__file__))
    archive = shutil.make_archive(os.path.join(work, "seqhunt_spark"), "zip",
                                  root_dir=os.path.dirname(package), base_dir=os.path.basename(package))
    sc.addPyFile(archive)
    _SHIPPED_TO.add(id(sc))


_SHIPPED_FILES: dict = {}


def _ship(sc, path: str, work: str) -> str:
    """Adds ``path`` to the files every executor gets, under a name unique to its content, and
    returns the name. A file already shipped to this context (same path, size and modification
    time: the binary, hunt after hunt) is not copied again."""
    info = os.stat(path)
    key = (id(sc), os.path.realpath(path), info.st_size, info.st_mtime_ns)
    if key in _SHIPPED_FILES:
        return _SHIPPED_FILES[key]
    name = f"{uuid.uuid4().hex}-{os.path.basename(path)}"
    copy = os.path.join(work, name)
    shutil.copyfile(path, copy)
    shutil.copymode(path, copy)
    sc.addFile(copy)
    _SHIPPED_FILES[key] = name
    return name


def _stage(binary_name: str, stage: str, flags: list, model_name: str | None = None):
    """The function a task runs on its partition: stream the events to ``seqhunt`` and yield
    what it gives back (train: one ``(partition, model bytes, stats)``; score: JSON lines, then
    one line of row accounting)."""

    def run(index: int, events: Iterator[str]):
        from pyspark import SparkFiles

        first = next(events, None)
        if first is None:
            return  # a partition with no events trains and scores nothing
        binary = SparkFiles.get(binary_name)
        mode = os.stat(binary).st_mode
        if not mode & stat.S_IXUSR:
            os.chmod(binary, mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
        with tempfile.TemporaryDirectory(prefix="seqhunt-task-") as scratch:
            stats_path = os.path.join(scratch, "stats.json")
            out_path = os.path.join(scratch, "out")
            command = [binary, stage, "-", "--quiet", "--stats", stats_path]
            if stage == "train":
                command += ["--model-out", "-"]
            else:
                command += ["--model", SparkFiles.get(model_name), "--out", "-"]
            command += flags
            with open(out_path, "wb") as out, open(os.path.join(scratch, "err"), "w+b") as err:
                process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=out, stderr=err)
                try:
                    _feed(process.stdin, first, events)
                except BrokenPipeError:
                    pass  # seqhunt stopped reading: its exit status and message say why
                finally:
                    try:
                        process.stdin.close()
                    except BrokenPipeError:
                        pass
                status = process.wait()
                if status != 0:
                    err.seek(0)
                    raise SeqHuntTaskError(_failure(stage, index, status, err.read()))
            if stage == "train":
                with open(out_path, "rb") as model, open(stats_path, encoding="utf-8") as stats:
                    yield index, model.read(), json.load(stats)
            else:
                rows = 0
                with open(out_path, encoding="utf-8") as scores:
                    for line in scores:
                        rows += 1
                        yield line.rstrip("\n")
                with open(stats_path, encoding="utf-8") as stats:
                    yield json.dumps({_STATS_FIELD: json.load(stats), "partition": index, "rows": rows})

    return run


def _feed(pipe, first: str, events: Iterator[str], batch: int = 4096) -> None:
    """Writes JSON Lines to ``pipe`` in batches (one write per few thousand events)."""
    buffer = [first]
    for line in events:
        buffer.append(line)
        if len(buffer) >= batch:
            pipe.write(("\n".join(buffer) + "\n").encode("utf-8"))
            buffer.clear()
    if buffer:
        pipe.write(("\n".join(buffer) + "\n").encode("utf-8"))


def _failure(stage: str, index: int | None, status: int, stderr: bytes) -> str:
    """SeqHunt's one-line error, or how the process ended when it printed none; `index` is the
    partition, or `None` for a step on the driver."""
    lines = [line for line in stderr.decode("utf-8", "replace").splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("seqhunt: error:")]
    if errors:
        said = errors[-1]
    elif status < 0:
        said = f"seqhunt was killed by signal {-status}"
    else:
        said = lines[-1] if lines else f"seqhunt exited with status {status}"
    where = "" if index is None else f" on partition {index}"
    return f"seqhunt {stage} failed{where} (exit {status}): {said}"


def _run_local(command: list, stage: str) -> None:
    result = subprocess.run(command, capture_output=True)
    if result.returncode != 0:
        raise SeqHuntTaskError(_failure(stage, None, result.returncode, result.stderr))


def _schema(key_cols: list, windows: list):
    """The scores' columns as ``seqhunt score --format jsonl`` writes them."""
    from pyspark.sql import types as T

    text = T.StringType()
    names = T.ArrayType(T.StringType())
    columns = [T.StructField("session_id", T.LongType())]
    columns += [T.StructField(k, text) for k in key_cols]
    columns += [T.StructField("begin", text), T.StructField("end", text),
                T.StructField("duration", T.DoubleType()), T.StructField("nCmds", T.LongType()),
                T.StructField("nDistinctCmds", T.LongType()), T.StructField("cmds", names),
                T.StructField("params", text), T.StructField("session", names),
                T.StructField("likelihood", T.DoubleType()), T.StructField("log_likelihood", T.DoubleType()),
                T.StructField("geomean_likelihood", T.DoubleType())]
    for k in windows:
        w = f"rarest_window{k}"
        columns += [T.StructField(f"{w}_likelihood", T.DoubleType()),
                    T.StructField(f"{w}_log_likelihood", T.DoubleType()),
                    T.StructField(f"{w}_index", T.LongType()), T.StructField(w, names),
                    T.StructField(f"{w}_events", text), T.StructField(f"{w}_reason", text)]
    return T.StructType(columns)


def _renumber(rows_before: dict):
    """The function that gives each partition's sessions one machine's numbers: ``session_id``
    (the first field seqhunt writes) plus the rows of the partitions before; the row accounting
    lines are dropped."""

    def renumber(index: int, lines: Iterator[str]):
        offset = rows_before.get(index, 0)
        for line in lines:
            if line.startswith(_STATS_PREFIX):
                continue
            if not line.startswith(_ID_PREFIX):
                raise SeqHuntTaskError(f"seqhunt score wrote a row that does not start with session_id: {line[:80]!r}")
            comma = line.index(",", len(_ID_PREFIX))
            yield _ID_PREFIX + str(int(line[len(_ID_PREFIX):comma]) + offset) + line[comma:]

    return renumber
