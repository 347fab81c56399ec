import SeqHunt

/// Which columns of an event log hold what (SPEC 7), and which rows to keep.
public struct EventSchema: Sendable {
    /// The time column (ISO 8601 or `YYYY-MM-DD HH:MM:SS`, UTC).
    public var timeColumn = "TimeGenerated"
    /// The columns whose values together form a session key.
    public var keyColumns = ["UserId", "ClientIP"]
    /// The command column.
    public var eventColumn = "Operation"
    /// The parameters column (a JSON array of Name/Value objects or a JSON object); optional in the data.
    public var parametersColumn: String? = "Parameters"
    /// Keep only rows whose `RecordType` is one of these (empty: keep all).
    public var recordTypes: [String] = []
    /// The column that ``recordTypes`` filters.
    public var recordTypeColumn = "RecordType"
    /// Drop rows whose user (the first key column) starts with one of these (case-insensitive).
    public var excludedUserPrefixes: [String] = []
    /// Drop rows whose user contains one of these (case-insensitive).
    public var excludedUserSubstrings: [String] = []

    public init() {}
}

/// What to do with a bad row.
public enum BadRowPolicy: String, Sendable, CaseIterable {
    /// Stop at the first bad row with one clear error.
    case fail
    /// Skip bad rows, count them per cause, and report the counts.
    case skip
}

/// How many rows were read, kept, filtered out and skipped (by cause).
public struct ReadReport: Sendable, Equatable {
    public var rowsRead = 0
    public var eventsKept = 0
    public var rowsFiltered = 0
    public var skippedByCause: [String: Int] = [:]
    public var bytesRead = 0
    public var rowsSkipped: Int { skippedByCause.values.reduce(0, +) }
    public init() {}
}

/// Reads event logs (CSV as Log Analytics exports it, or JSON Lines) straight into an
/// ``EventStore``, streaming over bytes: fields are interned from the read buffer,
/// and no `String` is made per field, only one per distinct command, parameter,
/// value and key.
public final class EventReader {
    public let schema: EventSchema
    public let policy: BadRowPolicy
    public private(set) var events = EventStore()
    public private(set) var report = ReadReport()
    /// Called now and then with the bytes read so far in the current file and its size.
    public var progress: ((_ bytes: Int, _ size: Int, _ events: Int) -> Void)?

    private var commandIDs: [Int32] = []      // local command id → store id
    private var parameterIDs: [Int32] = []    // local parameter id → store id
    private var pairIDs: [Int32] = []         // local pair id → store pair id
    private var commandInterner = ByteInterner()
    private var parameterInterner = ByteInterner()
    private var pairInterner = ByteInterner(capacity: 1 << 14)
    private var keyInterner = ByteInterner(capacity: 1 << 12)
    private var scratch: [UInt8] = []
    private var keyBytes: [UInt8] = []
    private var valueBytes: [UInt8] = []
    private var nameBytes: [UInt8] = []
    private var pairKey: [UInt8] = []
    private let recordTypes: [[UInt8]]
    private let prefixes: [[UInt8]]
    private let substrings: [[UInt8]]

    public init(schema: EventSchema = EventSchema(), policy: BadRowPolicy = .fail) {
        self.schema = schema
        self.policy = policy
        recordTypes = schema.recordTypes.map { Array($0.utf8) }
        prefixes = schema.excludedUserPrefixes.map { Array($0.lowercased().utf8) }
        substrings = schema.excludedUserSubstrings.map { Array($0.lowercased().utf8) }
    }

    /// The number of distinct keys.
    public var keyCount: Int { keyInterner.count }

