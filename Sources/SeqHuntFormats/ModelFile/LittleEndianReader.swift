import SeqHunt

/// A bounds-checked cursor over little-endian bytes. Every length read from the
/// bytes is checked against what is left before anything is allocated for it.
struct LittleEndianReader {
    struct Failure: Error, Sendable {
        let offset: Int
        let cause: String
    }
    let bytes: [UInt8]
    let limit: Int
    var offset = 0

    init(bytes: [UInt8], limit: Int) {
        self.bytes = bytes
        self.limit = limit
    }

    mutating func read<T: FixedWidthInteger>() throws(Failure) -> T {
        let size = MemoryLayout<T>.size
        guard limit - offset >= size else { throw Failure(offset: offset, cause: "truncated section") }
        let value = bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: T.self) }
        offset += size
        return T(littleEndian: value)
    }

    /// Fails unless `count` items of `size` bytes each fit in what is left.
    func require(count: Int, size: Int) throws(Failure) {
        let (total, overflow) = count.multipliedReportingOverflow(by: size)
        guard !overflow, total <= limit - offset else {
            throw Failure(offset: offset, cause: "\(count) items do not fit in the \(limit - offset) bytes left")
        }
    }

    mutating func int32() throws(Failure) -> Int32 {
        let raw: UInt32 = try read()
        guard raw <= UInt32(Int32.max) else { throw Failure(offset: offset - 4, cause: "id \(raw) out of range") }
        return Int32(raw)
    }

    mutating func count() throws(Failure) -> Double {
        let raw: UInt64 = try read()
        guard raw >= 1, raw <= 1 << 53 else { throw Failure(offset: offset - 8, cause: "count \(raw) out of range") }
        return Double(raw)
    }

    mutating func strings(_ count: Int) throws(Failure) -> [String] {
        try require(count: count, size: 4)
        var out: [String] = []
        out.reserveCapacity(count)
        for _ in 0..<count {
            let start = offset
            let length = Int(try read() as UInt32)
            guard length <= limit - offset else {
                throw Failure(offset: start, cause: "string of \(length) bytes runs past the end")
            }
            let text = bytes.withUnsafeBufferPointer {
                String(validating: UnsafeBufferPointer(rebasing: $0[offset..<offset + length]), as: UTF8.self)
            }
            guard let text else { throw Failure(offset: start, cause: "string is not valid UTF-8") }
            out.append(text)
            offset += length
        }
        return out
    }

    mutating func entries(_ count: UInt64) throws(Failure) -> [CountEntry] {
        guard count <= UInt64(Int.max) else { throw Failure(offset: offset, cause: "entry count out of range") }
        try require(count: Int(count), size: 16)
        // Sizes are checked above; ids and counts are checked while copying.
        var bad: Int?
        let start = offset
        let out = bytes.withUnsafeBytes { raw in
            [CountEntry](unsafeUninitializedCapacity: Int(count)) { buffer, initialized in
                initialized = 0
                for i in 0..<Int(count) {
                    let at = start + 16 * i
                    let row = UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt32.self))
                    let column = UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: at + 4, as: UInt32.self))
                    let value = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: at + 8, as: UInt64.self))
                    guard row <= UInt32(Int32.max), column <= UInt32(Int32.max), value >= 1, value <= 1 << 53 else {
                        bad = at
                        return
                    }
                    (buffer.baseAddress! + i).initialize(
                        to: CountEntry(row: Int32(row), column: Int32(column), count: Double(value)))
                    initialized = i + 1
                }
            }
        }
        if let bad { throw Failure(offset: bad, cause: "cell id or count out of range") }
        offset += 16 * Int(count)
        return out
    }
}
