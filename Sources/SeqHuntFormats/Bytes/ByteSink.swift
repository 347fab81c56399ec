/// Somewhere bytes are appended: a `[UInt8]`, or an ``OutputBuffer`` where rows are
/// formatted. The text formatting (``ByteSink/append(jsonString:)``, CSV fields, numbers)
/// is written once, for both, in `ByteSink+Text.swift`.
package protocol ByteSink {
    /// The bytes appended so far.
    var count: Int { get }
    mutating func append(_ byte: UInt8)
    mutating func append(bytes: UnsafeRawBufferPointer)
    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R
}

extension Array: ByteSink where Element == UInt8 {
    @inline(__always) package mutating func append(bytes: UnsafeRawBufferPointer) {
        append(contentsOf: bytes)
    }
}
