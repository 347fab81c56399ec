#!/usr/bin/env python3
"""A local stand-in for the Azure services `seqhunt query` talks to, for the test suite.

It speaks the documented request and response shapes (built from the public references, not
from SeqHunt's client):

- the Microsoft identity platform's client-credentials flow: POST /{tenant}/oauth2/v2.0/token;
- the instance metadata service's managed identity token: GET /metadata/identity/oauth2/token;
- the Log Analytics query API: POST /v1/workspaces/{id}/query, {"query", "timespan"} in,
  {"tables": [{"name", "columns": [{"name", "type"}], "rows"}]} out, a "PartialError" beside the
  tables when a result is cut at the row limit;
- the Azure Data Explorer REST API: POST /v1/rest/query and /v2/rest/query, {"db", "csl",
  "properties"} in; v1 {"Tables": [...]}, v2 an array of frames ending with DataSetCompletion.

It holds one table of events (OfficeActivity), read from a CSV or JSON Lines file. A query is
answered with that table's rows inside the request's time range, where both ends are taken as
inclusive (the worst case for a client that slices: a row on an edge comes back twice). A query
that sessionizes (the shape `seqhunt kql` prints) is run as Kusto runs it: filters, sort,
row_window_session, summarize make_list, from the parameters written in the query's text.

Faults for the tests are set with POST /control: {"max_rows": N, "faults": [{"status": 429,
"retry_after": "1"}, ...], "malformed": true, "cut": true, "delay": seconds, "expire_after": N
(the token expires after N queries and the token endpoints issue the next one), "partial_code":
CODE (a partial answer's inner error code, E_QUERY_RESULT_SET_TOO_LARGE by default)}. GET /requests
lists what was asked (no header values), with the largest number of requests seen at once.

Usage: query_server.py --events FILE [--token T] [--client-id ID --client-secret S]; prints
"PORT n" once listening on 127.0.0.1.
"""
import argparse, csv, json, os, re, sys, threading, time, urllib.parse, uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TICKS = 10_000_000
EPOCH_DAYS = 719162  # date(1970, 1, 1).toordinal() - 1

def ticks(text):
    """ISO 8601 UTC text to 100 ns ticks since the Unix epoch (7-digit fractions kept)."""
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,7})\d*)?(Z|\+00:00)?", text.strip())
    if not m:
        return None
    import datetime
    y, mo, d, h, mi, s = (int(m.group(i)) for i in range(1, 7))
    days = datetime.date(y, mo, d).toordinal() - EPOCH_DAYS - 1
    fraction = int((m.group(7) or "0").ljust(7, "0"))
    return ((days * 86400 + h * 3600 + mi * 60 + s) * TICKS) + fraction

