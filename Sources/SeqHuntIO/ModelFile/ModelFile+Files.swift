import SeqHunt
import SeqHuntFormats

extension ModelFile {
    /// The bytes of the model file at `path` (`-`: standard input), read no further than
    /// the length its header gives (and a little past it, to report trailing data): an
    /// input that is not a model, `/dev/zero` say, is refused after its first bytes.
    public static func read(_ path: String) throws -> [UInt8] {
        let source = try ByteSource(path: path)
        var bytes: [UInt8] = []
        func readUpTo(_ count: Int) throws {
            while bytes.count < count {
                let before = bytes.count
                let want = min(count - before, 1 << 22)
                bytes.append(contentsOf: repeatElement(0, count: want))
                let got = try bytes.withUnsafeMutableBytes {
                    try source.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[before...]))
                }
                bytes.removeLast(want - got)
                if got == 0 { return }
            }
        }
        try readUpTo(headLength)
        // Not a model's head: decode says what is wrong.
        guard let length = try declaredLength(head: bytes, path: path) else { return bytes }
        try readUpTo(length + (1 << 16))
        return bytes
    }
}

extension Model {
    /// Writes the model to `path` atomically (`ModelFile`); refuses to overwrite any of `inputs`.
    public func save(to path: String, inputs: [String] = []) throws {
        let writer = try AtomicFileWriter(path: path, inputs: inputs)
        try writer.write(bytes: ModelFile.encode(self))
        try writer.commit()
    }

    /// Loads the model saved at `path`, checking all of it first.
    /// - Throws: `ModelFileError` or `InputError` (file missing or unreadable).
    public init(contentsOf path: String) throws {
        self = try ModelFile.decode(ModelFile.read(path), path: path)
    }
}
