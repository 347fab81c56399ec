#if canImport(Glibc)
import Glibc
#endif
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
    /// Called now and then with the bytes read so far in the current file, its size, and the events so far.
    public var progress: ((_ bytes: Int, _ size: Int, _ events: Int) -> Void)?
    private var encoder: RowEncoder

    public init(schema: EventSchema = EventSchema(), policy: BadRowPolicy = .fail) {
        self.schema = schema
        self.policy = policy
        encoder = RowEncoder(schema: schema, policy: policy)
    }

    /// The events read so far.
    public var events: EventStore { encoder.events }
    /// The row accounting so far.
    public var report: ReadReport { encoder.report }
    /// The number of distinct keys.
    public var keyCount: Int { encoder.keyInterner.count }

    /// The values of the key columns of key `id`, in ``EventSchema/keyColumns`` order.
    public func keyValues(of id: Int32) -> [String] {
        encoder.keyInterner.withBytes(of: id) { bytes in
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
        let interner = encoder.keyInterner
        let ids = (0..<Int32(interner.count)).sorted { a, b in
            interner.withBytes(of: a) { x in interner.withBytes(of: b) { y in x.lexicographicallyPrecedes(y) } }
        }
        var ranks = [Int32](repeating: 0, count: ids.count)
        for (rank, id) in ids.enumerated() { ranks[Int(id)] = Int32(rank) }
        return ranks
    }

    /// Reads one file (CSV or JSON Lines, by extension or first byte).
    ///
    /// The file is read in blocks cut at record boundaries; the pieces of a block are
    /// parsed on every core, each into its own encoder, and merged in file order, so
    /// the result (and the first error reported) is the same as a sequential read.
    public func read(path: String, threads: Int? = nil) throws {
        let format: SessionReader.Format
        do {
            let probe = try ByteStream(path: path, chunkSize: 1 << 12)
            _ = try probe.refill()
            let head = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(probe.buffer)[probe.start..<probe.end])
            guard !head.isEmpty else { throw InputError(file: path, line: 1, cause: "the file is empty") }
            format = SessionReader.format(of: path, bytes: head.bindMemory(to: UInt8.self))
        }
        let workers = max(1, threads ?? Parallel.defaultThreadCount)
        let blocks = try RecordBlocks(path: path, quoteAware: format == .csv)
        let rowsBefore = encoder.report.rowsRead
        var columns: [Int]? = nil
        var headerCount = 0
        while var pieces = try blocks.next(blockSize: workers * (24 << 20), pieces: 2 * workers) {
            let block = blocks.bytes
            if format == .csv && columns == nil {
                // The header is the first record of the file.
                let stream = ByteStream(borrowing: UnsafeRawBufferPointer(rebasing: block[pieces[0].range]), path: path)
                let reader = CSVRecordReader(stream: stream, firstLine: 1)
                guard try reader.next() else { throw InputError(file: path, line: 1, cause: "the file is empty") }
                var scratch: [UInt8] = []
                let header = reader.fields.indices.map { reader.withField($0, scratch: &scratch) { Array($0) } }
                columns = try encoder.csvColumns(header: header, file: path, line: reader.recordLine)
                headerCount = header.count
                pieces[0] = RecordBlocks.Piece(range: (pieces[0].range.lowerBound + stream.start)..<pieces[0].range.upperBound,
                                               firstLine: reader.nextLine)
            }
            let slots = ParallelSlots<Result<RowEncoder, Error>>(count: pieces.count)
            let schema = self.schema, policy = self.policy, columnsOfCSV = columns, fieldCount = headerCount
            let parts = pieces
            let shared = SharedBytes(block)
            Parallel.run(chunks: workers == 1 ? 1 : parts.count) { chunk in
                // With one worker, one call parses every piece in order.
                for i in (workers == 1 ? 0..<parts.count : chunk..<(chunk + 1)) {
                    var piece = RowEncoder(schema: schema, policy: policy)
                    let stream = ByteStream(borrowing: UnsafeRawBufferPointer(rebasing: shared.bytes[parts[i].range]), path: path)
                    do {
                        if let columnsOfCSV {
                            try piece.readCSVRecords(CSVRecordReader(stream: stream, firstLine: parts[i].firstLine),
                                                     columns: columnsOfCSV, headerCount: fieldCount)
                        } else {
                            try piece.readJSONLines(stream, firstLine: parts[i].firstLine)
                        }
                        slots.set(i, .success(piece))
                    } catch {
                        slots.set(i, .failure(error))
                    }
                }
            }
            for i in 0..<pieces.count {
                try encoder.absorb(slots.take(i).get())
            }
            encoder.report.bytesRead += pieces.reduce(0) { $0 + $1.range.count }
            progress?(blocks.bytesDone, blocks.size, encoder.events.count)
        }
        if encoder.report.rowsRead == rowsBefore && format == .jsonLines {
            throw InputError(file: path, line: 1, cause: "the file is empty")
        }
    }
}

