#!/usr/bin/env python3
"""Write the golden files that SeqHunt's parity tests compare against (docs/SPEC.md §11).

The reference is msticpy 3.0.2 (``msticpy.analysis.anomalous_sequence``). Run from the repo root:

    perf/setup-venv.sh
    perf/.venv/bin/python perf/make_golden.py [--shared ../shared] [--out Tests/Golden]

Two data sets are written:

* ``demo``: ``<shared>/data/demo_exchange_data.csv`` sessionized by msticpy's ``sessionize_data``
  (keys UserId + ClientIP, 20 min sessions, 2 min gaps), in the order msticpy returns.
* ``generated``: a seeded synthetic Exchange-admin data set built directly as sessions, with the
  edge cases the engine must get right (short sessions, events without parameters, empty values,
  a duplicated parameter name, commands seen once, parameters on both sides of the "modellable"
  heuristic's boundaries, and a ~3000-command session whose likelihood underflows to 0.0).

For each data set ``<name>`` the out dir gets:

* ``<name>.sessions.jsonl``   the sessions in docs/SPEC.md §9 "sessions in" format;
* ``<name>.scores.jsonl``     one line per (type, tokens): msticpy's session likelihoods, a
                              log-space session log likelihood, geo-mean likelihoods and the
                              rarest-window scores and indices for window lengths 1-4. Per
                              window length and session: ``likelihood`` = msticpy's minimum
                              (null if the session has no window), ``min_indices`` = the window
                              starts whose likelihood == that minimum, ``near_min_indices`` = those
                              within 1e-12 of it in log space (docs/SPEC.md §5 ties; msticpy multiplies in
                              window order, so equal windows can differ by an ulp); ``_geo``
                              variants for use_geo_mean=True;
* ``<name>.paramsets.jsonl``  msticpy's ``compute_setof_params_cond_cmd`` for params/values types;
* ``<name>.model.json``       the trained values-type model (probabilities), for debugging.

The interpreter is re-executed with PYTHONHASHSEED=0: msticpy's params type multiplies the
parameter factors in the iteration order of Python sets of strings, which depends on the hash
seed, so without a fixed seed the last bits of some scores would change from run to run.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import sys
import time
from pathlib import Path

# Reproducible set iteration order inside msticpy (see the module docstring): the hash seed is
# fixed at interpreter start, so re-run the script under PYTHONHASHSEED=0 (not when imported).
if __name__ == "__main__" and os.environ.get("PYTHONHASHSEED") != "0":
    os.environ["PYTHONHASHSEED"] = "0"
    os.execv(sys.executable, [sys.executable, *sys.argv])

# pylint: disable=wrong-import-position
import pandas as pd  # noqa: E402
from msticpy.analysis.anomalous_sequence.model import Model  # noqa: E402
from msticpy.analysis.anomalous_sequence.sessionize import sessionize_data  # noqa: E402
from msticpy.analysis.anomalous_sequence.utils import (  # noqa: E402
    cmds_only,
    cmds_params_only,
    cmds_params_values,
)
from msticpy.analysis.anomalous_sequence.utils.data_structures import (  # noqa: E402
    Cmd,
    StateMatrix,
)

REPO_ROOT = Path(__file__).resolve().parent.parent
TYPES = ("cmds", "params", "values")
WINDOW_LENS = (1, 2, 3, 4)
KEY_COLS = ("UserId", "ClientIP")

# The brief's parity tolerance, and the smallest product we trust as a normal double.
REL_TOL = 1e-9
NORMAL_FLOOR = 1e-300
# docs/SPEC.md §5 tie rule: windows within this distance in log space count as tied.
TIE_LOG_TOL = 1e-12

# Facts about the demo data set documented in ../shared/data/README.md.
DEMO_SESSIONS = 400
DEMO_MODELLABLE = 21
DEMO_RAREST3_WINDOW = ["New-Mailbox", "Set-Mailbox"]
DEMO_RAREST3_LIKELIHOOD = 2.1190391428910476e-05

GENERATED_SEED = 20200501


# --------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------


def num(value) -> float | None:
    """Return a msticpy score as a JSON-ready float (None for NaN/None)."""
    if value is None:
        return None
    value = float(value)
    return None if math.isnan(value) else value


def dumps(obj) -> str:
    """Compact JSON; floats use repr (round-trip exact); NaN/inf are an error."""
    return json.dumps(obj, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def iso_utc(ts: pd.Timestamp) -> str:
    """ISO 8601 UTC with 'Z'; fractional seconds only when present (trailing zeros dropped)."""
    ts = pd.Timestamp(ts).tz_convert("UTC")
    text = ts.strftime("%Y-%m-%dT%H:%M:%S")
    nanos = ts.microsecond * 1000 + ts.nanosecond
    if nanos:
        text += ("." + f"{nanos:09d}").rstrip("0")
    return text + "Z"


def params_dict(pairs: list[dict]) -> dict:
    """Name/Value list -> dict, built in order, so a duplicated name keeps its last value."""
    return {pair["Name"]: pair["Value"] for pair in pairs}


def to_msticpy(session: dict, stype: str) -> list:
    """One golden session -> the msticpy session of a type, as msticpy's demo notebook does."""
    if stype == "cmds":
        return list(session["cmds"])
    result = []
    for event in session["params"]:
        ((name, pairs),) = event.items()
        pars = params_dict(pairs)
        result.append(Cmd(name=name, params=set(pars) if stype == "params" else pars))
    return result


