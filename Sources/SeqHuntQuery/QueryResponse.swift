import SeqHunt
import SeqHuntFormats
import SeqHuntIO
import SeqHuntSupport

#if canImport(Glibc)
import Glibc
#endif

/// The answer of a workspace or cluster query, turned into the JSON Lines that the event and
/// session readers take: one object per row, keyed by column name, each value as the API wrote
/// it, except that a `dynamic` cell that Log Analytics wrote as JSON text in a string becomes
/// the JSON array or object it holds (as Azure Data Explorer writes it), so that a `cmds` list
/// reads back as a list.
///
/// The answer is read from its bytes with the bulk JSON scanner: no `String` per cell, nesting
/// bounded, every byte checked. A malformed or truncated answer is one ``InputError`` naming the
/// byte where it went wrong.
package enum QueryResponse {
    /// The three answer shapes.
    package enum Dialect: Sendable {
        /// Log Analytics (`POST {endpoint}/v1/workspaces/{id}/query`):
        /// `{"tables": [{"name", "columns": [{"name", "type"}], "rows": [[...]]}]}`, with an
        /// `"error"` object beside `tables` when the answer is partial.
        case logAnalytics
        /// Azure Data Explorer v1 (`/v1/rest/query`):
        /// `{"Tables": [{"TableName", "Columns": [{"ColumnName", "DataType"}], "Rows": [[...]]}]}`.
        case dataExplorerV1
        /// Azure Data Explorer v2 (`/v2/rest/query`): an array of frames; the first `DataTable`
        /// frame of `TableKind` `PrimaryResult` holds the rows, and `DataSetCompletion` says
        /// whether the query failed part way (`HasErrors`, `OneApiErrors`).
        case dataExplorerV2

        /// The member names of its tables: the list of tables, a table's columns and rows, a column's name.
        var keys: (tables: [UInt8], columns: [UInt8], rows: [UInt8], name: [UInt8]) {
            switch self {
            case .logAnalytics: (Array("tables".utf8), Array("columns".utf8), Array("rows".utf8), Array("name".utf8))
            case .dataExplorerV1, .dataExplorerV2:
                (Array("Tables".utf8), Array("Columns".utf8), Array("Rows".utf8), Array("ColumnName".utf8))
            }
        }

        var name: String {
            switch self {
            case .logAnalytics: "a Log Analytics answer"
            case .dataExplorerV1: "an Azure Data Explorer v1 answer"
            case .dataExplorerV2: "an Azure Data Explorer v2 answer"
            }
        }
    }

    /// Rows to keep by time: those whose `column` holds a time in `range` (half-open). Rows
    /// outside are counted, not written: a slice's answer may hold a row at its end that the
    /// next slice also returns, since the API does not document whether a `timespan`'s ends
    /// are inclusive.
    package struct TimeFilter: Sendable {
        package var column: String
        package var range: Range<Timestamp>
        /// Whether an answer without `column` is an error (a sliced query needs it to keep
        /// each row once); otherwise such an answer is kept whole.
        package var required: Bool
        package init(column: String, range: Range<Timestamp>, required: Bool = true) {
            self.column = column
            self.range = range
            self.required = required
        }
    }

    /// What an answer held besides its rows.
    package struct Summary: Sendable, Equatable {
        /// The columns of the table that was read, in order.
        package var columns: [String]
        /// The rows written.
        package var rows: Int
        /// The error beside the rows when the answer is partial (`PartialError`: for example the
        /// result went past the size limit and was cut short), as one line; `nil` when complete.
        package var partialError: String?
        /// Rows left out by the ``TimeFilter``.
        package var outsideRange: Int = 0

        package init(columns: [String], rows: Int, partialError: String?, outsideRange: Int = 0) {
            self.columns = columns
            self.rows = rows
            self.partialError = partialError
            self.outsideRange = outsideRange
        }
    }

    /// Reads an answer of any ``Dialect``; the rows of its primary table (Log Analytics: the
    /// first table) are appended to `out` as JSON Lines, those outside `filter`'s range left out.
    /// - Parameter source: how the answer is named in errors (the service, and the slice).
    /// - Throws: ``InputError`` for an answer that is not JSON, not of this shape, or cut short,
    ///   and for an answer that says the query failed without returning a table.
    package static func read(
        _ bytes: UnsafeRawBufferPointer, dialect: Dialect, source: String, filter: TimeFilter? = nil,
        into out: inout [UInt8]
    ) throws(InputError) -> Summary {
        func fail(_ cause: String) -> InputError {
            InputError(file: source, line: 0, cause: "not \(dialect.name): \(cause)")
        }
        do {
            var scanner = JSONScanner(bytes)
            let root = try scanner.scanValue()
            guard scanner.atEnd() else { throw fail("more after the answer's JSON (byte \(scanner.position))") }
            let table: Table?
            let partial: String?
            switch dialect {
            case .logAnalytics, .dataExplorerV1:
                guard root.kind == .object else { throw fail("the answer is not a JSON object") }
                let keys = dialect.keys
                let found = try scanner.members([keys.tables, Array("error".utf8)], in: root)
                let error = try found[1].flatMap { try errorLine(ofError: $0, scanner: scanner) }
                guard let tables = found[0], tables.kind == .array else {
                    if let error { throw InputError(file: source, line: 0, cause: error) }
                    throw fail("it has no \"\(String(decoding: keys.tables, as: UTF8.self))\" array")
                }
                // Log Analytics puts an error beside the rows it kept (a partial answer); v1 answers
                // an error instead of its tables.
                if let error, dialect == .dataExplorerV1 { throw InputError(file: source, line: 0, cause: error) }
                partial = error
                table = try scanner.firstItem(of: tables).map { span throws in
                    guard span.kind == .object else { throw fail("its table is not an object") }
                    let parts = try scanner.members([keys.columns, keys.rows], in: span)
                    return try Table(columns: parts[0], rows: parts[1], dialect: dialect, scanner: scanner, fail: fail)
                }
            case .dataExplorerV2:
                guard root.kind == .array else {
                    if root.kind == .object, let error = try errorLine(in: root, scanner: scanner) {
                        throw InputError(file: source, line: 0, cause: error)
                    }
                    throw fail("the answer is not a JSON array of frames")
                }
                (table, partial) = try v2Frames(root, scanner: scanner, fail: fail)
            }
            guard let table else { return Summary(columns: [], rows: 0, partialError: partial) }
            var summary = try table.write(
                scanner: scanner, bytes: bytes, dialect: dialect, source: source, filter: filter,
                into: &out, fail: fail)
            // An error among the rows (v2) is more precise than the completion frame's flag.
            summary.partialError = summary.partialError ?? partial
            return summary
        } catch let error as InputError {
            throw error
        } catch let error as JSONSyntaxError {
            throw fail("\(error.cause) at byte \(error.offset)")
        } catch {
            throw fail("\(error)")
        }
    }

    /// A v2 answer's primary table and the error its completion frame reports. Each frame's
    /// members are found in one pass: the primary table's frame holds every row.
    private static func v2Frames(
        _ root: JSONScanner.Span, scanner: JSONScanner,
        fail: (String) -> InputError
    ) throws -> (Table?, String?) {
        let keys = Dialect.dataExplorerV2.keys
        let names = [Array("FrameType".utf8), Array("TableKind".utf8), Array("HasErrors".utf8), keys.columns, keys.rows]
        var walker = scanner
        walker.position = root.start
        var table: Table?
        var partial: String?
        var completed = false
        try walker.forEachItem { frame in
            let found = frame.kind == .object ? try scanner.members(names, in: frame) : []
            guard let type = found.first ?? nil, type.kind == .string else {
                throw fail("a frame without a \"FrameType\" (byte \(frame.start))")
            }
            if scanner.nameEquals(type, Array("DataTable".utf8)) {
                guard table == nil, let kind = found[1], kind.kind == .string,
                    scanner.nameEquals(kind, Array("PrimaryResult".utf8))
                else { return }
                table = try Table(
                    columns: found[3], rows: found[4], dialect: .dataExplorerV2, scanner: scanner, fail: fail)
            } else if scanner.nameEquals(type, Array("DataSetCompletion".utf8)) {
                completed = true
                if let hasErrors = found[2], hasErrors.kind == .literalTrue {
                    partial = try oneApiError(in: frame, scanner: scanner) ?? "the query failed part way"
                }
            }
        }
        guard completed else { throw fail("it has no DataSetCompletion frame: the answer was cut short") }
        return (table, partial)
    }

    /// One table of an answer: where its columns and rows are.
    private struct Table {
        var columns: [String]
        /// Which columns are of type `dynamic`: Log Analytics writes their arrays and objects as
        /// JSON text in a string; they are written here as the JSON values they are, as Azure
        /// Data Explorer writes them, so that `cmds` and `params` read back as lists.
        var dynamic: [Bool]
        var rows: JSONScanner.Span

        /// The table whose `columns` and `rows` members are these (either missing: not a table).
        init(
            columns columnsSpan: JSONScanner.Span?, rows rowsSpan: JSONScanner.Span?, dialect: Dialect,
            scanner: JSONScanner,
            fail: (String) -> InputError
        ) throws {
            let keys = dialect.keys
            guard let columnsSpan, columnsSpan.kind == .array, let rowsSpan, rowsSpan.kind == .array else {
                throw fail(
                    "its table has no \"\(String(decoding: keys.columns, as: UTF8.self))\" and \"\(String(decoding: keys.rows, as: UTF8.self))\" arrays"
                )
            }
            let nameKey = String(decoding: keys.name, as: UTF8.self)
            // The column's name, and its type under the name each API gives it.
            let columnKeys = [keys.name, Array("type".utf8), Array("DataType".utf8), Array("ColumnType".utf8)]
            var walker = scanner
            walker.position = columnsSpan.start
            var names: [String] = []
            var dynamic: [Bool] = []
            var scratch: [UInt8] = []
            try walker.forEachItem { column in
                let found = column.kind == .object ? try scanner.members(columnKeys, in: column) : []
                guard let nameSpan = found.first ?? nil, nameSpan.kind == .string else {
                    throw fail("column \(names.count + 1) has no \"\(nameKey)\" string")
                }
                scratch.removeAll(keepingCapacity: true)
                try scanner.decodeString(nameSpan, into: &scratch)
                names.append(String(decoding: scratch, as: UTF8.self))
                var isDynamic = false
                for case let type? in found.dropFirst() where type.kind == .string {
                    scratch.removeAll(keepingCapacity: true)
                    try scanner.decodeString(type, into: &scratch)
                    if String(decoding: scratch, as: UTF8.self).lowercased() == "dynamic" { isDynamic = true }
                }
                dynamic.append(isDynamic)
            }
            self.columns = names
            self.dynamic = dynamic
            self.rows = rowsSpan
        }

        /// Whether the string `cell` holds no escape and no byte that the writers escape (`\\`
        /// and U+2028/U+2029's lead byte; the scan already refused raw control characters), so
        /// that its text as written is the canonical one.
        static func isPlain(_ cell: JSONScanner.Span, in bytes: UnsafeRawBufferPointer) -> Bool {
            let inner = UnsafeRawBufferPointer(rebasing: bytes[(cell.start + 1)..<(cell.end - 1)])
            guard let base = inner.baseAddress, !inner.isEmpty else { return true }
            return memchr(base, 0x5C, inner.count) == nil && memchr(base, 0xE2, inner.count) == nil
        }

        /// Appends the rows as JSON Lines, leaving out those outside `filter`.
        func write(
            scanner: JSONScanner, bytes: UnsafeRawBufferPointer, dialect: Dialect, source: String, filter: TimeFilter?,
            into out: inout [UInt8],
            fail: (String) -> InputError
        ) throws -> Summary {
            // Each key once, as it is written: "name":
            let keys: [[UInt8]] = columns.map { name in
                var key: [UInt8] = []
                Array(name.utf8).withUnsafeBufferPointer { key.appendJSONString(bytes: $0) }
                key.append(UInt8(ascii: ":"))
                return key
            }
            var timeIndex: Int?
            if let filter, filter.required || columns.contains(filter.column) {
                guard let index = columns.firstIndex(of: filter.column) else {
                    throw InputError(
                        file: source, line: 0,
                        cause:
                            "the answer has no \(filter.column) column, which a sliced query needs to keep each row at a slice edge once: project it, or name the time column with --time-col"
                    )
                }
                timeIndex = index
            }
            var rows = 0, outside = 0, partial: String?
            var scratch: [UInt8] = []
            var walker = scanner
            walker.position = self.rows.start
            try walker.forEachItem { row in
                guard row.kind == .array else {
                    // Azure Data Explorer reports an error met while writing rows as an object
                    // among them (v2: OneApiErrors; v1: Exceptions, its default placement).
                    if row.kind == .object, dialect != .logAnalytics {
                        if partial == nil {
                            partial =
                                try QueryResponse.oneApiError(in: row, scanner: scanner)
                                ?? QueryResponse.exceptions(in: row, scanner: scanner) ?? "the query failed part way"
                        }
                        return
                    }
                    throw fail("row \(rows + 1) is not an array (byte \(row.start))")
                }
                var cells = scanner
                cells.position = row.start
                var index = 0
                let rowStart = out.count
                var keep = true
                out.append(UInt8(ascii: "{"))
                try cells.forEachItem(depth: 2) { cell in
                    guard index < keys.count else {
                        throw fail("row \(rows + 1) has more cells than the \(keys.count) columns")
                    }
                    if index > 0 { out.append(UInt8(ascii: ",")) }
                    keys[index].withUnsafeBytes { out.append(bytes: $0) }
                    if cell.kind == .string, dynamic[index] {
                        scratch.removeAll(keepingCapacity: true)
                        try scanner.decodeString(cell, into: &scratch)
                        if try !QueryResponse.appendJSONValue(of: scratch, to: &out) {
                            try scanner.appendCanonical(cell, to: &out)
                        }
                    } else if cell.kind == .array || cell.kind == .object
                        || (cell.kind == .string && !Self.isPlain(cell, in: bytes))
                    {
                        try scanner.appendCanonical(cell, to: &out)
                    } else {
                        // A number, a literal or a string with nothing to escape, as the answer wrote it:
                        // already the one form the writers use (the scan checked it; the readers check UTF-8).
                        out.append(bytes: UnsafeRawBufferPointer(rebasing: bytes[cell.start..<cell.end]))
                    }
                    if index == timeIndex, let filter, cell.kind == .string {
                        scratch.removeAll(keepingCapacity: true)
                        try scanner.decodeString(cell, into: &scratch)
                        // A time that does not parse is kept: the reader reports it as a bad row.
                        if let time = scratch.withUnsafeBytes({
                            TimeParser.ticks($0).map { Timestamp(ticks: $0.ticks) }
                        }),
                            !filter.range.contains(time)
                        {
                            keep = false
                        }
                    }
                    index += 1
                }
                guard index == keys.count else {
                    throw fail("row \(rows + 1) has \(index) cells for \(keys.count) columns")
                }
                if keep {
                    out.append(UInt8(ascii: "}"))
                    out.append(0x0A)
                    rows += 1
                } else {
                    out.removeSubrange(rowStart...)
                    outside += 1
                }
            }
            return Summary(columns: columns, rows: rows, partialError: partial, outsideRange: outside)
        }
    }

    /// The error an answer's body carries (`{"error": {"code", "message"}}`, as the query and
    /// REST APIs answer a 4xx or 5xx) as one line; `nil` when the body is not such an object.
    package static func errorLine(of body: UnsafeRawBufferPointer) -> String? {
        var scanner = JSONScanner(body)
        guard let root = try? scanner.scanValue(), root.kind == .object else { return nil }
        return (try? errorLine(in: root, scanner: scanner)) ?? nil
    }

    /// The first of an object's `Exceptions` (ADX v1's failure among the rows), as one line.
    static func exceptions(in object: JSONScanner.Span, scanner: JSONScanner) throws -> String? {
        guard let list = try scanner.member(at: ArraySlice("Exceptions".utf8), in: object), list.kind == .array,
            let first = try scanner.firstItem(of: list), first.kind == .string
        else { return nil }
        var decoded: [UInt8] = []
        try scanner.decodeString(first, into: &decoded)
        return oneLine(String(decoding: decoded, as: UTF8.self))
    }

    /// The first of an object's `OneApiErrors` (ADX v2), as one line.
    static func oneApiError(in object: JSONScanner.Span, scanner: JSONScanner) throws -> String? {
        guard let errors = try scanner.member(at: ArraySlice("OneApiErrors".utf8), in: object), errors.kind == .array,
            let first = try scanner.firstItem(of: errors), first.kind == .object
        else { return nil }
        return try errorLine(in: first, scanner: scanner)
    }

    /// Appends the JSON array or object that `text` holds, canonical; `false` (nothing appended)
    /// when `text` is not one, so the cell stays the string it was.
    private static func appendJSONValue(of text: [UInt8], to out: inout [UInt8]) throws -> Bool {
        guard let first = text.first(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }),
            first == UInt8(ascii: "[") || first == UInt8(ascii: "{")
        else { return false }
        return text.withUnsafeBytes { inner in
            var scanner = JSONScanner(inner)
            guard let value = try? scanner.scanValue(depth: 1), scanner.atEnd() else { return false }
            let mark = out.count
            do { try scanner.appendCanonical(value, to: &out) } catch {
                out.removeSubrange(mark...)
                return false
            }
            return true
        }
    }

    /// An `error` object (Log Analytics, ADX v1) or a OneApiError, as one line: its code and
    /// message, and the innermost error's message (which says which limit was hit).
    static func errorLine(in root: JSONScanner.Span, scanner: JSONScanner) throws -> String? {
        guard let error = try scanner.member(at: ArraySlice("error".utf8), in: root) else { return nil }
        return try errorLine(ofError: error, scanner: scanner)
    }

    /// An `error` object as one line (see ``errorLine(in:scanner:)``).
    static func errorLine(ofError error: JSONScanner.Span, scanner: JSONScanner) throws -> String? {
        guard error.kind == .object else { return nil }
        func text(_ path: String, in object: JSONScanner.Span) throws -> String? {
            guard let span = try scanner.member(at: ArraySlice(path.utf8), in: object), span.kind == .string else {
                return nil
            }
            var decoded: [UInt8] = []
            try scanner.decodeString(span, into: &decoded)
            return String(decoding: decoded, as: UTF8.self)
        }
        var said = [try text("code", in: error), try text("message", in: error)].compactMap { $0 }.joined(
            separator: ": ")
        // The innermost error, through details[0] and innererror, says which limit was hit.
        var inner: JSONScanner.Span? = error
        var innermost: String?
        var depth = 0
        while let current = inner, depth < 16 {
            depth += 1
            if let details = try scanner.member(at: ArraySlice("details".utf8), in: current), details.kind == .array,
                let first = try scanner.firstItem(of: details), first.kind == .object
            {
                inner = first
                innermost = try text("message", in: first) ?? innermost
                continue
            }
            if let next = try scanner.member(at: ArraySlice("innererror".utf8), in: current), next.kind == .object {
                inner = next
                innermost = try text("message", in: next) ?? innermost
                continue
            }
            inner = nil
        }
        if let innermost, !said.contains(innermost) { said += " (\(innermost))" }
        return oneLine(said.isEmpty ? "the answer carries an error" : said)
    }
}
