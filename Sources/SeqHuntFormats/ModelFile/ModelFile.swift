import SeqHunt

/// The binary model file (`docs/MODEL-FORMAT.md`): a header, the vocabularies and
/// the raw counts in compact form (`ModelCounts.Parts`), and a checksum.
///
/// Raw counts, not probabilities, are stored, so that loading gives back the same
/// model bit for bit and merging files is exact. Everything is little-endian.
public enum ModelFile {
    /// The first 8 bytes of every model file.
    public static let magic: [UInt8] = Array("SEQHUNTM".utf8)
    /// The format version this build writes and the newest it reads.
    public static let formatVersion: UInt32 = 1
    /// The size of the fixed header, in bytes.
    static let headerSize = Header.size
    /// Bit 0 of the flags byte: the modellable parameters were fixed by the user.
    static let fixedModellableFlag: UInt8 = 1

    /// The bytes of `model`'s file.
    /// - Complexity: O(vocabularies + non-zero cells).
    public static func encode(_ model: Model) -> [UInt8] {
        let parts = model.counts.parts
        let fixed = model.modellableParametersFixed ? model.modellableParameters.sorted() : []
        var out: [UInt8] = []
        out.reserveCapacity(
            headerSize + 16 * (parts.transitions.count + parts.commandParameters.count)
                + 24 * parts.pairValues.count + 24 * parts.commandNames.count + 8)
        // Each field is written where the header's layout puts it (checked in debug builds).
        func field(_ offset: Int, _ write: (inout [UInt8]) -> Void) {
            assert(out.count == offset, "model header field at \(out.count), expected \(offset)")
            write(&out)
        }
        field(Header.magic) { $0.append(contentsOf: magic) }
        field(Header.version) { $0.appendLittleEndian(formatVersion) }
        field(Header.type) { $0.append(typeCode(parts.type)) }
        field(Header.flags) { $0.append(model.modellableParametersFixed ? fixedModellableFlag : 0) }
        field(Header.reserved) { $0.appendLittleEndian(UInt16(0)) }
        field(Header.length) { $0.appendLittleEndian(UInt64(0)) }  // the file length, patched below
        field(Header.sessions) { $0.appendLittleEndian(UInt64(parts.sessionCount)) }
        field(Header.events) { $0.appendLittleEndian(UInt64(parts.eventCount)) }
        field(Header.commands) { $0.appendLittleEndian(UInt32(parts.commandNames.count)) }
        field(Header.parameters) { $0.appendLittleEndian(UInt32(parts.parameterNames.count)) }
        field(Header.pairs) { $0.appendLittleEndian(UInt32(parts.pairValues.count)) }
        field(Header.fixedNames) { $0.appendLittleEndian(UInt32(fixed.count)) }
        field(Header.transitions) { $0.appendLittleEndian(UInt64(parts.transitions.count)) }
        field(Header.commandParameters) { $0.appendLittleEndian(UInt64(parts.commandParameters.count)) }
        assert(out.count == Header.size)
        out.appendFixedWidth(parts.pairParameters, size: 4) { raw, at, p in
            raw.storeBytes(of: UInt32(p).littleEndian, toByteOffset: at, as: UInt32.self)
        }
        out.appendFixedWidth(parts.pairCounts, size: 8) { raw, at, c in
            raw.storeBytes(of: UInt64(c).littleEndian, toByteOffset: at, as: UInt64.self)
        }
        for matrix in [parts.transitions, parts.commandParameters] {
            out.appendFixedWidth(matrix, size: 16) { raw, at, e in
                raw.storeBytes(of: UInt32(e.row).littleEndian, toByteOffset: at, as: UInt32.self)
                raw.storeBytes(of: UInt32(e.column).littleEndian, toByteOffset: at + 4, as: UInt32.self)
                raw.storeBytes(of: UInt64(e.count).littleEndian, toByteOffset: at + 8, as: UInt64.self)
            }
        }
        // The strings come last, so that every fixed-width section sits at an offset the
        // header gives: the two halves are read in parallel.
        for list in [parts.commandNames, parts.parameterNames, parts.pairValues, fixed] {
            for name in list {
                out.appendLittleEndian(UInt32(name.utf8.count))
                out.append(contentsOf: name.utf8)
            }
        }
        let length = UInt64(out.count + 8)
        withUnsafeBytes(of: length.littleEndian) { out.replaceSubrange(Header.length..<Header.length + 8, with: $0) }
        out.appendLittleEndian(modelChecksum(out[...]))
        return out
    }

    /// The largest model file read: a terabyte (the hard case of the benchmarks is 29 MB).
    static let maximumLength: UInt64 = 1 << 40

    /// The bytes a reader needs first: the header up to and including the file's length.
    package static let headLength = Header.length + 8