def plain(obj):
    """StateMatrix (possibly nested) -> plain dicts of floats."""
    if isinstance(obj, StateMatrix):
        obj = obj.states
    if isinstance(obj, dict):
        return {key: plain(val) for key, val in obj.items()}
    return float(obj)


# --------------------------------------------------------------------------------------------
# Data set 1: the demo CSV, sessionized by msticpy
# --------------------------------------------------------------------------------------------


def demo_sessions(shared: Path) -> list[dict]:
    """Sessionize the demo CSV with msticpy; return golden sessions in msticpy's order."""
    csv_path = shared / "data" / "demo_exchange_data.csv"
    data = pd.read_csv(csv_path)  # empty UserId/ClientIP cells become NaN, as in the notebook
    # One event column holding {Operation: [Name/Value pairs]} so that a single sessionize keeps
    # the commands and their parameters together, in msticpy's (stable) time order.
    data["cmd_params"] = [
        {operation: json.loads(params)}
        for operation, params in zip(data["Operation"], data["Parameters"])
    ]
    sessions_df = sessionize_data(
        data=data,
        user_identifier_cols=list(KEY_COLS),
        time_col="TimeGenerated",
        max_session_time_mins=20,
        max_event_separation_mins=2,
        event_col="cmd_params",
    )

    # Cross-check: sessionizing the plain Operation column gives the same command lists.
    ops_df = sessionize_data(
        data=data,
        user_identifier_cols=list(KEY_COLS),
        time_col="TimeGenerated",
        max_session_time_mins=20,
        max_event_separation_mins=2,
        event_col="Operation",
    )

    sessions = []
    for row, ops in zip(sessions_df.itertuples(index=False), ops_df["Operation_list"]):
        events = list(row.cmd_params_list)
        cmds = [next(iter(event)) for event in events]
        assert cmds == list(ops), "Operation and cmd_params sessionize differently"
        for event in events:
            for pair in next(iter(event.values())):
                assert isinstance(pair["Name"], str) and isinstance(pair["Value"], str)
        sessions.append(
            {
                # msticpy gives NaN for a missing key; the golden format uses "".
                "UserId": "" if pd.isna(row.UserId) else str(row.UserId),
                "ClientIP": "" if pd.isna(row.ClientIP) else str(row.ClientIP),
                "begin": iso_utc(row.TimeGenerated_min),
                "end": iso_utc(row.TimeGenerated_max),
                "cmds": cmds,
                "params": events,
            }
        )
    return sessions


# --------------------------------------------------------------------------------------------
# Data set 2: generated sessions
# --------------------------------------------------------------------------------------------

