import SeqHunt

/// The reader's state as a value: interners, id maps, scratch buffers, the events.
///
/// Each parallel worker fills its own; ``absorb(_:)`` merges them in file order.
struct RowDecoder {
    let schema: EventSchema
    let policy: BadRowPolicy
    var file: String
    var events = EventStore()
    var report = ReadReport()
    var keyInterner = ByteInterner(capacity: 1 << 12)
    var dateOrder = ColumnDateOrder()
    /// Per role, whether any JSON record had the column (CSV checks its header instead).
    var seen: [Bool]
    private var keyBytes = OutputBuffer(capacity: 256)
    var parameterParser = ParameterParser()
    private let recordTypes: [[UInt8]]
    private let prefixes: [[UInt8]]
    private let substrings: [[UInt8]]
    /// Per exclusion column, its excluded values sorted bytewise (binary search, no allocation per row).
    private let excludedValues: [[[UInt8]]]
    let roles: [Role]

    init(schema: EventSchema, policy: BadRowPolicy, file: String) {
        self.schema = schema
        self.policy = policy
        self.file = file
        recordTypes = schema.recordTypes.map { Array($0.utf8) }
        prefixes = schema.excludedUserPrefixes.map { Array($0.lowercased().utf8) }
        substrings = schema.excludedUserSubstrings.map { Array($0.lowercased().utf8) }
        excludedValues = schema.exclusionColumns.map { column in
            schema.exclusions.filter { $0.column == column }.map { Array($0.value.utf8) }.sorted {
                $0.lexicographicallyPrecedes($1)
            }
        }
        var roles: [Role] = [.time, .event] + schema.keyColumns.indices.map { .key($0) }
        if schema.parametersColumn != nil { roles.append(.parameters) }
        if !schema.recordTypes.isEmpty { roles.append(.recordType) }
        roles += schema.exclusionColumns.indices.map { .excluded($0) }
        self.roles = roles
        seen = Array(repeating: false, count: roles.count)
    }

    /// The columns a row is read from, in a fixed order: time, event, keys..., parameters?,
    /// record type?, excluded columns...
    enum Role: Equatable {
        case time, event
        case key(Int)
        case parameters, recordType
        case excluded(Int)
    }

    func columnName(_ role: Role) -> String {
        switch role {
        case .time: return schema.timeColumn
        case .event: return schema.eventColumn
        case .key(let k): return schema.keyColumns[k]
        case .parameters: return schema.parametersColumn ?? ""
        case .recordType: return schema.recordTypeColumn
        case .excluded(let e): return schema.exclusionColumns[e]
        }
    }

    /// Whether an input must have the role's column (only the default parameters column may be missing).
    func isRequired(_ role: Role) -> Bool { role != .parameters || schema.parametersColumnRequired }

    /// A bad row: thrown in `fail` mode, counted (and the first one kept) in `skip` mode.
    mutating func bad(_ error: InputError, cause: String) throws {
        if policy == .fail { throw error }
        report.skippedByCause[cause, default: 0] += 1
        if report.firstSkipped == nil { report.firstSkipped = error.description }
    }

    /// Takes over the events and the accounting of a worker's decoder.
    mutating func absorb(_ piece: RowDecoder) throws {
        keyInterner.reserveCapacity(adding: piece.keyInterner.count, bytes: piece.keyInterner.totalBytes)
        let keyMap = (0..<Int32(piece.keyInterner.count)).map {
            keyInterner.intern($0, of: piece.keyInterner, tag: 0).id
        }
        dateOrder.add(piece.dateOrder, offset: events.count)
        try events.append(piece.events, keyMap: keyMap)
        report.add(piece.report)
        for r in seen.indices where piece.seen[r] { seen[r] = true }
    }

    // MARK: One row