/// Read-only bytes shared with parallel workers for the length of one block.
struct SharedBytes: @unchecked Sendable {
    let bytes: UnsafeRawBufferPointer
    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }
}

/// A bad row's cause (counted under ``cause`` with `--on-error skip`) and message.
struct RowError: Error {
    var cause: String
    var detail: String
    var column: Int? = nil
}

/// The cells of one row that the reader uses (nil: absent or null).
struct RowCells {
    var time: UnsafeRawBufferPointer?
    var event: UnsafeRawBufferPointer?
    var keys: [UnsafeRawBufferPointer?]
    var parameters: UnsafeRawBufferPointer?
    var recordType: UnsafeRawBufferPointer?

    /// Sets the cell that plays `role`.
    mutating func set(_ role: RowEncoder.Role, _ bytes: UnsafeRawBufferPointer?) {
        switch role {
        case .time: time = bytes
        case .event: event = bytes
        case .key(let k): keys[k] = bytes
        case .parameters: parameters = bytes
        case .recordType: recordType = bytes
        }
    }
}

/// The reader's state as a value: interners, id maps, scratch buffers, the events.
struct RowEncoder {
    let schema: EventSchema
    let policy: BadRowPolicy
    var events = EventStore()
    var report = ReadReport()
    var keyInterner = ByteInterner(capacity: 1 << 12)
    private var commandInterner = ByteInterner()
    private var parameterInterner = ByteInterner()
    private var pairInterner = ByteInterner(capacity: 1 << 14)
    private var commandIDs: [Int32] = []      // local command id → store id
    private var parameterIDs: [Int32] = []    // local parameter id → store id
    private var pairIDs: [Int32] = []         // local pair id → store pair id
    private var keyBytes: [UInt8] = []
    private var valueBytes: [UInt8] = []
    private var nameBytes: [UInt8] = []
    private var pairKey: [UInt8] = []
    private let recordTypes: [[UInt8]]
    private let prefixes: [[UInt8]]
    private let substrings: [[UInt8]]

    init(schema: EventSchema, policy: BadRowPolicy) {
        self.schema = schema
        self.policy = policy
        recordTypes = schema.recordTypes.map { Array($0.utf8) }
        prefixes = schema.excludedUserPrefixes.map { Array($0.lowercased().utf8) }
        substrings = schema.excludedUserSubstrings.map { Array($0.lowercased().utf8) }
    }

    /// The columns a row is read from, in a fixed order: time, event, keys..., parameters?, record type?
    enum Role: Equatable { case time, event, key(Int), parameters, recordType }

    var roles: [Role] {
        var roles: [Role] = [.time, .event] + schema.keyColumns.indices.map { .key($0) }
        if schema.parametersColumn != nil { roles.append(.parameters) }
        if !recordTypes.isEmpty { roles.append(.recordType) }
        return roles
    }