EXTERNAL_ADDRS = [
    "smtp:archive@protonmail.example",
    "smtp:jdoe.backup@gmail.example",
    "smtp:finance-team@outlook.example",
    "smtp:ceo.office@yahoo.example",
    "smtp:payables@contoso-partner.example",
]
STAFF = [
    "CONTOSO\\jdoe",
    "CONTOSO\\asmith",
    "CONTOSO\\bwilson",
    "CONTOSO\\helpdesk",
    "CONTOSO\\svc-backup",
    "CONTOSO\\mgarcía",  # non-ASCII on purpose
    "CONTOSO\\lchen",
    "CONTOSO\\\"quoted\"",  # a quote and a backslash in a value, on purpose
]
RULE_NAMES = ["Forward all", "Move RSS", ".", "Delete alerts", "Überweisung", "Archive"]
TRANSPORT_RULES = ["Block EXE", "Journal Finance", "External tag", "Redirect CEO"]
ROLES = ["Mail Recipients", "Mailbox Import Export", "Organization Management"]


def gen_guid(rng: random.Random) -> str:
    """A GUID-shaped string drawn from the seeded generator (not uuid4: that is unseeded)."""
    hexes = f"{rng.getrandbits(128):032x}"
    return f"{hexes[:8]}-{hexes[8:12]}-{hexes[12:16]}-{hexes[16:20]}-{hexes[20:]}"


def pick_params(rng: random.Random, spec: list[tuple[str, float, object]]) -> list[dict]:
    """Each (name, probability, value-or-callable) goes in with that probability."""
    pairs = []
    for name, prob, value in spec:
        if rng.random() < prob:
            pairs.append({"Name": name, "Value": value() if callable(value) else value})
    return pairs


def cmd_params(cmd: str, rng: random.Random) -> list[dict]:
    """Typical parameters of a cmdlet. Identity-like values are unique; flags use small pools."""
    guid = lambda: gen_guid(rng)  # noqa: E731
    choice = lambda pool: (lambda: rng.choice(pool))  # noqa: E731
    tf = choice(["True", "False"])
    specs = {
        "Get-Mailbox": [
            ("Identity", 0.7, guid),
            ("ResultSize", 0.4, choice(["Unlimited", "1000"])),
        ],
        "Set-Mailbox": [
            ("Identity", 1.0, guid),
            # "" = forwarding cleared; an empty value counts as unseen (scores as UNK)
            ("ForwardingSmtpAddress", 0.35, choice([*EXTERNAL_ADDRS, ""])),
            ("DeliverToMailboxAndForward", 0.35, tf),
            ("AuditEnabled", 0.2, tf),
            ("LitigationHoldEnabled", 0.15, tf),
        ],
        "Add-MailboxPermission": [
            ("Identity", 1.0, guid),
            ("User", 1.0, choice(STAFF)),
            ("AccessRights", 1.0, choice(["FullAccess", "SendAs", "ReadPermission"])),
            ("InheritanceType", 0.6, choice(["All", "SelfAndChildren"])),
            ("AutoMapping", 0.5, tf),
        ],
        "Remove-MailboxPermission": [
            ("Identity", 1.0, guid),
            ("User", 1.0, choice(STAFF)),
            ("AccessRights", 1.0, choice(["FullAccess", "SendAs"])),
            ("Confirm", 0.8, "False"),
        ],
        "New-InboxRule": [
            ("Name", 1.0, choice(RULE_NAMES)),
            ("Mailbox", 0.9, guid),
            ("ForwardTo", 0.4, choice(EXTERNAL_ADDRS)),
            ("DeleteMessage", 0.3, "True"),
            ("MarkAsRead", 0.3, "True"),
            ("SubjectContainsWords", 0.3, choice(["invoice", "payment", "password", "alert"])),
        ],
        "Set-InboxRule": [
            ("Identity", 1.0, guid),
            ("Enabled", 0.8, tf),
            ("Name", 0.3, choice(RULE_NAMES)),
        ],
        "Remove-InboxRule": [("Identity", 1.0, guid), ("Confirm", 0.7, "False")],
        "Get-InboxRule": [("Mailbox", 0.6, guid)],
        "New-TransportRule": [
            ("Name", 1.0, choice(TRANSPORT_RULES)),
            ("Priority", 0.7, choice(["0", "1", "2", "3"])),
            ("Mode", 0.8, choice(["Enforce", "Audit"])),
            ("SentToScope", 0.6, choice(["InOrganization", "NotInOrganization"])),
            ("RedirectMessageTo", 0.2, choice(EXTERNAL_ADDRS)),
            ("Enabled", 0.5, tf),
        ],
        "Set-TransportRule": [
            ("Identity", 1.0, choice(TRANSPORT_RULES)),
            ("Enabled", 0.9, tf),
        ],
        "Set-User": [
            ("Identity", 1.0, guid),
            ("Department", 0.4, choice(["Finance", "IT", "Sales", "HR"])),
            ("Title", 0.2, lambda: f"Title {rng.randrange(1000)}"),
        ],
        "Set-CASMailbox": [
            ("Identity", 1.0, guid),
            ("OWAEnabled", 0.5, tf),
            ("PopEnabled", 0.5, tf),
            ("ImapEnabled", 0.5, tf),
        ],
        "New-ManagementRoleAssignment": [
            ("Role", 1.0, choice(ROLES)),
            ("User", 1.0, choice(STAFF)),
        ],
        "Set-AdminAuditLogConfig": [
            ("AdminAuditLogEnabled", 0.8, tf),
            ("UnifiedAuditLogIngestionEnabled", 0.6, tf),
            # a switch: present, but its value is always empty -> never modellable
            ("Force", 1.0, ""),
        ],
        "Set-OwaMailboxPolicy": [
            ("Identity", 1.0, "OwaMailboxPolicy-Default"),
            ("AdditionalStorageProvidersAvailable", 0.7, tf),
            ("Force", 0.8, ""),
        ],
        # never has parameters
        "Get-TransportRule": [],
        "Get-OrganizationConfig": [],
        # rare commands (each used exactly once)
        "New-ComplianceSearch": [("Name", 1.0, "Search 1"), ("ExchangeLocation", 1.0, "All")],
        "Export-MailboxDiagnosticLogs": [("Identity", 1.0, guid)],
        "Set-MailboxJunkEmailConfiguration": [],
    }
    return pick_params(rng, specs[cmd])