    /// Filters, then encodes one row as an event. `cells` holds each role's cell; `line` is
    /// asked only when a first date says its order (CSV lines are counted lazily).
    mutating func addRow(_ row: RowCells, line: @autoclosure () -> Int) throws {
        // Filters first: a filtered row is not an error.
        var user: UnsafeRawBufferPointer?? = nil
        for (r, role) in roles.enumerated() {
            switch role {
            case .recordType:
                guard let type = row.cells[r], recordTypes.contains(where: { $0.elementsEqual(type) }) else {
                    report.rowsFiltered += 1
                    return
                }
            case .excluded(let e):
                if let value = row.cells[r], Self.sortedContains(excludedValues[e], value) {
                    report.rowsFiltered += 1
                    return
                }
            case .key(0):
                user = row.cells[r]
            default:
                break
            }
        }
        if !prefixes.isEmpty || !substrings.isEmpty, let user = user ?? nil {
            if prefixes.contains(where: { Self.hasPrefix(user, $0) })
                || substrings.contains(where: { Self.contains(user, $0) })
            {
                report.rowsFiltered += 1
                return
            }
        }
        var time: Int64 = 0
        var evidence = TimeParser.DateOrderEvidence.none
        var eventText: UnsafeRawBufferPointer?
        var parameters: UnsafeRawBufferPointer?
        keyBytes.removeAll()
        for (r, role) in roles.enumerated() {
            switch role {
            case .time:
                guard let text = row.cells[r] else {
                    throw RowError(cause: "missing time", detail: "missing time in column \"\(schema.timeColumn)\"")
                }
                if let format = schema.timeFormat {
                    guard let ticks = format.ticks(text) else {
                        throw unparseableTime(text, expected: " (expected --time-format \"\(format.pattern)\")")
                    }
                    time = ticks
                } else {
                    guard let parsed = TimeParser.ticks(text, order: .monthFirst) else {
                        throw unparseableTime(text, expected: "")
                    }
                    (time, evidence) = parsed
                }
                // Every output writes times as four-digit UTC years: a time whose offset takes it
                // past them is refused here rather than lost from a picture later.
                guard TimeParser.representable.contains(time) else {
                    throw RowError(
                        cause: "time out of range",
                        detail:
                            "time \"\(String(decoding: text.prefix(40), as: UTF8.self))\" in column \"\(schema.timeColumn)\" is outside the years 0001 to 9999 in UTC"
                    )
                }
            case .event:
                guard let text = row.cells[r], !text.isEmpty else {
                    throw RowError(
                        cause: "missing command", detail: "missing command in column \"\(schema.eventColumn)\"")
                }
                eventText = text
            case .key:
                // The key: each column's bytes, length-prefixed, so that no two keys collide.
                let value = row.cells[r]
                var length = UInt32(value?.count ?? 0).littleEndian
                withUnsafeBytes(of: &length) { keyBytes.append(bytes: $0) }
                if let value { keyBytes.append(bytes: value) }
            case .parameters:
                parameters = row.cells[r]
            case .recordType, .excluded:
                break
            }
        }
        let key = keyInterner.intern(keyBytes.bytes).id
        events.beginEvent(uncheckedCommandID: events.internCommand(bytes: eventText!), time: time, key: key)
        if let parameters {
            do {
                try addParameters(parameters)
            } catch {
                events.dropLastEvent()
                throw error
            }
        }
        switch evidence {
        case .none: break
        case .dayFirst: if dateOrder.dayFirstLine == nil { dateOrder.dayFirstLine = line() }
        case .monthFirst: if dateOrder.monthFirstLine == nil { dateOrder.monthFirstLine = line() }
        case .ambiguous:
            dateOrder.ambiguousEvents.append(Int32(events.count - 1))
            if dateOrder.ambiguousLine == nil { dateOrder.ambiguousLine = line() }
        }
        report.eventsKept += 1
    }

    private func unparseableTime(_ text: UnsafeRawBufferPointer, expected: String) -> RowError {
        let shown = String(decoding: text.prefix(40), as: UTF8.self)
        return RowError(
            cause: "unparseable time",
            detail: "unparseable time \"\(shown)\" in column \"\(schema.timeColumn)\"\(expected)")
    }

    // MARK: Byte comparisons

    static func sortedContains(_ sorted: [[UInt8]], _ value: UnsafeRawBufferPointer) -> Bool {
        var low = 0, high = sorted.count
        while low < high {
            let mid = (low + high) / 2
            if sorted[mid].lexicographicallyPrecedes(value) { low = mid + 1 } else { high = mid }
        }
        return low < sorted.count && sorted[low].elementsEqual(value)
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
