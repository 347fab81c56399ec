#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

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
            let common = min(m, n)
            let order = common == 0 ? 0 : memcmp(a.baseAddress! + p + 4, b.baseAddress! + q + 4, common)
            if order != 0 { return order < 0 }
            if m != n { return m < n }
            p += 4 + m
            q += 4 + n
        }
        return a.count - p < b.count - q
    }
}
