/// Each vocabulary entry pre-encoded once as a JSON string literal, so that writing
/// millions of rows appends bytes instead of escaping the same names again.
struct EncodedNames {
    private var bytes: [UInt8] = []
    private var starts: [Int] = [0]

    init(_ names: some Sequence<String>) {
        for name in names {
            bytes.append(jsonString: name)
            starts.append(bytes.count)
        }
    }

    @inline(__always) func append(_ id: Int, to out: inout some ByteSink) {
        bytes.withUnsafeBytes { all in out.append(bytes: UnsafeRawBufferPointer(rebasing: all[starts[id]..<starts[id + 1]])) }
    }
}
