/// UTF-8 checks on bytes, without building `String`s.
package enum UTF8Validation {
    /// Whether `bytes` is well-formed UTF-8 (no overlongs, surrogates or values past U+10FFFF).
    static func isValid<C: Collection>(_ bytes: C) -> Bool where C.Element == UInt8 {
        var iterator = bytes.makeIterator()
        while let b0 = iterator.next() {
            if b0 < 0x80 { continue }
            let needed: Int
            var minimum: UInt32
            var scalar: UInt32
            switch b0 {
            case 0xC2...0xDF:
                needed = 1
                minimum = 0x80
                scalar = UInt32(b0 & 0x1F)
            case 0xE0...0xEF:
                needed = 2
                minimum = 0x800
                scalar = UInt32(b0 & 0x0F)
            case 0xF0...0xF4:
                needed = 3
                minimum = 0x10000
                scalar = UInt32(b0 & 0x07)
            default: return false
            }
            for _ in 0..<needed {
                guard let b = iterator.next(), b & 0xC0 == 0x80 else { return false }
                scalar = scalar << 6 | UInt32(b & 0x3F)
            }
            if scalar < minimum || scalar > 0x10FFFF || (0xD800...0xDFFF).contains(scalar) { return false }
            minimum = 0
        }
        return true
    }

    static func appendScalar(_ scalar: UInt32, to out: inout some ByteSink) {
        switch scalar {
        case 0..<0x80: out.append(UInt8(scalar))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | scalar >> 6))
            out.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | scalar >> 12))
            out.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            out.append(UInt8(0x80 | scalar & 0x3F))
        default:
            out.append(UInt8(0xF0 | scalar >> 18))
            out.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            out.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            out.append(UInt8(0x80 | scalar & 0x3F))
        }
    }
}

extension UTF8Validation {
    /// Whether `bytes[from...]` is valid UTF-8, with a fast path for ASCII.
    static func isValidFast(_ bytes: some ByteSink, from: Int) -> Bool {
        bytes.withUnsafeBytes { isValidFast(UnsafeRawBufferPointer(rebasing: $0[from...])) }
    }

    /// Like ``isValid(_:)`` with a fast path for ASCII.
    package static func isValidFast(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var i = 0
        let n = bytes.count
        while i + 8 <= n {
            if bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 {
                return isValid(bytes)
            }
            i += 8
        }
        while i < n {
            if bytes[i] >= 0x80 { return isValid(bytes) }
            i += 1
        }
        return true
    }
}