    /// The values of the key columns of key `id`, in ``EventSchema/keyColumns`` order.
    public func keyValues(of id: Int32) -> [String] {
        keyInterner.withBytes(of: id) { bytes in
            var values: [String] = []
            var p = 0
            while p < bytes.count {
                let length = Int(bytes.loadUnaligned(fromByteOffset: p, as: UInt32.self))
                values.append(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[(p + 4)..<(p + 4 + length)]), as: UTF8.self))
                p += 4 + length
            }
            return values
        }
    }

    /// Each key's rank when keys are sorted by their values (column by column, bytewise).
    public func keyRanks() -> [Int32] {
        let ids = (0..<Int32(keyInterner.count)).sorted { a, b in
            keyInterner.withBytes(of: a) { x in keyInterner.withBytes(of: b) { y in
                x.lexicographicallyPrecedes(y)
            } }
        }
        var ranks = [Int32](repeating: 0, count: ids.count)
        for (rank, id) in ids.enumerated() { ranks[Int(id)] = Int32(rank) }
        return ranks
    }

    /// Reads one file (CSV or JSON Lines, by extension or first byte).
    public func read(path: String) throws {
        let stream = try ByteStream(path: path)
        _ = try stream.refill()
        let before = report.bytesRead
        defer { report.bytesRead = before + stream.bytesConsumed }
        guard stream.end > stream.start else { throw InputError(file: path, line: 1, cause: "the file is empty") }
        let head = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(stream.buffer)[stream.start..<stream.end])
        switch SessionReader.format(of: path, bytes: head.bindMemory(to: UInt8.self)) {
        case .csv: try readCSV(stream)
        case .jsonLines: try readJSONLines(stream)
        }
    }

    // MARK: - Rows

    /// A bad row: thrown in `fail` mode, counted in `skip` mode.
    private func bad(_ error: InputError, cause: String) throws {
        if policy == .fail { throw error }
        report.skippedByCause[cause, default: 0] += 1
    }

    private func reportProgress(_ stream: ByteStream) {
        if let progress, report.rowsRead & 0xFFFF == 0 { progress(stream.bytesConsumed, stream.size, events.count) }
    }

    private func readCSV(_ stream: ByteStream) throws {
        let reader = CSVRecordReader(stream: stream)
        guard try reader.next() else { throw InputError(file: stream.path, line: 1, cause: "the file is empty") }
        // Header.
        var header: [[UInt8]] = []
        for i in reader.fields.indices { header.append(reader.withField(i, scratch: &scratch) { Array($0) }) }
        func column(_ name: String, required: Bool) throws -> Int? {
            let target = Array(name.utf8)
            if let i = header.firstIndex(of: target) { return i }
            if required {
                let names = header.map { String(decoding: $0, as: UTF8.self) }.joined(separator: ", ")
                throw InputError(file: stream.path, line: reader.recordLine, cause: "missing column \"\(name)\" (columns: \(names))")
            }
            return nil
        }
        let timeColumn = try column(schema.timeColumn, required: true)!
        let eventColumn = try column(schema.eventColumn, required: true)!
        let keyColumns = try schema.keyColumns.map { try column($0, required: true)! }
        let parametersColumn = try schema.parametersColumn.flatMap { try column($0, required: false) }
        let recordTypeColumn = recordTypes.isEmpty ? nil : try column(schema.recordTypeColumn, required: true)

        while try reader.next() {
            report.rowsRead += 1
            reportProgress(stream)
            let line = reader.recordLine
            guard reader.fields.count == header.count else {
                try bad(InputError(file: stream.path, line: line,
                                   cause: "\(reader.fields.count) fields where the header has \(header.count)"),
                        cause: "wrong number of fields")
                continue
            }
            do {
                try addRow(file: stream.path, line: line) { column, body in
                    let index: Int?
                    switch column {
                    case .time: index = timeColumn
                    case .event: index = eventColumn
                    case .key(let k): index = keyColumns[k]
                    case .parameters: index = parametersColumn
                    case .recordType: index = recordTypeColumn
                    }
                    guard let index else { return try body(nil) }
                    var local = self.scratch
                    defer { self.scratch = local }
                    return try reader.withField(index, scratch: &local) { bytes in
                        guard UTF8Validation.isValidFast(bytes) else {
                            throw RowError(cause: "invalid UTF-8", detail: "invalid UTF-8 in column \"\(self.name(of: column))\"")
                        }
                        return try body(.text(bytes))
                    }
                }
            } catch let error as RowError {
                try bad(InputError(file: stream.path, line: line, column: error.column, cause: error.detail), cause: error.cause)
            }
        }
    }

    private func readJSONLines(_ stream: ByteStream) throws {
        var line = 0
        let names: [(Column, [UInt8])] = {
            var list: [(Column, [UInt8])] = [(.time, Array(schema.timeColumn.utf8)), (.event, Array(schema.eventColumn.utf8))]
            for (k, name) in schema.keyColumns.enumerated() { list.append((.key(k), Array(name.utf8))) }
            if let p = schema.parametersColumn { list.append((.parameters, Array(p.utf8))) }
            if !recordTypes.isEmpty { list.append((.recordType, Array(schema.recordTypeColumn.utf8))) }
            return list
        }()
        var spans = [JSONScanner.Span?](repeating: nil, count: names.count)
        var sawRow = false
        while true {
            // Find the next full line.
            let buffer = UnsafeRawBufferPointer(stream.buffer)
            var p = stream.start
            var newline: Int? = nil
            while p < stream.end {
                if buffer[p] == 0x0A { newline = p; break }
                p += 1
            }
            if newline == nil && !stream.atEOF {
                _ = try stream.refill()
                continue
            }
            let lineEnd = newline ?? stream.end
            if stream.start >= stream.end && stream.atEOF { break }
            line += 1
            let bytes = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(stream.buffer)[stream.start..<lineEnd])
            defer { stream.consume(upTo: newline.map { $0 + 1 } ?? stream.end) }
            var scanner = JSONScanner(bytes)
            if scanner.atEnd() { continue }
            sawRow = true
            report.rowsRead += 1
            reportProgress(stream)
            for i in spans.indices { spans[i] = nil }
            do {
                scanner = JSONScanner(bytes)
                let view = scanner
                try scanner.forEachMember { name, value in
                    for (i, entry) in names.enumerated() where view.stringEquals(name, entry.1) { spans[i] = value }
                }
                guard scanner.atEnd() else { throw scanner.error("unexpected text after the JSON value") }
            } catch let error as JSONParser.SyntaxError {
                try bad(InputError(file: stream.path, line: line, column: error.offset + 1, cause: "invalid JSON: \(error.cause)"),
                        cause: "invalid JSON")
                continue
            }
            do {
                try addRow(file: stream.path, line: line) { column, body in
                    guard let i = names.firstIndex(where: { $0.0 == column }), let span = spans[i], span.kind != .null else {
                        return try body(nil)
                    }
                    if span.kind == .array || span.kind == .object {
                        return try body(.json(UnsafeRawBufferPointer(rebasing: bytes[span.start..<span.end])))
                    }
                    var text = self.valueBytes
                    defer { self.valueBytes = text }
                    text.removeAll(keepingCapacity: true)
                    do throws(JSONParser.SyntaxError) {
                        _ = try scanner.appendText(of: span, to: &text)
                    } catch {
                        throw RowError(cause: "invalid UTF-8", detail: "column \"\(self.name(of: column))\": \(error.cause)", column: error.offset + 1)
                    }
                    return try text.withUnsafeBytes { try body(.text($0)) }
                }
            } catch let error as RowError {
                try bad(InputError(file: stream.path, line: line, column: error.column, cause: error.detail), cause: error.cause)
            }
        }
        if !sawRow { throw InputError(file: stream.path, line: 1, cause: "the file is empty") }
    }

    // MARK: - One row

    enum Column: Equatable { case time, event, key(Int), parameters, recordType }
    enum Cell { case text(UnsafeRawBufferPointer), json(UnsafeRawBufferPointer) }

    struct RowError: Error {
        var cause: String
        var detail: String
        var column: Int? = nil
    }

    func name(of column: Column) -> String {
        switch column {
        case .time: return schema.timeColumn
        case .event: return schema.eventColumn
        case .key(let k): return schema.keyColumns[k]
        case .parameters: return schema.parametersColumn ?? ""
        case .recordType: return schema.recordTypeColumn
        }
    }

    /// Adds one row, reading its cells through `cell(column) { bytes in ... }`.
    private func addRow(file: String, line: Int,
                        cell: (Column, (Cell?) throws -> Void) throws -> Void) throws {
        // Filters first: a filtered row is not an error.
        if !recordTypes.isEmpty {
            var keep = false
            try cell(.recordType) { value in
                if case .text(let bytes)? = value { keep = self.recordTypes.contains { $0.elementsEqual(bytes) } }
            }
            if !keep { report.rowsFiltered += 1; return }
        }
        if !prefixes.isEmpty || !substrings.isEmpty, !schema.keyColumns.isEmpty {
            var excluded = false
            try cell(.key(0)) { value in
                guard case .text(let bytes)? = value else { return }
                excluded = self.prefixes.contains { Self.hasPrefix(bytes, $0) } || self.substrings.contains { Self.contains(bytes, $0) }
            }
            if excluded { report.rowsFiltered += 1; return }
        }
        var time: Int64 = 0
        try cell(.time) { value in
            guard case .text(let bytes)? = value else {
                throw RowError(cause: "missing time", detail: "missing time in column \"\(self.schema.timeColumn)\"")
            }
            guard let t = TimeParser.microseconds(bytes) else {
                let shown = String(decoding: bytes.prefix(40), as: UTF8.self)
                throw RowError(cause: "unparseable time", detail: "unparseable time \"\(shown)\" in column \"\(self.schema.timeColumn)\"")
            }
            time = t
        }
        // The key: each column's bytes, length-prefixed, so that no two keys collide.
        keyBytes.removeAll(keepingCapacity: true)
        for k in schema.keyColumns.indices {
            try cell(.key(k)) { value in
                var length: UInt32 = 0
                let lengthAt = self.keyBytes.count
                self.keyBytes.append(contentsOf: [0, 0, 0, 0])
                switch value {
                case .text(let bytes)?, .json(let bytes)?:
                    self.keyBytes.append(contentsOf: bytes)
                    length = UInt32(bytes.count)
                case nil: break
                }
                withUnsafeBytes(of: length.littleEndian) { l in
                    for i in 0..<4 { self.keyBytes[lengthAt + i] = l[i] }
                }
            }
        }
        let key = keyBytes.withUnsafeBytes { keyInterner.intern($0).id }
        var command: Int32 = -1
        try cell(.event) { value in
            guard case .text(let bytes)? = value, !bytes.isEmpty else {
                throw RowError(cause: "missing command", detail: "missing command in column \"\(self.schema.eventColumn)\"")
            }
            command = self.commandID(bytes)
        }
        events.beginEvent(commandID: command, time: time, key: key)
        do {
            try cell(.parameters) { value in
                switch value {
                case nil: return
                case .text(let bytes)?, .json(let bytes)?:
                    if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return }
                    try self.addParameters(bytes)
                }
            }
        } catch {
            events.dropLastEvent()
            throw error
        }
        report.eventsKept += 1
    }

    /// Parses a `Parameters` cell: a JSON array of `{"Name": ..., "Value": ...}` or an object.
    private func addParameters(_ bytes: UnsafeRawBufferPointer) throws {
        var scanner = JSONScanner(bytes)
        func fail(_ error: JSONParser.SyntaxError) -> RowError {
            RowError(cause: "invalid Parameters JSON",
                     detail: "invalid JSON in column \"\(schema.parametersColumn ?? "")\" at byte \(error.offset + 1): \(error.cause)")
        }
        do {
            let top = try scanner.scanValue()
            guard scanner.atEnd() else { throw scanner.error("unexpected text after the JSON value") }
            scanner.position = top.start
            let view = scanner
            switch top.kind {
            case .array:
                try scanner.forEachItem { item in
                    guard item.kind == .object else { throw view.error("a parameter is not a {\"Name\", \"Value\"} object", at: item.start) }
                    var inner = view
                    inner.position = item.start
                    var name: JSONScanner.Span? = nil, value: JSONScanner.Span? = nil
                    try inner.forEachMember { n, v in
                        if view.stringEquals(n, Self.nameKey) { name = v } else if view.stringEquals(n, Self.valueKey) { value = v }
                    }
                    guard let name, name.kind == .string else {
                        throw view.error("a parameter has no string \"Name\"", at: item.start)
                    }
                    try addParameter(view, name: name, value: value)
                }
            case .object:
                try scanner.forEachMember { name, value in try addParameter(view, name: name, value: value) }
            case .string:
                // JSON text inside a JSON string (how some exports store Parameters).
                var decoded: [UInt8] = []
                try scanner.decodeString(top, into: &decoded)
                try decoded.withUnsafeBytes { try addParameters($0) }
            case .null:
                return
            default:
                throw scanner.error("Parameters should be a JSON array or object", at: top.start)
            }
        } catch let error as JSONParser.SyntaxError {
            throw fail(error)
        }
    }

    static let nameKey = Array("Name".utf8)
    static let valueKey = Array("Value".utf8)

    private func addParameter(_ scanner: JSONScanner, name: JSONScanner.Span, value: JSONScanner.Span?) throws {
        nameBytes.removeAll(keepingCapacity: true)
        try scanner.decodeString(name, into: &nameBytes)
        let parameter = nameBytes.withUnsafeBytes { parameterID($0) }
        valueBytes.removeAll(keepingCapacity: true)
        var valueID = SessionStore.noValue
        if let value, try scanner.appendText(of: value, to: &valueBytes), !valueBytes.isEmpty {
            valueID = valueBytes.withUnsafeBytes { pairID(parameter: parameter, value: $0) }
        }
        try events.addParameter(id: parameter, valueID: valueID)
    }

    // MARK: - Interning

    private func commandID(_ bytes: UnsafeRawBufferPointer) -> Int32 {
        let (local, isNew) = commandInterner.intern(bytes)
        if isNew { commandIDs.append(events.internCommand(String(decoding: bytes, as: UTF8.self))) }
        return commandIDs[Int(local)]
    }

    private func parameterID(_ bytes: UnsafeRawBufferPointer) -> Int32 {
        let (local, isNew) = parameterInterner.intern(bytes)
        if isNew { parameterIDs.append(events.internParameter(String(decoding: bytes, as: UTF8.self))) }
        return parameterIDs[Int(local)]
    }

    private func pairID(parameter: Int32, value: UnsafeRawBufferPointer) -> Int32 {
        pairKey.removeAll(keepingCapacity: true)
        withUnsafeBytes(of: parameter.littleEndian) { pairKey.append(contentsOf: $0) }
        pairKey.append(contentsOf: value)
        let (local, isNew) = pairKey.withUnsafeBytes { pairInterner.intern($0) }
        if isNew { pairIDs.append(events.internValue(parameter: parameter, value: String(decoding: value, as: UTF8.self))) }
        return pairIDs[Int(local)]
    }

    static func hasPrefix(_ bytes: UnsafeRawBufferPointer, _ prefix: [UInt8]) -> Bool {
        guard bytes.count >= prefix.count else { return false }
        for i in 0..<prefix.count where lowerASCII(bytes[i]) != prefix[i] { return false }
        return true
    }

    static func contains(_ bytes: UnsafeRawBufferPointer, _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty else { return true }
        guard bytes.count >= needle.count else { return false }
        outer: for start in 0...(bytes.count - needle.count) {
            for i in 0..<needle.count where lowerASCII(bytes[start + i]) != needle[i] { continue outer }
            return true
        }
        return false
    }

    @inline(__always) static func lowerASCII(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b | 0x20 : b }
}

extension UTF8Validation {
    /// Like ``isValid(_:)`` with a fast path for ASCII.
    static func isValidFast(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var i = 0
        let n = bytes.count
        while i + 8 <= n {
            if bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return isValid(bytes) }
            i += 8
        }
        while i < n {
            if bytes[i] >= 0x80 { return isValid(bytes) }
            i += 1
        }
        return true
    }
}
