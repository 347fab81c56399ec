/// The decimal digits of an integer, written without a `String`: writers format millions of
/// session ids and counts.
package enum DecimalDigits {
    /// Calls `body` with the ASCII digits of `value` (a leading `-` when negative), held in a
    /// buffer on the stack for the length of the call.
    @inline(__always)
    package static func withDigits<R>(of value: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        var magnitude = value.magnitude
        // An Int has at most 19 digits and a sign; they are written from the end.
        return try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var first = 20
            repeat {
                first -= 1
                digits[first] = 0x30 + UInt8(truncatingIfNeeded: magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            if value < 0 {
                first -= 1
                digits[first] = 0x2D
            }
            return try body(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: digits[first...])))
        }
    }
}
