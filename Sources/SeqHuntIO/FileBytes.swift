import Foundation

/// Whole-file reads and atomic writes.
public enum FileBytes {
    /// The bytes of the file at `path`.
    public static func read(_ path: String) throws -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            throw InputError(file: path, line: 0, cause: !exists ? "no such file" : isDirectory.boolValue ? "is a directory" : "cannot be read")
        }
        defer { try? handle.close() }
        // read(2) straight into the array, sized by fstat: no intermediate `Data` copy.
        // A file that grows while it is read is read to its end all the same.
        let descriptor = handle.fileDescriptor
        var status = stat()
        let expected = fstat(descriptor, &status) == 0 ? max(Int(status.st_size), 0) : 0
        var bytes: [UInt8] = []
        var capacity = expected + 1
        while true {
            var failure: Int32 = 0
            let before = bytes.count
            let chunk = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
                count = 0
                while count < capacity {
                    let got = Foundation.read(descriptor, buffer.baseAddress! + count, capacity - count)
                    if got > 0 { count += got } else if got == 0 { break } else if errno != EINTR { failure = errno; break }
                }
            }
            if before == 0 { bytes = chunk } else { bytes.append(contentsOf: chunk) }
            if failure != 0 { throw InputError(file: path, line: 0, cause: "cannot be read: \(String(cString: strerror(failure)))") }
            if bytes.count - before < capacity { return bytes }
            capacity = 1 << 20
        }
    }
}

/// Writes a file through a temporary file in the same directory and renames it
/// into place on ``commit()``: readers never see a half-written file, and a failed
/// run leaves nothing behind. (The file is not fsynced: a power cut may lose a
/// finished output, but never leaves a partial one under the final name.)
public final class AtomicFileWriter {
    public let path: String
    let temporaryPath: String
    var handle: FileHandle?
    var buffer: [UInt8] = []
    var committed = false

    /// Opens a temporary file next to `path`. Refuses `path` when it is one of `inputs`.
    public init(path: String, inputs: [String] = []) throws {
        try Self.refuseOverwriting(inputs, with: [path])
        self.path = path
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw OutputError(path: path, cause: "directory \(directory) does not exist")
        }
        temporaryPath = directory + "/." + url.lastPathComponent + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        guard FileManager.default.createFile(atPath: temporaryPath, contents: nil),
              let handle = FileHandle(forWritingAtPath: temporaryPath) else {
            throw OutputError(path: path, cause: "cannot create a file in \(directory)")
        }
        self.handle = handle
        buffer.reserveCapacity(1 << 16)
    }

    deinit { if !committed { abort() } }

    /// Throws when one of `outputs` is one of `inputs` (after resolving `.`, `..` and
    /// symbolic links), or when two outputs are the same file. Commands call it before
    /// doing any work, so that a refused run writes nothing at all.
    public static func refuseOverwriting(_ inputs: [String], with outputs: [String]) throws {
        func resolved(_ path: String) -> String { URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path }
        let read = Set(inputs.map(resolved))
        var written: Set<String> = []
        for output in outputs {
            let target = resolved(output)
            if read.contains(target) { throw OutputError(path: output, cause: "refusing to overwrite an input file") }
            if !written.insert(target).inserted { throw OutputError(path: output, cause: "is given as two outputs") }
        }
    }

    /// Appends text.
    public func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { try flush() }
    }

    /// Appends bytes.
    public func write(bytes: [UInt8]) throws {
        if buffer.isEmpty && bytes.count >= 1 << 16 {
            buffer = bytes
            try flush()
            return
        }
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { try flush() }
    }

    func flush() throws {
        guard let handle, !buffer.isEmpty else { return }
        do { try handle.write(contentsOf: buffer) } catch {
            throw OutputError(path: path, cause: "write failed: \(error.localizedDescription)")
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes, closes and renames the temporary file onto `path`.
    public func commit() throws {
        try flush()
        try handle?.close()
        handle = nil
        guard rename(temporaryPath, path) == 0 else {
            abort()
            throw OutputError(path: path, cause: "cannot rename the finished file into place")
        }
        committed = true
    }

    /// Discards the temporary file.
    public func abort() {
        try? handle?.close()
        handle = nil
        unlink(temporaryPath)
    }
}