def iso(t):
    """Ticks to ISO 8601 as Kusto writes a datetime: seven fraction digits only when not zero."""
    import datetime
    seconds, fraction = divmod(t, TICKS)
    text = (datetime.datetime(1970, 1, 1) + datetime.timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%S")
    return text + (".%07d" % fraction if fraction else "") + "Z"

def timespan_ticks(text):
    """A KQL timespan literal: 20m, 90s, 2h, 1d, or time(d.hh:mm:ss.fffffff)."""
    m = re.fullmatch(r"(\d+)([dhms])", text)
    if m:
        return int(m.group(1)) * {"d": 86400, "h": 3600, "m": 60, "s": 1}[m.group(2)] * TICKS
    m = re.fullmatch(r"time\((\d+)\.(\d\d):(\d\d):(\d\d)\.(\d{7})\)", text)
    if m:
        d, h, mi, s, f = (int(g) for g in m.groups())
        return ((d * 86400 + h * 3600 + mi * 60 + s) * TICKS) + f
    raise KustoError("unsupported timespan " + text)

def iso_duration(text):
    """An ISO 8601 duration (PnDTnHnMnS, no years or months) in ticks."""
    m = re.fullmatch(r"P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?", text, re.I)
    if not m:
        return None
    w, d, h, mi, s = m.groups()
    return int((int(w or 0) * 604800 + int(d or 0) * 86400 + int(h or 0) * 3600 + int(mi or 0) * 60 + float(s or 0)) * TICKS)

class KustoError(Exception):
    pass

class Events:
    def __init__(self, path):
        with open(path, newline="", encoding="utf-8") as f:
            if path.endswith(".csv"):
                self.rows = list(csv.DictReader(f))
            else:
                self.rows = [json.loads(line) for line in f if line.strip()]
        self.columns = list(self.rows[0].keys()) if self.rows else []
        for row in self.rows:
            row["_t"] = ticks(row["TimeGenerated"])

    def between(self, low, high):
        """Rows with low <= TimeGenerated <= high: both ends inclusive."""
        return [r for r in self.rows if (low is None or r["_t"] >= low) and (high is None or r["_t"] <= high)]

def kql_string(text):
    m = re.fullmatch(r'"((?:[^"\\]|\\.)*)"', text.strip())
    if not m:
        raise KustoError("expected a string literal: " + text)
    return re.sub(r"\\(.)", r"\1", m.group(1))

def column_name(text):
    text = text.strip()
    m = re.fullmatch(r"\[(\"(?:[^\"\\]|\\.)*\")\]", text)
    return kql_string(m.group(1)) if m else text

def sessionize(query, rows):
    """Runs the sessionizing query `seqhunt kql` prints, line by line, as Kusto would."""
    lines = [l for l in query.split("\n") if l.strip() and not l.startswith("//")]
    text = "\n".join(lines)
    if not re.match(r"(let events = )?OfficeActivity\b", lines[0]):
        raise KustoError("unknown table in: " + lines[0])
    rows = list(rows)
    project = keys = limits = restart = None
    since = until = None
    latest_pending = []
    for line in lines[1:]:
        line = line.strip().rstrip(";")
        if line.startswith("let latest") or line == "events":
            continue
        m = re.fullmatch(r"\| where tostring\((\w+)\) in \((.*)\)", line)
        if m:
            allowed = {kql_string(s) for s in re.findall(r'"(?:[^"\\]|\\.)*"', m.group(2))}
            rows = [r for r in rows if (r.get(m.group(1)) or "") in allowed]
            continue
        m = re.fullmatch(r"\| where tostring\((\w+)\) (!startswith|!contains|!=) (\".*\")", line)
        if m:
            col, op, value = m.group(1), m.group(2), kql_string(m.group(3))
            if op == "!startswith":  # case-insensitive, as KQL's startswith
                rows = [r for r in rows if not (r.get(col) or "").lower().startswith(value.lower())]
            elif op == "!contains":
                rows = [r for r in rows if value.lower() not in (r.get(col) or "").lower()]
            else:
                rows = [r for r in rows if (r.get(col) or "") != value]
            continue
        m = re.fullmatch(r"\| where isnotnull\((\w+)\) and isnotempty\(tostring\((\w+)\)\)", line)
        if m:
            rows = [r for r in rows if r["_t"] is not None and (r.get(m.group(2)) or "") != ""]
            continue
        m = re.fullmatch(r"\| where (\w+) (>=|<) (datetime\((.*)\)|latest - (\S+))", line)
        if m:
            if m.group(4):
                bound = ticks(m.group(4))
            else:
                bound = max(r["_t"] for r in rows) - timespan_ticks(m.group(5)) if rows else 0
            rows = [r for r in rows if (r["_t"] >= bound if m.group(2) == ">=" else r["_t"] < bound)]
            continue
        if line.startswith("| project TimeGenerated"):
            project = line
            pairs = re.findall(r'(\w+|\["(?:[^"\\]|\\.)*"\]) = tostring\(([^)]*)\)', line)
            keys = [column_name(k) for k, _ in pairs[:-1]]
            key_sources = [source for _, source in pairs[:-1]]
            event_source = pairs[-1][1]
            params = re.search(r"params = bag_pack\(tostring\((\w+)\), todynamic\((\w+)\)\)", line)
            continue
        if line.startswith("| sort by") and limits is None:
            continue
        m = re.fullmatch(r"\| extend begin = row_window_session\(TimeGenerated, (\S+), (\S+?)(?:, (.*))?\)", line)
        if m:
            limits = (timespan_ticks(m.group(1)), timespan_ticks(m.group(2)))
            continue
        if line.startswith("| summarize") or line.startswith("| project") or line.startswith("| sort by"):
            continue
        raise KustoError("unsupported line: " + line)
    if project is None or limits is None:
        raise KustoError("not a sessionizing query")
    def key_of(r):
        return tuple(r.get(s) or "" for s in key_sources)
    # sort by keys asc, TimeGenerated asc (ordinal); ties keep table order here.
    rows.sort(key=lambda r: (tuple(k.encode() for k in key_of(r)), r["_t"]))
    sessions = []
    current = None
    for r in rows:
        t = r["_t"]
        if current is None or key_of(r) != current["key"] or t - current["begin"] >= limits[0] or t - current["last"] >= limits[1]:
            current = {"key": key_of(r), "begin": t, "last": t, "cmds": [], "params": []}
            sessions.append(current)
        current["last"] = t
        cmd = r.get(event_source) or ""
        current["cmds"].append(cmd)
        if params:
            raw = r.get(params.group(2))
            try:
                value = json.loads(raw) if isinstance(raw, str) else raw
            except ValueError:
                value = raw
            current["params"].append({cmd: value})
    out = []
    for s in sessions:
        row = list(s["key"]) + [iso(s["begin"]), iso(s["last"]), (s["last"] - s["begin"]) / TICKS,
                                len(s["cmds"]), len(set(s["cmds"])), s["cmds"]]
        if params:
            row.append(s["params"])
        out.append(row)
    columns = [(k, "string") for k in keys] + [("begin", "datetime"), ("end", "datetime"), ("duration", "real"),
               ("nCmds", "long"), ("nDistinctCmds", "long"), ("cmds", "dynamic")]
    if params:
        columns.append(("params", "dynamic"))
    return columns, out

class State:
    def __init__(self, events, token, client_id, client_secret):
        self.events, self.token, self.client_id, self.client_secret = events, token, client_id, client_secret
        self.lock = threading.Lock()
        self.control = {}
        self.requests = []
        self.in_flight = 0
        self.most_in_flight = 0
        self.issued = 0

    def current_token(self):
        with self.lock:
            return self.token

    def count_query(self):
        """After expire_after queries with the current token, it expires and a new one is issued."""
        with self.lock:
            limit = self.control.get("expire_after")
            if limit is None:
                return
            self.issued += 1
            if self.issued >= limit:
                self.issued = 0
                self.token = self.token + "-next"

    def next_fault(self):
        with self.lock:
            faults = self.control.get("faults") or []
            return faults.pop(0) if faults else None

def partial_error(code=None):
    # As the Log Analytics API documents a partial result: the rows it kept, and this beside them.
    return {"message": "Response contains partial results", "code": "PartialError", "correlationId": str(uuid.uuid4()),
            "details": [{"code": "EngineError", "message": "Something went wrong processing your query on the server.",
                         "innererror": {"code": "-2133196797", "message": "Query result set has exceeded the internal record count limit 500000 (E_QUERY_RESULT_SET_TOO_LARGE; see https://aka.ms/kustoquerylimits)" if code is None else "Partial query failure: %s" % code,
                                        "severity": 2, "severityName": "Error"}}]}

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "QueryServer/1"

    def log_message(self, *args):
        pass

    @property
    def state(self):
        return self.server.state

    def send(self, status, body, headers=None, content_type="application/json; charset=utf-8"):
        data = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if self.state.control.get("cut") and status == 200 and self.path.endswith("query"):
            # A body cut in the middle: the length promised, half of it sent, the connection closed.
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data[: len(data) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def do_GET(self):
        parts = urllib.parse.urlsplit(self.path)
        if parts.path == "/requests":
            with self.state.lock:
                return self.send(200, {"requests": self.state.requests, "most_in_flight": self.state.most_in_flight})
        if parts.path == "/metadata/identity/oauth2/token":
            query = urllib.parse.parse_qs(parts.query)
            if self.headers.get("Metadata") != "true":
                return self.send(400, {"error": "invalid_request", "error_description": "Required metadata header not specified"})
            if "resource" not in query:
                return self.send(400, {"error": "invalid_request", "error_description": "Required audience parameter not specified"})
            now = int(time.time())
            return self.send(200, {"access_token": self.state.current_token(), "client_id": str(uuid.uuid4()), "expires_in": "86399",
                                   "expires_on": str(now + 86399), "ext_expires_in": "86399", "not_before": str(now),
                                   "resource": query["resource"][0], "token_type": "Bearer"})
        self.send(404, {"error": {"code": "PathNotFoundError", "message": "The requested path does not exist"}})

    def do_POST(self):
        parts = urllib.parse.urlsplit(self.path)
        raw = self.body()
        if parts.path == "/control":
            with self.state.lock:
                self.state.control = json.loads(raw)
            return self.send(200, {})
        m = re.fullmatch(r"/([^/]+)/oauth2/v2\.0/token", parts.path)
        if m:
            form = urllib.parse.parse_qs(raw.decode())
            if form.get("grant_type") != ["client_credentials"] or "scope" not in form:
                return self.send(400, {"error": "invalid_request", "error_description": "AADSTS900144: The request body must contain the following parameter: 'grant_type'.\r\nTrace ID: 0\r\nCorrelation ID: 0"})
            if form.get("client_id") != [self.state.client_id] or form.get("client_secret") != [self.state.client_secret]:
                return self.send(401, {"error": "invalid_client", "error_description": "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '%s'.\r\nTrace ID: 5b0b\r\nCorrelation ID: 77c1\r\nTimestamp: 2026-11-30 00:00:00Z" % (form.get("client_id") or [""])[0],
                                       "error_codes": [7000215], "timestamp": "2026-11-30 00:00:00Z", "trace_id": "5b0b", "correlation_id": "77c1"})
            return self.send(200, {"token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599, "access_token": self.state.current_token()})
        la = re.fullmatch(r"/v1/workspaces/([^/]+)/query", parts.path)
        adx = re.fullmatch(r"/(v1|v2)/rest/query", parts.path)
        if not la and not adx:
            return self.send(404, {"error": {"code": "PathNotFoundError", "message": "The requested path does not exist"}})
        with self.state.lock:
            self.state.in_flight += 1
            self.state.most_in_flight = max(self.state.most_in_flight, self.state.in_flight)
        try:
            self.query(raw, la, adx)
        finally:
            with self.state.lock:
                self.state.in_flight -= 1

    def query(self, raw, la, adx):
        state = self.state
        request = json.loads(raw)
        record = {"path": urllib.parse.urlsplit(self.path).path, "prefer": self.headers.get("Prefer")}
        if la:
            record.update(query=request.get("query"), timespan=request.get("timespan"))
        else:
            record.update(query=request.get("csl"), db=request.get("db"), properties=request.get("properties"))
        auth = self.headers.get("Authorization") or ""
        record["authorized"] = auth == "Bearer " + state.current_token()
        with state.lock:
            state.requests.append(record)
        delay = state.control.get("delay")
        if delay:
            time.sleep(delay)
        if not auth.startswith("Bearer "):
            return self.send(401, {"error": {"message": "Valid authentication was not provided", "code": "AuthorizationRequiredError",
                                             "correlationId": str(uuid.uuid4())}}, {"WWW-Authenticate": 'Bearer authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize"'})
        if auth != "Bearer " + state.current_token():
            return self.send(403, {"error": {"message": "The provided authentication is not valid for this resource", "code": "InvalidTokenError",
                                             "correlationId": str(uuid.uuid4()), "innererror": {"code": "SignatureVerificationFailed", "message": "The token signature is not valid or the token has expired"}}})
        state.count_query()
        fault = state.next_fault()
        if fault:
            headers = {"Retry-After": fault["retry_after"]} if "retry_after" in fault else {}
            return self.send(fault["status"], {"error": {"message": fault.get("message", "The service is busy"), "code": fault.get("code", "ServiceUnavailable"),
                                                         "correlationId": str(uuid.uuid4())}}, headers)
        if state.control.get("malformed"):
            return self.send(200, b'{"tables":[{"name":"PrimaryResult","columns":[{"name":"TimeGenerated","type":"datetime"}],"rows":[["2020-01-01T00:00:00Z"],[')
        # The time range: Log Analytics' timespan, or Azure Data Explorer's datetime scope.
        low = high = None
        if la and request.get("timespan"):
            start, _, end = request["timespan"].partition("/")
            low, high = ticks(start), ticks(end)
            if high is None and low is not None:
                high = low + iso_duration(end)
        if adx:
            options = (request.get("properties") or {}).get("Options") or {}
            if "query_datetimescope_from" in options:
                low, high = ticks(options["query_datetimescope_from"]), ticks(options["query_datetimescope_to"])
        rows = state.events.between(low, high)
        query = record["query"] or ""
        try:
            if "row_window_session(" in query:
                columns, values = sessionize(query, rows)
            else:
                if not re.fullmatch(r"\s*OfficeActivity\s*", query):
                    raise KustoError("this server holds OfficeActivity only")
                columns = [(c, "datetime" if c == "TimeGenerated" else "string") for c in state.events.columns]
                values = [[r.get(c) for c in state.events.columns] for r in rows]
        except KustoError as error:
            return self.send(400, {"error": {"message": "The request had some invalid properties", "code": "BadArgumentError",
                                             "correlationId": str(uuid.uuid4()),
                                             "innererror": {"code": "SyntaxError", "message": str(error)}}})
        limit = state.control.get("max_rows")
        partial = limit is not None and len(values) > limit
        if partial:
            values = values[:limit]
        if la:
            # Log Analytics writes a dynamic value as JSON text in a string.
            cells = [[json.dumps(v, separators=(",", ":")) if t == "dynamic" else v for v, (_, t) in zip(row, columns)] for row in values]
            answer = {"tables": [{"name": "PrimaryResult", "columns": [{"name": n, "type": t} for n, t in columns], "rows": cells}]}
            if partial:
                answer["error"] = partial_error(state.control.get("partial_code"))
            return self.send(200, answer)
        kusto_types = {"string": "String", "datetime": "DateTime", "real": "Double", "long": "Int64", "dynamic": "Object"}
        if adx.group(1) == "v1":
            if partial:
                return self.send(400, {"error": {"code": "LimitsExceeded", "message": "Request is invalid and cannot be executed.",
                                                 "@type": "Kusto.Data.Exceptions.KustoServicePartialQueryFailureLimitsExceededException",
                                                 "@message": "Query execution has exceeded the allowed limits (80DA0003): The results of this query exceed the set limit of %d records (E_QUERY_RESULT_SET_TOO_LARGE)." % limit}})
            return self.send(200, {"Tables": [
                {"TableName": "Table_0", "Columns": [{"ColumnName": n, "DataType": kusto_types[t], "ColumnType": t} for n, t in columns], "Rows": values},
                {"TableName": "Table_1", "Columns": [{"ColumnName": "Value", "DataType": "String", "ColumnType": "string"}], "Rows": [["{\"Visualization\":null}"]]},
                {"TableName": "Table_2", "Columns": [{"ColumnName": "Ordinal", "DataType": "Int64", "ColumnType": "long"}, {"ColumnName": "Kind", "DataType": "String", "ColumnType": "string"},
                                                      {"ColumnName": "Name", "DataType": "String", "ColumnType": "string"}, {"ColumnName": "Id", "DataType": "String", "ColumnType": "string"},
                                                      {"ColumnName": "PrettyName", "DataType": "String", "ColumnType": "string"}],
                 "Rows": [[0, "QueryResult", "PrimaryResult", str(uuid.uuid4()), ""], [1, "QueryProperties", "@ExtendedProperties", str(uuid.uuid4()), ""]]}]})
        frames = [{"FrameType": "DataSetHeader", "IsProgressive": False, "Version": "v2.0", "IsFragmented": False, "ErrorReportingPlacement": "EndOfTable"},
                  {"FrameType": "DataTable", "TableId": 0, "TableKind": "QueryProperties", "TableName": "@ExtendedProperties",
                   "Columns": [{"ColumnName": "TableId", "ColumnType": "int"}, {"ColumnName": "Key", "ColumnType": "string"}, {"ColumnName": "Value", "ColumnType": "dynamic"}],
                   "Rows": [[1, "Visualization", {"Visualization": None}]]},
                  {"FrameType": "DataTable", "TableId": 1, "TableKind": "PrimaryResult", "TableName": "PrimaryResult",
                   "Columns": [{"ColumnName": n, "ColumnType": t} for n, t in columns], "Rows": values},
                  {"FrameType": "DataTable", "TableId": 2, "TableKind": "QueryCompletionInformation", "TableName": "QueryCompletionInformation",
                   "Columns": [{"ColumnName": "Timestamp", "ColumnType": "datetime"}, {"ColumnName": "StatusDescription", "ColumnType": "string"}],
                   "Rows": [["2026-11-30T00:00:00Z", "Query completed successfully"]]}]
        completion = {"FrameType": "DataSetCompletion", "HasErrors": partial, "Cancelled": False}
        if partial:
            completion["OneApiErrors"] = [{"error": {"code": "LimitsExceeded", "message": "Request is invalid and cannot be executed.",
                                                     "@type": "Kusto.Data.Exceptions.KustoServicePartialQueryFailureLimitsExceededException",
                                                     "@message": "Query execution has exceeded the allowed limits (80DA0003): The results of this query exceed the set limit of %d records (E_QUERY_RESULT_SET_TOO_LARGE)." % limit,
                                                     "@permanent": True}}]
        frames.append(completion)
        return self.send(200, frames)

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", required=True)
    parser.add_argument("--token", default="test-token-0b8c")
    parser.add_argument("--client-id", default="test-client")
    parser.add_argument("--client-secret", default="test-secret-9f2e")
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.state = State(Events(args.events), args.token, args.client_id, args.client_secret)
    print("PORT %d" % server.server_address[1], flush=True)
    # The test that started the server holds its standard input: when that closes (the test
    # ended, or its process died), the server goes too.
    def watch_parent():
        sys.stdin.buffer.read()
        os._exit(0)
    threading.Thread(target=watch_parent, daemon=True).start()
    server.serve_forever()

if __name__ == "__main__":
    main()