    func columnName(_ role: Role) -> String {
        switch role {
        case .time: return schema.timeColumn
        case .event: return schema.eventColumn
        case .key(let k): return schema.keyColumns[k]
        case .parameters: return schema.parametersColumn ?? ""
        case .recordType: return schema.recordTypeColumn
        }
    }

    /// A bad row: thrown in `fail` mode, counted in `skip` mode.
    mutating func bad(_ error: InputError, cause: String) throws {
        if policy == .fail { throw error }
        report.skippedByCause[cause, default: 0] += 1
    }

    // MARK: CSV

    /// The header position of each role's column (-1: no parameters column).
    func csvColumns(header: [[UInt8]], file: String, line: Int) throws -> [Int] {
        var columns: [Int] = []
        for role in roles {
            let name = columnName(role)
            if let i = header.firstIndex(of: Array(name.utf8)) {
                columns.append(i)
            } else if role == .parameters {
                columns.append(-1)   // no parameters column: events without parameters
            } else {
                let names = header.map { String(decoding: $0, as: UTF8.self) }.joined(separator: ", ")
                throw InputError(file: file, line: line, cause: "missing column \"\(name)\" (columns: \(names))")
            }
        }
        return columns
    }

    /// Reads the records of `reader` (no header) as events.
    mutating func readCSVRecords(_ reader: CSVRecordReader, columns: [Int], headerCount: Int) throws {
        let roles = self.roles
        let stream = reader.stream
        var rowBytes: [UInt8] = []
        var ranges = [(start: Int, end: Int, inScratch: Bool)](repeating: (0, 0, false), count: roles.count)
        var cells = RowCells(keys: Array(repeating: nil, count: schema.keyColumns.count))
        while try reader.next() {
            report.rowsRead += 1
            let line = reader.recordLine
            guard reader.fields.count == headerCount else {
                try bad(InputError(file: stream.path, line: line, cause: "\(reader.fields.count) fields where the header has \(headerCount)"),
                        cause: "wrong number of fields")
                continue
            }
            // Collapse doubled quotes where needed, into one scratch buffer for the row.
            rowBytes.removeAll(keepingCapacity: true)
            for (r, column) in columns.enumerated() where column >= 0 {
                let field = reader.fields[column]
                if field.escapedQuotes {
                    let start = rowBytes.count
                    reader.collapseQuotes(field, into: &rowBytes)
                    ranges[r] = (start, rowBytes.count, true)
                } else {
                    ranges[r] = (field.start, field.end, false)
                }
            }
            let buffer = reader.bytes
            do {
                try rowBytes.withUnsafeBytes { scratch in
                    func cell(_ r: Int) -> UnsafeRawBufferPointer? {
                        guard columns[r] >= 0 else { return nil }
                        let range = ranges[r]
                        return UnsafeRawBufferPointer(rebasing: (range.inScratch ? scratch : buffer)[range.start..<range.end])
                    }
                    for r in roles.indices {
                        guard let bytes = cell(r), !UTF8Validation.isValidFast(bytes) else { continue }
                        throw RowError(cause: "invalid UTF-8", detail: "invalid UTF-8 in column \"\(columnName(roles[r]))\"")
                    }
                    for (r, role) in roles.enumerated() { cells.set(role, cell(r)) }
                    try addRow(cells)
                }
            } catch let error as RowError {
                try bad(InputError(file: stream.path, line: line, column: error.column, cause: error.detail), cause: error.cause)
            }
        }
    }

    // MARK: JSON Lines

