/// Read-only bytes shared with parallel workers for the length of one block.
package struct SharedBytes: @unchecked Sendable {
    package let bytes: UnsafeRawBufferPointer
    package init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }
}
