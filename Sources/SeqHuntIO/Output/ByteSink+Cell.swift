import SeqHuntFormats

extension ByteSink {
    /// A descriptive cell of a session, as the writers write it: a CSV field in CSV; in JSON
    /// Lines a JSON number when its column is `numeric` and the text is one, else a JSON string.
    mutating func appendCell(_ value: UnsafeRawBufferPointer, format: OutputFormat, numeric: Bool) {
        let bytes = value.assumingMemoryBound(to: UInt8.self)
        if format == .csv {
            appendCSVField(bytes: bytes)
        } else if numeric && JSONText.isNumber(value) {
            append(bytes: value)
        } else {
            appendJSONString(bytes: bytes)
        }
    }
}
