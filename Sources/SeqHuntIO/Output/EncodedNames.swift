import SeqHunt

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

    /// The names of `vocabulary` in id order, from their bytes (reserved ids by their display names).
    init(_ vocabulary: Vocabulary) {
        self.init(count: vocabulary.count, bytes: vocabulary.table.totalBytes) { id, body in
            vocabulary.withBytes(of: Int32(id), body)
        }
    }

    /// The values of `values` in pair-id order, from their bytes: no `String` per value.
    init(_ values: ValueVocabulary) {
        self.init(count: values.count, bytes: values.table.totalBytes) { pair, body in
            values.withValueBytes(ofPair: Int32(pair), body)
        }
    }

    /// `count` names of about `bytes` bytes in all, each handed over by `bytesOf`.
    private init(count: Int, bytes total: Int, bytesOf: (Int, (UnsafeRawBufferPointer) -> Void) -> Void) {
        starts.reserveCapacity(count + 1)
        bytes.reserveCapacity(total + total / 8 + 2 * count + 64)  // quotes, and a little escaping
        for id in 0..<count {
            bytesOf(id) { name in bytes.appendJSONString(bytes: name.assumingMemoryBound(to: UInt8.self)) }
            starts.append(bytes.count)
        }
    }

    @inline(__always) func append(_ id: Int, to out: inout some ByteSink) {
        bytes.withUnsafeBytes { all in
            out.append(bytes: UnsafeRawBufferPointer(rebasing: all[starts[id]..<starts[id + 1]]))
        }
    }
}
