import SeqHunt

/// A session key as the reader interns it: each key column's bytes behind a 32-bit length.
enum KeyBytes {
    /// The column values of a key.
    static func values(_ bytes: UnsafeRawBufferPointer) -> [UnsafeRawBufferPointer] {
        var values: [UnsafeRawBufferPointer] = []
        var p = 0
        while p + 4 <= bytes.count {
            let length = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: p, as: UInt32.self)))
            values.append(UnsafeRawBufferPointer(rebasing: bytes[(p + 4)..<(p + 4 + length)]))
            p += 4 + length
        }
        return values
    }

    /// Whether key `a` sorts before key `b`: column by column, each bytewise.
    static func precedes(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        var p = 0, q = 0
        while p + 4 <= a.count && q + 4 <= b.count {
            let m = Int(UInt32(littleEndian: a.loadUnaligned(fromByteOffset: p, as: UInt32.self)))
            let n = Int(UInt32(littleEndian: b.loadUnaligned(fromByteOffset: q, as: UInt32.self)))
            let order = ByteInterner.order(
                UnsafeRawBufferPointer(rebasing: a[(p + 4)..<(p + 4 + m)]),
                UnsafeRawBufferPointer(rebasing: b[(q + 4)..<(q + 4 + n)]))
            if order != 0 { return order < 0 }
            p += 4 + m
            q += 4 + n
        }
        return a.count - p < b.count - q
    }
}
