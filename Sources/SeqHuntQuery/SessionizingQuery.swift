import SeqHunt
import SeqHuntIO
import SeqHuntSupport

/// The KQL that sessionizes in Kusto as `seqhunt sessionize` does on a file: msticpy's seed
/// query, generalised to the flags (`seqhunt kql`, `--sessionize-in-kusto`).
///
/// Events are filtered as the readers filter them (`--record-type`, the user exclusions,
/// `--exclude`, `--since`/`--until`), sorted by key and time, cut into sessions with
/// `row_window_session` (a new session when the key changes or a limit is reached), and
/// summarized to one row per session with the columns of a sessions file (`docs/SPEC.md` §9.3):
/// the keys, `begin`, `end`, `duration` in seconds, `nCmds`, `nDistinctCmds`, `cmds`, `params`.
/// The answer reads back as sessions, so only sessions cross the network.
///
/// Two things are Kusto's own: events of one key at the same instant are in whatever order
/// `sort` leaves them (locally, in input order), and `startswith`/`contains` ignore case beyond
/// ASCII. Everything else is the same rule.
public struct SessionizingQuery: Sendable {
    /// The events: a table name (`OfficeActivity`) or a KQL query whose rows are events.
    public var source: String
    /// The columns and the row filters, as the event readers take them.
    public var schema: EventSchema
    /// The limits and the boundary of a session.
    public var sessionizer: Sessionizer
    /// `--since` and `--until`, as `where` clauses.
    public var timeRange: TimeRange

    public init(
        source: String, schema: EventSchema = EventSchema(), sessionizer: Sessionizer = Sessionizer(),
        timeRange: TimeRange = TimeRange()
    ) {
        self.source = source
        self.schema = schema
        self.sessionizer = sessionizer
        self.timeRange = timeRange
    }