    /// The length of the whole file that `head` (its first ``headLength`` bytes or more)
    /// declares, for a reader that reads no further; `nil` when `head` is not the head of a
    /// model file (``decode(_:path:)`` then says what is wrong).
    /// - Throws: ``ModelFileError`` when the length is past what this reader loads.
    package static func declaredLength(head: [UInt8], path: String) throws(ModelFileError) -> Int? {
        guard head.count >= headLength, head[0..<magic.count].elementsEqual(magic) else { return nil }
        let length: UInt64 = head.withUnsafeBytes {
            $0.loadUnaligned(fromByteOffset: Header.length, as: UInt64.self).littleEndian
        }
        guard length <= maximumLength else {
            throw ModelFileError(
                path: path, offset: Header.length,
                cause: "its header claims \(length) bytes, more than a model this reader loads")
        }
        return Int(length)
    }

    /// The model in `bytes`, after checking everything: the magic, the version, the
    /// length, the checksum, then every count (the engine's `ModelCounts.init(parts:)`).
    /// - Parameters:
    ///   - bytes: the whole file.
    ///   - path: named in errors.
    /// - Throws: ``ModelFileError``, one line naming the file and the first problem.
    /// - Complexity: O(bytes).
    public static func decode(_ bytes: [UInt8], path: String) throws -> Model {
        func fail(_ cause: String, at offset: Int? = nil) -> ModelFileError {
            ModelFileError(path: path, offset: offset, cause: cause)
        }
        guard bytes.count >= magic.count, Array(bytes[0..<magic.count]) == magic else {
            throw fail(
                bytes.isEmpty ? "empty file, not a SeqHunt model" : "not a SeqHunt model file (wrong magic number)")
        }
        // The version right after the magic number, so that a newer file is named as such
        // even when this reader cannot make sense of its size.
        if bytes.count >= Header.version + 4 {
            let version = bytes.withUnsafeBytes {
                UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: Header.version, as: UInt32.self))
            }
            guard version <= formatVersion else {
                throw fail(
                    "format version \(version) is newer than this seqhunt reads (\(formatVersion)); upgrade seqhunt")
            }
            guard version >= 1 else { throw fail("unknown format version \(version)") }
        }
        guard bytes.count >= headerSize + 8 else {
            throw fail("truncated: \(bytes.count) bytes, shorter than the \(headerSize)-byte header and checksum")
        }
        var reader = LittleEndianReader(bytes: bytes, limit: bytes.count - 8)
        reader.offset = Header.type
        let length: UInt64 = bytes.withUnsafeBytes {
            $0.loadUnaligned(fromByteOffset: Header.length, as: UInt64.self).littleEndian
        }
        guard length == UInt64(bytes.count) else {
            throw fail(
                length > UInt64(bytes.count)
                    ? "truncated: \(bytes.count) of \(length) bytes"
                    : "\(UInt64(bytes.count) - length) bytes of trailing data after the \(length)-byte model")
        }
        let stored: UInt64 = bytes.withUnsafeBytes {
            $0.loadUnaligned(fromByteOffset: bytes.count - 8, as: UInt64.self).littleEndian
        }
        guard stored == modelChecksum(bytes[0..<bytes.count - 8]) else {
            throw fail("checksum mismatch: the file is damaged")
        }
        do {
            let typeByte: UInt8 = try reader.read()
            guard let type = sessionType(typeByte) else {
                throw fail("unknown session type code \(typeByte)", at: Header.type)
            }
            let flags: UInt8 = try reader.read()
            guard flags & ~fixedModellableFlag == 0 else { throw fail("unknown flags \(flags)", at: Header.flags) }
            let reserved: UInt16 = try reader.read()
            guard reserved == 0 else { throw fail("reserved bytes are not zero", at: Header.reserved) }
            let _: UInt64 = try reader.read()
            let sessions: UInt64 = try reader.read(), events: UInt64 = try reader.read()
            // Every count is exact in a Double: at most 2^53 (so are all sums the checks make).
            guard sessions <= 1 << 53, events <= 1 << 53, sessions + events <= 1 << 53 else {
                throw fail("session or event count out of range", at: Header.sessions)
            }
            let nCommands: UInt32 = try reader.read(), nParameters: UInt32 = try reader.read()
            let nPairs: UInt32 = try reader.read(), nFixed: UInt32 = try reader.read()
            let nTransitions: UInt64 = try reader.read(), nCommandParameters: UInt64 = try reader.read()
            // Fixed-width sections at offsets the header gives, then the strings.
            // Each count is bounded by the bytes left before any arithmetic on it.
            let left = UInt64(reader.limit - reader.offset)
            guard UInt64(nPairs) <= left / 12, nTransitions <= left / 16, nCommandParameters <= left / 16,
                12 * UInt64(nPairs) + 16 * (nTransitions + nCommandParameters) <= left
            else {
                throw fail("the header's counts need more bytes than the file holds", at: Header.commands)
            }
            let fixedWidth = reader
            let fixedBytes = 12 * Int(nPairs) + 16 * (Int(nTransitions) + Int(nCommandParameters))
            var strings = reader
            strings.offset += fixedBytes
            let text = ParallelSlots<Result<[[String]], LittleEndianReader.Failure>>(count: 1)
            let numbers = ParallelSlots<
                Result<([Int32], [Double], [CountEntry], [CountEntry]), LittleEndianReader.Failure>
            >(count: 1)
            Parallel.run(chunks: 2) { [strings, fixedWidth] task in
                if task == 0 {
                    var reader = strings
                    text.set(
                        0,
                        Result { () throws(LittleEndianReader.Failure) in
                            let lists = try [nCommands, nParameters, nPairs, nFixed].map {
                                count throws(LittleEndianReader.Failure) in
                                try reader.strings(Int(count))
                            }
                            guard reader.offset == reader.limit else {
                                throw LittleEndianReader.Failure(
                                    offset: reader.offset,
                                    cause: "\(reader.limit - reader.offset) unexplained bytes before the checksum")
                            }
                            return lists
                        })
                } else {
                    var reader = fixedWidth
                    numbers.set(
                        0,
                        Result { () throws(LittleEndianReader.Failure) in
                            var pairParameters = [Int32](), pairCounts = [Double]()
                            pairParameters.reserveCapacity(Int(nPairs))
                            pairCounts.reserveCapacity(Int(nPairs))
                            for _ in 0..<nPairs { pairParameters.append(try reader.int32()) }
                            for _ in 0..<nPairs { pairCounts.append(try reader.count()) }
                            return (
                                pairParameters, pairCounts, try reader.entries(nTransitions),
                                try reader.entries(nCommandParameters)
                            )
                        })
                }
            }
            let lists = try text.take(0).get()
            let (commandNames, parameterNames, pairValues, fixed) = (lists[0], lists[1], lists[2], lists[3])
            let (pairParameters, pairCounts, transitions, commandParameters) = try numbers.take(0).get()
            let parts = ModelCounts.Parts(
                type: type, sessionCount: Int(sessions), eventCount: Int(events), commandNames: commandNames,
                parameterNames: parameterNames, pairParameters: pairParameters, pairValues: pairValues,
                pairCounts: pairCounts, transitions: transitions, commandParameters: commandParameters)
            let counts = try ModelCounts(parts: parts)
            let isFixed = flags & fixedModellableFlag != 0
            guard isFixed || fixed.isEmpty else { throw fail("modellable parameters listed but not marked fixed") }
            guard fixed.isEmpty || type.usesValues else {
                throw fail("a \(type.rawValue) model lists modellable parameters")
            }
            guard Set(fixed).count == fixed.count else { throw fail("a modellable parameter is listed twice") }
            return try Model(counts: counts, modellableParameters: isFixed ? Set(fixed) : nil)
        } catch let error as LittleEndianReader.Failure {
            throw fail(error.cause, at: error.offset)
        } catch let error as ModelError {
            throw fail(error.description)
        }
    }

    /// The checksum that ends a model file, of the bytes before it (see `docs/MODEL-FORMAT.md`).
    public static func checksum(of bytes: ArraySlice<UInt8>) -> UInt64 { modelChecksum(bytes) }

    static func typeCode(_ type: SessionType) -> UInt8 {
        switch type {
        case .commands: return 0
        case .parameters: return 1
        case .values: return 2
        }
    }

    static func sessionType(_ code: UInt8) -> SessionType? {
        switch code {
        case 0: return .commands
        case 1: return .parameters
        case 2: return .values
        default: return nil
        }
    }
}