# Typical admin chores: each session is a few of these strung together (with a little noise).
CHORES = [
    ["Get-Mailbox", "Set-Mailbox"],
    ["Get-Mailbox", "Set-Mailbox", "Set-Mailbox"],
    ["Get-Mailbox", "Add-MailboxPermission"],
    ["Add-MailboxPermission", "Remove-MailboxPermission"],
    ["Get-InboxRule", "New-InboxRule", "Set-InboxRule"],
    ["Get-InboxRule", "Remove-InboxRule"],
    ["Get-TransportRule", "New-TransportRule", "Set-TransportRule"],
    ["Set-User", "Set-Mailbox", "Set-CASMailbox"],
    ["New-ManagementRoleAssignment"],
    ["Get-OrganizationConfig", "Set-AdminAuditLogConfig"],
    ["Set-OwaMailboxPolicy"],
]
NOISE_CMDS = ["Get-Mailbox", "Set-Mailbox", "Set-User", "Get-OrganizationConfig", "Get-InboxRule"]
RARE_CMDS = [
    "New-ComplianceSearch",
    "Export-MailboxDiagnosticLogs",
    "Set-MailboxJunkEmailConfiguration",
]

# (UserId, ClientIP) pools: a few admins, a service account, and a system account with no IP.
ACCOUNTS = [
    ("admin@contoso.onmicrosoft.com", ["40.114.117.193:50414", "40.114.117.193:28421"]),
    ("helpdesk@contoso.onmicrosoft.com", ["52.225.129.38:43510", "[2603:1036:302:4091::5]:51902"]),
    ("secops@contoso.onmicrosoft.com", ["52.229.51.154:3633"]),
    ("NT AUTHORITY\\SYSTEM (w3wp)", [""]),
    ("", [""]),
]
AUTOMATION = ("svc-exo-automation@contoso.onmicrosoft.com", "13.64.0.10:443")

N_SESSIONS = 300
LONG_SESSION_LEN = 3000
START = pd.Timestamp("2020-05-01T00:00:00Z")


