import SeqHunt

/// The answer of a workspace query, turned into the JSON Lines that the event and session
/// readers take: one object per row, keyed by column name, each value as the API wrote it
/// (strings stay strings, so a `dynamic` column such as `Parameters` is JSON text in a string,
/// which the readers parse as they parse an export's).
///
/// The answer is read from its bytes with the bulk JSON scanner: no `String` per cell, nesting
/// bounded, every byte checked. A malformed or truncated answer is one ``InputError`` naming the
/// byte where it went wrong.
package enum QueryResponse {
    /// What an answer held besides its rows.
    package struct Summary: Sendable, Equatable {
        /// The columns of the table that was read, in order.
        package var columns: [String]
        /// The rows written.
        package var rows: Int
        /// The error beside the rows when the answer is partial (`PartialError`: for example the
        /// result went past the size limit and was cut short), as one line; `nil` when complete.
        package var partialError: String?
    }

    /// Reads a Log Analytics answer (`POST {endpoint}/v1/workspaces/{id}/query`):
    /// `{"tables": [{"name": "PrimaryResult", "columns": [{"name", "type"}], "rows": [[...]]}]}`,
    /// with an `"error"` object beside `tables` when the answer is partial. The first table is
    /// read; its rows are appended to `out` as JSON Lines.
    /// - Parameter source: how the answer is named in errors (the request's URL or slice).
    /// - Throws: ``InputError`` for an answer that is not JSON, not of this shape, or cut short.
    package static func readLogAnalytics(_ bytes: UnsafeRawBufferPointer, source: String,
                                         into out: inout [UInt8]) throws(InputError) -> Summary {
        func fail(_ cause: String) -> InputError { InputError(file: source, line: 0, cause: "not a Log Analytics answer: \(cause)") }
        do {
            var scanner = JSONScanner(bytes)
            let root = try scanner.scanValue()
            guard scanner.atEnd() else { throw fail("more after the answer's JSON object (byte \(scanner.position))") }
            guard root.kind == .object else { throw fail("the answer is not a JSON object") }
            let partial = try partialError(in: root, scanner: scanner)
            guard let tables = try scanner.member(at: ArraySlice("tables".utf8), in: root), tables.kind == .array else {
                if let partial { throw InputError(file: source, line: 0, cause: partial) }
                throw fail("it has no \"tables\" array")
            }
            guard let table = try scanner.firstItem(of: tables) else { return Summary(columns: [], rows: 0, partialError: partial) }
            guard table.kind == .object,
                  let columnsSpan = try scanner.member(at: ArraySlice("columns".utf8), in: table), columnsSpan.kind == .array,
                  let rowsSpan = try scanner.member(at: ArraySlice("rows".utf8), in: table), rowsSpan.kind == .array else {
                throw fail("its first table has no \"columns\" and \"rows\" arrays")
            }
            let columns = try columnNames(columnsSpan, scanner: scanner, fail: fail)
            // Each key once, as it is written: "name":
            let keys: [[UInt8]] = columns.map { name in
                var key: [UInt8] = []
                Array(name.utf8).withUnsafeBufferPointer { key.appendJSONString(bytes: $0) }
                key.append(UInt8(ascii: ":"))
                return key
            }
            var rows = 0
            var walker = scanner
            walker.position = rowsSpan.start
            try walker.forEachItem { row in
                guard row.kind == .array else { throw fail("row \(rows + 1) is not an array (byte \(row.start))") }
                var cells = scanner
                cells.position = row.start
                var index = 0
                out.append(UInt8(ascii: "{"))
                try cells.forEachItem(depth: 2) { cell in
                    guard index < keys.count else { throw fail("row \(rows + 1) has more cells than the \(keys.count) columns") }
                    if index > 0 { out.append(UInt8(ascii: ",")) }
                    keys[index].withUnsafeBytes { out.append(bytes: $0) }
                    if cell.kind == .null {
                        out.append(bytes: UnsafeRawBufferPointer(rebasing: bytes[cell.start..<cell.end]))
                    } else {
                        try scanner.appendCanonical(cell, to: &out)
                    }
                    index += 1
                }
                guard index == keys.count else { throw fail("row \(rows + 1) has \(index) cells for \(keys.count) columns") }
                out.append(UInt8(ascii: "}"))
                out.append(0x0A)
                rows += 1
            }
            return Summary(columns: columns, rows: rows, partialError: partial)
        } catch let error as InputError {
            throw error
        } catch let error as JSONParser.SyntaxError {
            throw fail("\(error.cause) at byte \(error.offset)")
        } catch {
            throw fail("\(error)")
        }
    }

    /// The columns' names, in order.
    private static func columnNames(_ span: JSONScanner.Span, scanner: JSONScanner,
                                     fail: (String) -> InputError) throws -> [String] {
        var walker = scanner
        walker.position = span.start
        var names: [String] = []
        var scratch: [UInt8] = []
        try walker.forEachItem { column in
            guard column.kind == .object, let name = try scanner.member(at: ArraySlice("name".utf8), in: column),
                  name.kind == .string else { throw fail("column \(names.count + 1) has no \"name\" string") }
            scratch.removeAll(keepingCapacity: true)
            try scanner.decodeString(name, into: &scratch)
            names.append(String(decoding: scratch, as: UTF8.self))
        }
        return names
    }

    /// The `error` object beside the tables, as one line: its code and message, and the
    /// innermost error's message (which says which limit was hit).
    private static func partialError(in root: JSONScanner.Span, scanner: JSONScanner) throws -> String? {
        guard let error = try scanner.member(at: ArraySlice("error".utf8), in: root), error.kind == .object else { return nil }
        func text(_ path: String, in object: JSONScanner.Span) throws -> String? {
            guard let span = try scanner.member(at: ArraySlice(path.utf8), in: object), span.kind == .string else { return nil }
            var decoded: [UInt8] = []
            try scanner.decodeString(span, into: &decoded)
            return String(decoding: decoded, as: UTF8.self)
        }
        var said = [try text("code", in: error), try text("message", in: error)].compactMap { $0 }.joined(separator: ": ")
        // The innermost error, through details[0] and innererror, says which limit was hit.
        var inner: JSONScanner.Span? = error
        var innermost: String?
        var depth = 0
        while let current = inner, depth < 16 {
            depth += 1
            if let details = try scanner.member(at: ArraySlice("details".utf8), in: current), details.kind == .array,
               let first = try scanner.firstItem(of: details), first.kind == .object {
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