    /// The query text.
    /// - Throws: ``QueryError/invalid(_:)`` for a flag Kusto cannot honour (`--time-format`:
    ///   Kusto's times are already `datetime`s) or text that cannot be a KQL literal.
    public func text() throws(QueryError) -> String {
        guard schema.timeFormat == nil else {
            throw .invalid("--time-format reads times written as text; in Kusto the time column is a datetime already")
        }
        let time = try Self.column(schema.timeColumn)
        let event = try Self.column(schema.eventColumn)
        let keys = try Self.each(schema.keyColumns, Self.column)
        let keyNames = try Self.each(schema.keyColumns, Self.name)
        var lines: [String] = []
        let limits =
            "\(Self.timespan(sessionizer.maximumSession, boundary: sessionizer.boundary)), \(Self.timespan(sessionizer.maximumGap, boundary: sessionizer.boundary))"
        let source = self.source.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !source.isEmpty else { throw .invalid("the events' table or query is empty") }
        guard Self.isTabularExpression(source) else {
            throw .invalid(
                "with --sessionize-in-kusto, --query is the events as one tabular expression (a table, or a table and its | operators): it is wrapped in the sessionizing query, so it cannot hold let, set or declare statements or ';'"
            )
        }
        // The comment names the keys as the query does (quoted when they are not plain), so no
        // text from a flag can end the comment line.
        lines.append(
            "// seqhunt kql: sessions as `seqhunt sessionize` makes them (\(keyNames.joined(separator: ", ")); \(Self.exactTimespan(sessionizer.maximumSession)) at most, \(Self.exactTimespan(sessionizer.maximumGap)) gaps; boundary \(sessionizer.boundary.rawValue))"
        )
        let usesLatest = [timeRange.since, timeRange.until].contains {
            if case .beforeLatest = $0 { true } else { false }
        }
        var filters: [String] = []
        if !schema.recordTypes.isEmpty {
            filters.append(
                "| where tostring(\(try Self.column(schema.recordTypeColumn))) in (\(try Self.each(schema.recordTypes, Self.literal).joined(separator: ", ")))"
            )
        }
        if let user = keys.first {
            for prefix in schema.excludedUserPrefixes {
                filters.append("| where tostring(\(user)) !startswith \(try Self.literal(prefix))")
            }
            for part in schema.excludedUserSubstrings {
                filters.append("| where tostring(\(user)) !contains \(try Self.literal(part))")
            }
        }
        for exclusion in schema.exclusions {
            filters.append(
                "| where tostring(\(try Self.column(exclusion.column))) != \(try Self.literal(exclusion.value))")
        }
        filters.append("| where isnotnull(\(time)) and isnotempty(tostring(\(event)))")
        if usesLatest {
            lines.append("let events = \(source)")
            lines += filters
            lines[lines.count - 1] += ";"
            lines.append("let latest = toscalar(events | summarize max(\(time)));")
            lines.append("events")
        } else {
            lines.append(source)
            lines += filters
        }
        func bound(_ bound: TimeRange.Bound) -> String {
            switch bound {
            case .time(let instant): "datetime(\(TimeParser.isoText(instant)))"
            case .beforeLatest(let duration): "latest - \(Self.exactTimespan(duration))"
            }
        }
        if let since = timeRange.since { lines.append("| where \(time) >= \(bound(since))") }
        if let until = timeRange.until { lines.append("| where \(time) < \(bound(until))") }
        var projected =
            ["\(time)"] + zip(keyNames, keys).map { "\($0) = tostring(\($1))" } + ["cmd = tostring(\(event))"]
        if let parameters = schema.parametersColumn {
            // {"<command>": <parameters>}: the form a sessions file's params take (§9.2).
            projected.append("params = bag_pack(tostring(\(event)), todynamic(\(try Self.column(parameters))))")
        }
        lines.append("| project " + projected.joined(separator: ", "))
        lines.append("| sort by " + (keyNames.map { "\($0) asc" } + ["\(time) asc"]).joined(separator: ", "))
        let restart = keyNames.map { "\($0) != prev(\($0))" }.joined(separator: " or ")
        lines.append("| extend begin = row_window_session(\(time), \(limits)\(restart.isEmpty ? "" : ", " + restart))")
        var aggregates = ["cmds = make_list(cmd)"]
        if schema.parametersColumn != nil { aggregates.append("params = make_list(params)") }
        aggregates += ["end = max(\(time))", "nCmds = count()", "nDistinctCmds = array_length(make_set(cmd))"]
        lines.append(
            "| summarize " + aggregates.joined(separator: ", ") + " by "
                + (keyNames + ["begin"]).joined(separator: ", "))
        var columns = keyNames + ["begin", "end", "duration = (end - begin) / 1s", "nCmds", "nDistinctCmds", "cmds"]
        if schema.parametersColumn != nil { columns.append("params") }
        lines.append("| project " + columns.joined(separator: ", "))
        lines.append("| sort by " + (keyNames + ["begin"]).map { "\($0) asc" }.joined(separator: ", "))
        return lines.joined(separator: "\n") + "\n"
    }

    /// Whether `text` is one tabular expression: no statement keyword first and no `;` outside
    /// string literals and comments.
    static func isTabularExpression(_ text: String) -> Bool {
        let first = text.split(whereSeparator: { $0.isWhitespace || $0 == "(" }).first.map { $0.lowercased() } ?? ""
        if ["let", "set", "declare", "alias", "restrict", "pattern"].contains(first) || text.hasPrefix(".") {
            return false
        }
        // Strings: "…" and '…' with backslash escapes, @"…" and @'…' verbatim (a doubled quote
        // inside), ```…``` multi-line; comments from // to the end of the line.
        let characters = Array(text)
        var i = 0
        while i < characters.count {
            let c = characters[i]
            if c == "/" && i + 1 < characters.count && characters[i + 1] == "/" {
                while i < characters.count && characters[i] != "\n" { i += 1 }
            } else if c == "`" && i + 2 < characters.count && characters[i + 1] == "`" && characters[i + 2] == "`" {
                i += 3
                while i + 2 < characters.count
                    && !(characters[i] == "`" && characters[i + 1] == "`" && characters[i + 2] == "`")
                { i += 1 }
                i += 3
            } else if c == "@" && i + 1 < characters.count && (characters[i + 1] == "\"" || characters[i + 1] == "'") {
                let quote = characters[i + 1]
                i += 2
                while i < characters.count {
                    if characters[i] == quote {
                        if i + 1 < characters.count && characters[i + 1] == quote {
                            i += 2
                            continue
                        }
                        break
                    }
                    i += 1
                }
                i += 1
            } else if c == "\"" || c == "'" {
                i += 1
                while i < characters.count && characters[i] != c { i += characters[i] == "\\" ? 2 : 1 }
                i += 1
            } else {
                if c == ";" { return false }
                i += 1
            }
        }
        return true
    }

