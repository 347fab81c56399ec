/// A string compared and hashed by its UTF-8 bytes, as msticpy (Python) and Kusto
/// compare names. Swift's `String ==` treats canonically equivalent spellings as one
/// (`Café` with a precomposed `é` and `Cafe` + U+0301); in a log those are two names,
/// and an attacker may spell a command the second way to hide among the first.
@usableFromInline
struct ExactText: Hashable, Sendable {
    @usableFromInline let text: String

    @inlinable init(_ text: String) { self.text = text }

    @inlinable static func == (a: ExactText, b: ExactText) -> Bool {
        a.text.utf8.elementsEqual(b.text.utf8)
    }

    @inlinable func hash(into hasher: inout Hasher) {
        let hashed: Void? = text.utf8.withContiguousStorageIfAvailable { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        if hashed == nil { for byte in text.utf8 { hasher.combine(byte) } }
    }
}