def session_cmds(rng: random.Random, length: int) -> list[str]:
    """A session of `length` commands built from chores, with ~10% random substitutions."""
    cmds: list[str] = []
    while len(cmds) < length:
        cmds.extend(rng.choice(CHORES))
    cmds = cmds[:length]
    return [rng.choice(NOISE_CMDS) if rng.random() < 0.1 else cmd for cmd in cmds]


def make_session(key: tuple[str, str], begin: pd.Timestamp, cmds: list[str], gaps, rng) -> dict:
    """Golden session from a key, a begin time, the commands and a gap generator (seconds)."""
    end = begin
    for _ in cmds[1:]:
        end = end + pd.Timedelta(seconds=gaps())
    return {
        "UserId": key[0],
        "ClientIP": key[1],
        "begin": iso_utc(begin),
        "end": iso_utc(end),
        "cmds": cmds,
        "params": [{cmd: cmd_params(cmd, rng)} for cmd in cmds],
    }


def generated_sessions() -> list[dict]:
    """The seeded synthetic data set (see module docstring for what it is meant to cover)."""
    rng = random.Random(GENERATED_SEED)
    sessions = []
    # Fixed short lengths first so lengths 1, 2 and 3 are surely present, then a spread.
    lengths = [1] * 45 + [2] * 40 + [3] * 30 + [rng.randint(4, 30) for _ in range(N_SESSIONS - 116)]
    rng.shuffle(lengths)
    for length in lengths:
        user, ips = rng.choice(ACCOUNTS)
        begin = START + pd.Timedelta(seconds=rng.randrange(14 * 86400))
        cmds = session_cmds(rng, length)
        key = (user, rng.choice(ips))
        sessions.append(make_session(key, begin, cmds, lambda: rng.randint(1, 90), rng))

    # Commands seen exactly once: one as a whole length-1 session, two inside longer sessions.
    one_cmd = [i for i, ses in enumerate(sessions) if len(ses["cmds"]) == 1]
    longer = [i for i, ses in enumerate(sessions) if len(ses["cmds"]) >= 5]
    for rare, idx in zip(RARE_CMDS, [one_cmd[0], longer[0], longer[1]]):
        pos = 0 if len(sessions[idx]["cmds"]) == 1 else 2
        sessions[idx]["cmds"][pos] = rare
        sessions[idx]["params"][pos] = {rare: cmd_params(rare, rng)}

    # The automation account's ~3000-command session (Get/Set-Mailbox loop, sub-second gaps with
    # fractional-second timestamps), so that msticpy's likelihood product underflows to 0.0.
    loop = ["Get-Mailbox", "Set-Mailbox"] * (LONG_SESSION_LEN // 2)
    for i in range(0, LONG_SESSION_LEN, 97):
        loop[i] = "Set-CASMailbox"
    begin = START + pd.Timedelta(days=3, hours=2, milliseconds=250)
    long_session = make_session(AUTOMATION, begin, loop, lambda: rng.choice([0.25, 0.5, 0.75]), rng)
    sessions.insert(rng.randrange(len(sessions)), long_session)

    # Parameters placed on Set-Mailbox events to sit exactly on the modellable heuristic's
    # boundaries (distinct <= 20, count >= 20, 100 * distinct / count <= 10):
    set_mailbox = [
        pair_list
        for ses in sessions
        for event in ses["params"]
        for name, pair_list in event.items()
        if name == "Set-Mailbox"
    ]
    boundary = [
        ("RetainDeletedItemsFor", 200, 20),  # 20 distinct / 200 = 10%: modellable (edge)
        ("HiddenFromAddressListsEnabled", 20, 2),  # count 20, 10%: modellable (edge)
        ("IssueWarningQuota", 19, 1),  # count 19: not modellable
        ("ProhibitSendQuota", 210, 21),  # 21 distinct: not modellable
    ]
    for name, count, distinct in boundary:
        for j, pair_list in enumerate(rng.sample(set_mailbox, count)):
            pair_list.append({"Name": name, "Value": f"{name}-{j % distinct}"})

    # One event with a duplicated parameter name: the last value wins ("True").
    dup_event = next(
        pairs
        for ses in sessions
        if len(ses["cmds"]) < 50
        for event in ses["params"]
        for name, pairs in event.items()
        if name == "Set-Mailbox"
        and not any(pair["Name"] == "DeliverToMailboxAndForward" for pair in pairs)
    )
    dup_event.append({"Name": "DeliverToMailboxAndForward", "Value": "False"})
    dup_event.append({"Name": "DeliverToMailboxAndForward", "Value": "True"})
    return sessions


# --------------------------------------------------------------------------------------------
# Scoring with msticpy
# --------------------------------------------------------------------------------------------


class Scorer:
    """A trained msticpy Model of one type plus helpers that call msticpy's module functions."""

    def __init__(self, sessions: list[dict], stype: str):
        self.stype = stype
        self.sessions = [to_msticpy(ses, stype) for ses in sessions]
        self.model = Model(self.sessions)
        self.model.train()

    # -- msticpy's own per-window likelihoods -------------------------------------------------

    def window_likelihoods(self, session, window_len, tokens, geo) -> list[float]:
        """msticpy's compute_likelihood_windows_in_session for this type."""
        m = self.model
        common = {
            "session": session,
            "prior_probs": m.prior_probs,
            "trans_probs": m.trans_probs,
            "window_len": window_len,
            "use_start_end_tokens": tokens,
            "start_token": m.start_token,
            "end_token": m.end_token,
            "use_geo_mean": geo,
        }
        if self.stype == "cmds":
            return cmds_only.compute_likelihood_windows_in_session(**common)
        if self.stype == "params":
            return cmds_params_only.compute_likelihood_windows_in_session(
                param_cond_cmd_probs=m.param_cond_cmd_probs, **common
            )
        return cmds_params_values.compute_likelihood_windows_in_session(
            param_cond_cmd_probs=m.param_cond_cmd_probs,
            value_cond_param_probs=m.value_cond_param_probs,
            modellable_params=m.modellable_params,
            **common,
        )

    # -- the session likelihood in log space ---------------------------------------------------

    def param_factor(self, cmd) -> float:
        """msticpy's parameter factor of one event (geo mean, as compute_likelihood_window uses)."""
        m = self.model
        if self.stype == "cmds":
            return 1.0
        if self.stype == "params":
            return cmds_params_only.compute_prob_setofparams_given_cmd(
                cmd=cmd.name,
                params=cmd.params,
                param_cond_cmd_probs=m.param_cond_cmd_probs,
                use_geo_mean=True,
            )
        return cmds_params_values.compute_prob_setofparams_given_cmd(
            cmd=cmd.name,
            params_with_vals=cmd.params,
            param_cond_cmd_probs=m.param_cond_cmd_probs,
            value_cond_param_probs=m.value_cond_param_probs,
            modellable_params=m.modellable_params,
            use_geo_mean=True,
        )

    def session_log_likelihood(self, session, tokens: bool) -> float:
        """compute_likelihood_window over the whole session, summing logs instead of multiplying."""
        m = self.model
        names = session if self.stype == "cmds" else [cmd.name for cmd in session]
        first = m.trans_probs[m.start_token][names[0]] if tokens else m.prior_probs[names[0]]
        log_lik = math.log(first) + math.log(self.param_factor(session[0]))
        for i in range(1, len(session)):
            log_lik += math.log(m.trans_probs[names[i - 1]][names[i]])
            log_lik += math.log(self.param_factor(session[i]))
        if tokens:
            log_lik += math.log(m.trans_probs[names[-1]][m.end_token])
        return log_lik

    # -- one scores line -----------------------------------------------------------------------

    def scores(self, tokens: bool, stats: dict) -> dict:
        """Everything for one (type, tokens) line of <name>.scores.jsonl."""
        m = self.model
        m.compute_likelihoods_of_sessions(use_start_end_tokens=tokens)
        m.compute_geomean_lik_of_sessions()
        likelihood = [num(x) for x in m.session_likelihoods]
        geomean = [num(x) for x in m.session_geomean_likelihoods]
        log_likelihood = [self.session_log_likelihood(ses, tokens) for ses in self.sessions]

        for lik, log_lik in zip(likelihood, log_likelihood):
            if lik >= NORMAL_FLOOR:
                assert abs(math.exp(log_lik) - lik) <= REL_TOL * lik, (self.stype, lik, log_lik)
            elif lik == 0.0:
                stats["underflow_to_zero"] += 1
                assert log_lik < math.log(5e-324), (self.stype, log_lik)
            else:
                stats["below_1e-300"] += 1

        windows = {}
        for window_len in WINDOW_LENS:
            entry = {}
            for geo, suffix in ((False, ""), (True, "_geo")):
                mins, indices, near_indices = [], [], []
                for ses in self.sessions:
                    liks = self.window_likelihoods(ses, window_len, tokens, geo)
                    if not liks:  # session too short for this window: no score
                        mins.append(None)
                        indices.append([])
                        near_indices.append([])
                        continue
                    low = min(liks)
                    tied = [j for j, lik in enumerate(liks) if lik == low]
                    # Windows with the same factors in another order differ from the minimum by
                    # an ulp or so; docs/SPEC.md §5 counts them as tied (within 1e-12 in log space).
                    near = [
                        j
                        for j, lik in enumerate(liks)
                        if abs(math.log(lik) - math.log(low)) <= TIE_LOG_TOL
                    ]
                    mins.append(num(low))
                    indices.append(tied)
                    near_indices.append(near)
                    stats["exact_ties"] += len(tied) > 1
                    if len(near) > len(tied):
                        stats["near_ties"] += 1
                        stats["near_tie_earlier"] += near[0] < tied[0]
                # msticpy's own rarest-window pass must give the same minimum
                m.compute_rarest_windows(window_len, use_start_end_tokens=tokens, use_geo_mean=geo)
                theirs = m.rare_window_likelihoods_geo if geo else m.rare_window_likelihoods
                assert [num(x) for x in theirs[window_len]] == mins, (self.stype, window_len, geo)
                entry["likelihood" + suffix] = mins
                entry["min_indices" + suffix] = indices
                entry["near_min_indices" + suffix] = near_indices
            windows[str(window_len)] = {
                key + suffix: entry[key + suffix]
                for key in ("likelihood", "min_indices", "near_min_indices")
                for suffix in ("", "_geo")
            }

        return {
            "type": self.stype,
            "tokens": tokens,
            "modellable_params": sorted(m.modellable_params) if self.stype == "values" else None,
            "likelihood": likelihood,
            "log_likelihood": log_likelihood,
            "geomean_likelihood": geomean,
            "windows": windows,
        }

    def paramsets(self, geo: bool) -> dict:
        """compute_setof_params_cond_cmd, keys as sorted lists, rows sorted by (cmd, key)."""
        self.model.compute_setof_params_cond_cmd(use_geo_mean=geo)
        rows: dict[tuple, float] = {}
        for cmd, sets in self.model.set_params_cond_cmd_probs.items():
            for key, prob in sets.items():
                # msticpy keys by tuple(set), whose order is arbitrary: one set can appear under
                # several orders, always with the same probability.
                sorted_key = (cmd, tuple(sorted(key)))
                assert rows.get(sorted_key, prob) == prob
                rows[sorted_key] = float(prob)
        return {
            "type": self.stype,
            "geo_mean": geo,
            "sets": [{"cmd": c, "key": list(k), "prob": p} for (c, k), p in sorted(rows.items())],
        }

    def model_json(self) -> dict:
        """The trained values-type model's probabilities (debugging aid)."""
        m = self.model
        return {
            "modellable_params": sorted(m.modellable_params),
            "start_token": m.start_token,
            "end_token": m.end_token,
            "unk_token": m.unk_token,
            "prior_probs": plain(m.prior_probs),
            "trans_probs": plain(m.trans_probs),
            "param_cond_cmd_probs": plain(m.param_cond_cmd_probs),
            # value probabilities only for the parameters whose values are modelled
            "value_cond_param_probs": {
                p: plain(m.value_cond_param_probs[p]) for p in sorted(m.modellable_params)
            },
        }


# --------------------------------------------------------------------------------------------
# Driver
# --------------------------------------------------------------------------------------------


def write_lines(path: Path, objs) -> None:
    """Write JSON Lines."""
    with path.open("w", encoding="utf-8", newline="\n") as out:
        for obj in objs:
            out.write(dumps(obj) + "\n")


def write_golden(name: str, sessions: list[dict], out_dir: Path) -> dict:
    """Train msticpy on `sessions` for every type and write the four golden files."""
    stats = dict.fromkeys(
        ["underflow_to_zero", "below_1e-300", "exact_ties", "near_ties", "near_tie_earlier"], 0
    )
    write_lines(out_dir / f"{name}.sessions.jsonl", sessions)

    scores, paramsets, scorers = [], [], {}
    for stype in TYPES:
        scorer = scorers[stype] = Scorer(sessions, stype)
        for tokens in (True, False):
            scores.append(scorer.scores(tokens, stats))
        if stype != "cmds":
            paramsets.extend(scorer.paramsets(geo) for geo in (False, True))
    write_lines(out_dir / f"{name}.scores.jsonl", scores)
    write_lines(out_dir / f"{name}.paramsets.jsonl", paramsets)
    with (out_dir / f"{name}.model.json").open("w", encoding="utf-8") as out:
        out.write(dumps(scorers["values"].model_json()) + "\n")

    cmds_on = next(s for s in scores if s["type"] == "cmds" and s["tokens"])
    win3 = cmds_on["windows"]["3"]
    rarest = min(
        (lik, i) for i, lik in enumerate(win3["likelihood"]) if lik is not None
    )
    first_index = win3["min_indices"][rarest[1]][0]
    return {
        "sessions": len(sessions),
        "events": sum(len(s["cmds"]) for s in sessions),
        "longest": max(len(s["cmds"]) for s in sessions),
        "modellable": sorted(scorers["values"].model.modellable_params),
        "rarest3": {
            "session": rarest[1],
            "window": sessions[rarest[1]]["cmds"][first_index : first_index + 3],
            "likelihood": rarest[0],
        },
        **stats,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=REPO_ROOT.parent / "shared",
                        help="directory holding data/demo_exchange_data.csv (default ../shared)")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "Tests" / "Golden",
                        help="output directory (default Tests/Golden)")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    summaries = {}
    builders = {"demo": lambda: demo_sessions(args.shared), "generated": generated_sessions}
    for name, build in builders.items():
        started = time.perf_counter()
        summaries[name] = write_golden(name, build(), args.out)
        summaries[name]["seconds"] = round(time.perf_counter() - started, 1)

    demo = summaries["demo"]
    assert demo["sessions"] == DEMO_SESSIONS, demo["sessions"]
    assert len(demo["modellable"]) == DEMO_MODELLABLE, demo["modellable"]
    assert demo["rarest3"]["window"] == DEMO_RAREST3_WINDOW, demo["rarest3"]
    assert demo["rarest3"]["likelihood"] == DEMO_RAREST3_LIKELIHOOD, demo["rarest3"]
    assert summaries["generated"]["underflow_to_zero"] > 0, "no session underflowed"

    for name, summ in summaries.items():
        print(f"{name}: {summ['sessions']} sessions, {summ['events']} events "
              f"(longest {summ['longest']}), {summ['seconds']} s")
        print(f"  modellable params ({len(summ['modellable'])}): {', '.join(summ['modellable'])}")
        rare = summ["rarest3"]
        print(f"  rarest window of 3 (cmds, tokens on): session {rare['session']} "
              f"{rare['window']} likelihood {rare['likelihood']!r}")
        print(f"  session likelihoods underflowing to 0.0: {summ['underflow_to_zero']}, "
              f"in (0, 1e-300): {summ['below_1e-300']} (over all types and tokens)")
        print(f"  rarest windows with exact ties: {summ['exact_ties']}; with near ties "
              f"(<= 1e-12 in log, not ==): {summ['near_ties']}, of which an earlier window: "
              f"{summ['near_tie_earlier']}")
    for path in sorted(args.out.glob("*")):
        print(f"  {path.stat().st_size:>9}  {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