    /// A column as KQL names it: a plain identifier, `['…']` otherwise, and a dotted JSON path
    /// (`userIdentity.arn`) as a path into a dynamic column.
    static func column(_ name: String) throws(QueryError) -> String {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        if parts.count > 1, parts.allSatisfy({ !$0.isEmpty }) {
            return try each(parts, Self.name).joined(separator: ".")
        }
        return try Self.name(name)
    }

    static func each(_ texts: [String], _ body: (String) throws(QueryError) -> String) throws(QueryError) -> [String] {
        var out: [String] = []
        for text in texts { out.append(try body(text)) }
        return out
    }

    /// A name as a KQL identifier or a bracketed, quoted name.
    static func name(_ text: String) throws(QueryError) -> String {
        let keywords: Set<String> = [
            "and", "or", "not", "by", "in", "on", "with", "where", "project", "extend", "sort",
            "asc", "desc", "let", "true", "false", "null", "begin", "end", "params", "cmd", "cmds",
            "latest", "events", "nCmds", "nDistinctCmds", "duration", "time", "datetime", "dynamic",
            "has", "contains", "startswith", "between", "to", "of", "set", "from"
        ]
        let first = text.unicodeScalars.first
        if let first, (first.properties.isAlphabetic && first.isASCII) || first == "_",
            text.unicodeScalars.allSatisfy({
                ($0.isASCII && ($0.properties.isAlphabetic || $0.properties.numericType != nil)) || $0 == "_"
            }),
            !keywords.contains(text)
        {
            return text
        }
        return "[\(try literal(text))]"
    }

    /// A KQL string literal: `"…"` with `\` and `"` escaped.
    /// - Throws: for a control character, which a literal would hide.
    static func literal(_ text: String) throws(QueryError) -> String {
        // C0 controls, DEL, and the characters some lexers end a line at (NEL, LS, PS).
        guard
            !text.unicodeScalars.contains(where: {
                $0.value < 0x20 || $0.value == 0x7F || $0.value == 0x85 || $0.value == 0x2028 || $0.value == 0x2029
            })
        else {
            throw .invalid("'\(oneLine(text))' holds a control character, which seqhunt does not write into KQL")
        }
        return "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            + "\""
    }

    /// A limit for `row_window_session`, which starts a session when a limit is reached: under
    /// the `msticpy` boundary (only a limit exceeded) it is one tick longer, since times are
    /// whole ticks of 100 ns in Kusto as here.
    static func timespan(_ duration: Duration, boundary: Sessionizer.Boundary) -> String {
        boundary == .kql ? exactTimespan(duration) : exactTimespan(Duration(ticks: duration.ticks + 1))
    }

    /// A timespan literal: `20m`, `90s`, `2h`, `1d`, or `time(d.hh:mm:ss.fffffff)` to the tick.
    static func exactTimespan(_ duration: Duration) -> String {
        let ticks = duration.ticks
        let second: Int64 = 10_000_000
        for (unit, length) in [("d", 86_400 * second), ("h", 3_600 * second), ("m", 60 * second), ("s", second)]
        where ticks % length == 0 {
            return "\(ticks / length)\(unit)"
        }
        let days = ticks / (86_400 * second), rest = ticks % (86_400 * second)
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let fraction = String(rest % second)
        return
            "time(\(days).\(two(rest / (3_600 * second))):\(two(rest / (60 * second) % 60)):\(two(rest / second % 60))."
            + String(repeating: "0", count: 7 - fraction.count) + fraction + ")"
    }

}