/// The model file's checksum: over 64-bit little-endian words (the last one padded
/// with zero bytes), `h = rotl64(h ^ word, 27) * 0x9E3779B97F4A7C15` (wrapping),
/// starting from `0xCBF29CE484222325 ^ byteCount`. Each step is a bijection of `h`,
/// so a change confined to one word always changes the result; at one multiply per
/// 8 bytes it runs at memory speed.
func modelChecksum(_ bytes: ArraySlice<UInt8>) -> UInt64 {
    bytes.withUnsafeBytes { raw in
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325 ^ UInt64(raw.count)
        let words = raw.count / 8
        for i in 0..<words {
            let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))
            hash = ((hash ^ word).rotatedLeft(by: 27)) &* 0x9E37_79B9_7F4A_7C15
        }
        if raw.count % 8 != 0 {
            var tail: UInt64 = 0
            for (shift, byte) in raw[(8 * words)...].enumerated() { tail |= UInt64(byte) << (8 * shift) }
            hash = ((hash ^ tail).rotatedLeft(by: 27)) &* 0x9E37_79B9_7F4A_7C15
        }
        return hash
    }
}

extension UInt64 {
    func rotatedLeft(by n: UInt64) -> UInt64 { (self << n) | (self >> (64 - n)) }
}

extension [UInt8] {
    mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }

    /// Appends `size` bytes per element, each stored by `store(buffer, offset, element)`.
    mutating func appendFixedWidth<E>(
        _ elements: [E], size: Int,
        _ store: (UnsafeMutableRawBufferPointer, Int, E) -> Void
    ) {
        let start = count
        append(contentsOf: repeatElement(0, count: elements.count * size))
        withUnsafeMutableBytes { raw in
            for (i, element) in elements.enumerated() { store(raw, start + i * size, element) }
        }
    }
}