    mutating func readJSONLines(_ stream: ByteStream, firstLine: Int) throws {
        let roles = self.roles
        let names = roles.map { Array(columnName($0).utf8) }
        var spans = [JSONScanner.Span?](repeating: nil, count: roles.count)
        var rowBytes: [UInt8] = []
        var ranges = [(start: Int, end: Int, inScratch: Bool)?](repeating: nil, count: roles.count)
        var cells = RowCells(keys: Array(repeating: nil, count: schema.keyColumns.count))
        var line = firstLine - 1
        while true {
            let buffer = UnsafeRawBufferPointer(stream.buffer)
            var newline: Int? = nil
            if stream.start < stream.end,
               let found = memchr(buffer.baseAddress! + stream.start, 0x0A, stream.end - stream.start) {
                newline = buffer.baseAddress!.distance(to: UnsafeRawPointer(found))
            }
            if newline == nil && !stream.atEOF {
                _ = try stream.refill()
                continue
            }
            if stream.start >= stream.end && stream.atEOF { break }
            let lineEnd = newline ?? stream.end
            line += 1
            let bytes = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(stream.buffer)[stream.start..<lineEnd])
            defer { stream.consume(upTo: newline.map { $0 + 1 } ?? stream.end) }
            var scanner = JSONScanner(bytes)
            if scanner.atEnd() { continue }
            report.rowsRead += 1
            for i in spans.indices { spans[i] = nil }
            do {
                let view = scanner
                try scanner.forEachMember { name, value in
                    for i in names.indices where view.stringEquals(name, names[i]) { spans[i] = value }
                }
                guard scanner.atEnd() else { throw scanner.error("unexpected text after the JSON value") }
            } catch let error as JSONParser.SyntaxError {
                try bad(InputError(file: stream.path, line: line, column: error.offset + 1, cause: "invalid JSON: \(error.cause)"),
                        cause: "invalid JSON")
                continue
            }
            do {
                // Cell text: strings decoded, other scalars as JSON text, nested values compact;
                // a nested Parameters value is parsed as is.
                rowBytes.removeAll(keepingCapacity: true)
                for r in roles.indices {
                    guard let span = spans[r], span.kind != .null else { ranges[r] = nil; continue }
                    if roles[r] == .parameters && (span.kind == .array || span.kind == .object) {
                        ranges[r] = (span.start, span.end, false)
                        continue
                    }
                    let start = rowBytes.count
                    do throws(JSONParser.SyntaxError) {
                        _ = try scanner.appendText(of: span, to: &rowBytes)
                    } catch {
                        throw RowError(cause: "invalid UTF-8", detail: "column \"\(columnName(roles[r]))\": \(error.cause)",
                                       column: error.offset + 1)
                    }
                    ranges[r] = (start, rowBytes.count, true)
                }
                try rowBytes.withUnsafeBytes { scratch in
                    func cell(_ r: Int) -> UnsafeRawBufferPointer? {
                        guard let range = ranges[r] else { return nil }
                        return UnsafeRawBufferPointer(rebasing: (range.inScratch ? scratch : bytes)[range.start..<range.end])
                    }
                    for (r, role) in roles.enumerated() { cells.set(role, cell(r)) }
                    try addRow(cells)
                }
            } catch let error as RowError {
                try bad(InputError(file: stream.path, line: line, column: error.column, cause: error.detail), cause: error.cause)
            }
        }
    }

    /// Takes over the events and the accounting of a worker's encoder.
    mutating func absorb(_ piece: RowEncoder) throws {
        let keyMap = (0..<Int32(piece.keyInterner.count)).map { id in
            piece.keyInterner.withBytes(of: id) { keyInterner.intern($0).id }
        }
        try events.append(piece.events, keyMap: keyMap)
        report.rowsRead += piece.report.rowsRead
        report.eventsKept += piece.report.eventsKept
        report.rowsFiltered += piece.report.rowsFiltered
        for (cause, count) in piece.report.skippedByCause { report.skippedByCause[cause, default: 0] += count }
    }

    // MARK: One row

    /// Filters, then encodes one row as an event.
    mutating func addRow(_ cells: RowCells) throws {
        // Filters first: a filtered row is not an error.
        if !recordTypes.isEmpty {
            guard let type = cells.recordType, recordTypes.contains(where: { $0.elementsEqual(type) }) else {
                report.rowsFiltered += 1
                return
            }
        }
        if !prefixes.isEmpty || !substrings.isEmpty, let user = cells.keys.first ?? nil {
            if prefixes.contains(where: { Self.hasPrefix(user, $0) }) || substrings.contains(where: { Self.contains(user, $0) }) {
                report.rowsFiltered += 1
                return
            }
        }
        guard let timeText = cells.time else {
            throw RowError(cause: "missing time", detail: "missing time in column \"\(schema.timeColumn)\"")
        }
        guard let time = TimeParser.microseconds(timeText) else {
            let shown = String(decoding: timeText.prefix(40), as: UTF8.self)
            throw RowError(cause: "unparseable time", detail: "unparseable time \"\(shown)\" in column \"\(schema.timeColumn)\"")
        }
        guard let eventText = cells.event, !eventText.isEmpty else {
            throw RowError(cause: "missing command", detail: "missing command in column \"\(schema.eventColumn)\"")
        }
        // The key: each column's bytes, length-prefixed, so that no two keys collide.
        keyBytes.removeAll(keepingCapacity: true)
        for value in cells.keys {
            var length = UInt32(value?.count ?? 0).littleEndian
            withUnsafeBytes(of: &length) { keyBytes.append(contentsOf: $0) }
            if let value { keyBytes.append(contentsOf: value) }
        }
        let key = keyBytes.withUnsafeBytes { keyInterner.intern($0).id }
        events.beginEvent(commandID: commandID(eventText), time: time, key: key)
        if let parameters = cells.parameters {
            do {
                try addParameters(parameters)
            } catch {
                events.dropLastEvent()
                throw error
            }
        }
        report.eventsKept += 1
    }

    /// Parses a `Parameters` cell in one pass: a JSON array of `{"Name": ..., "Value": ...}`
    /// objects, a JSON object `{name: value}`, JSON text inside a JSON string, or null.
    mutating func addParameters(_ bytes: UnsafeRawBufferPointer) throws {
        var scanner = JSONScanner(bytes)
        var embedded: [UInt8]? = nil
        do throws(JSONParser.SyntaxError) {
            if scanner.atEnd() { return }
            switch scanner.peek() {
            case UInt8(ascii: "["):
                if try scanner.enter(UInt8(ascii: "["), UInt8(ascii: "]"), expected: "") {
                    repeat {
                        try addNameValueObject(&scanner)
                    } while try scanner.continues(closing: UInt8(ascii: "]"))
                }
            case UInt8(ascii: "{"):
                if try scanner.enter(UInt8(ascii: "{"), UInt8(ascii: "}"), expected: "") {
                    repeat {
                        try scanner.expectMemberName()
                        nameBytes.removeAll(keepingCapacity: true)
                        try scanner.readString(into: &nameBytes)
                        try scanner.expectColon()
                        try addParameter(named: &scanner)
                    } while try scanner.continues(closing: UInt8(ascii: "}"))
                }
            case UInt8(ascii: "\""):
                var decoded: [UInt8] = []
                try scanner.readString(into: &decoded)
                embedded = decoded
            case UInt8(ascii: "n"):
                try scanner.literal("null")
            default:
                throw scanner.error("Parameters should be a JSON array or object")
            }
            guard scanner.atEnd() else { throw scanner.error("unexpected text after the JSON value") }
        } catch {
            throw RowError(cause: "invalid Parameters JSON",
                           detail: "invalid JSON in column \"\(schema.parametersColumn ?? "")\" at byte \(error.offset + 1): \(error.cause)")
        }
        if let embedded {
            try embedded.withUnsafeBytes { try addParameters($0) }
        }
    }

    /// One `{"Name": ..., "Value": ...}` object (members in any order, others ignored).
    private mutating func addNameValueObject(_ scanner: inout JSONScanner) throws(JSONParser.SyntaxError) {
        scanner.skipWhitespace()
        let objectStart = scanner.position
        var haveName = false, haveValue = false
        valueBytes.removeAll(keepingCapacity: true)
        if try scanner.enter(UInt8(ascii: "{"), UInt8(ascii: "}"), expected: "a parameter is not a {\"Name\", \"Value\"} object") {
            while true {
                let member = try scanner.skipMemberName()
                scanner.skipWhitespace()
                if scanner.stringEquals(member, Self.nameKey) && scanner.peek() == UInt8(ascii: "\"") {
                    nameBytes.removeAll(keepingCapacity: true)
                    try scanner.readString(into: &nameBytes)
                    haveName = true
                } else if scanner.stringEquals(member, Self.valueKey) {
                    // Decode the value as it is scanned (the last "Value" wins).
                    valueBytes.removeAll(keepingCapacity: true)
                    if scanner.peek() == UInt8(ascii: "\"") {
                        try scanner.readString(into: &valueBytes)
                        haveValue = true
                    } else {
                        haveValue = try scanner.appendText(of: scanner.scanValue(depth: 1), to: &valueBytes)
                    }
                } else {
                    _ = try scanner.scanValue(depth: 1)
                }
                if try !scanner.continues(closing: UInt8(ascii: "}")) { break }
            }
        }
        guard haveName else { throw scanner.error("a parameter has no string \"Name\"", at: objectStart) }
        let parameter = nameBytes.withUnsafeBytes { parameterID($0) }
        var valueID = SessionStore.noValue
        if haveValue && !valueBytes.isEmpty {
            valueID = valueBytes.withUnsafeBytes { pairID(parameter: parameter, value: $0) }
        }
        addOccurrence(parameter, valueID)
    }

    /// The value of a `{name: value}` member whose name is in `nameBytes`.
    private mutating func addParameter(named scanner: inout JSONScanner) throws(JSONParser.SyntaxError) {
        let parameter = nameBytes.withUnsafeBytes { parameterID($0) }
        scanner.skipWhitespace()
        valueBytes.removeAll(keepingCapacity: true)
        if scanner.peek() == UInt8(ascii: "\"") {
            try scanner.readString(into: &valueBytes)
        } else {
            let span = try scanner.scanValue(depth: 1)
            _ = try scanner.appendText(of: span, to: &valueBytes)
        }
        let valueID = valueBytes.isEmpty ? SessionStore.noValue : valueBytes.withUnsafeBytes { pairID(parameter: parameter, value: $0) }
        addOccurrence(parameter, valueID)
    }

    private mutating func addOccurrence(_ parameter: Int32, _ valueID: Int32) {
        // Parameter ids fit 32 bits by construction; only the 4-billion-occurrence limit can fail.
        do { try events.addParameter(id: parameter, valueID: valueID) } catch { report.skippedByCause["too many parameters", default: 0] += 1 }
    }

    static let nameKey = Array("Name".utf8)
    static let valueKey = Array("Value".utf8)

    // MARK: Interning

    private mutating func commandID(_ bytes: UnsafeRawBufferPointer) -> Int32 {
        let (local, isNew) = commandInterner.intern(bytes)
        if isNew { commandIDs.append(events.internCommand(String(decoding: bytes, as: UTF8.self))) }
        return commandIDs[Int(local)]
    }

    private mutating func parameterID(_ bytes: UnsafeRawBufferPointer) -> Int32 {
        let (local, isNew) = parameterInterner.intern(bytes)
        if isNew { parameterIDs.append(events.internParameter(String(decoding: bytes, as: UTF8.self))) }
        return parameterIDs[Int(local)]
    }

    private mutating func pairID(parameter: Int32, value: UnsafeRawBufferPointer) -> Int32 {
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
    /// Whether `bytes[from...]` is valid UTF-8, with a fast path for ASCII.
    static func isValidFast(_ bytes: [UInt8], from: Int) -> Bool {
        bytes.withUnsafeBytes { isValidFast(UnsafeRawBufferPointer(rebasing: $0[from...])) }
    }

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
