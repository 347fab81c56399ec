import Foundation

/// Writes an output file through a temporary file in the same directory and renames it
/// into place on ``commit()``: readers never see a half-written file, and a failed run
/// leaves nothing behind. (The file is not fsynced: a power cut may lose a finished
/// output, but never leaves a partial one under the final name.)
///
/// The path `-` is standard output: bytes go straight to it, and there is nothing to
/// rename or remove.
public final class AtomicFileWriter {
    public let path: String
    let temporaryPath: String?
    private var descriptor: Int32
    var buffer: [UInt8] = []
    var committed = false

    /// Opens a temporary file next to `path` (or standard output for `-`). Refuses `path`
    /// when it is one of `inputs`.
    public init(path: String, inputs: [String] = []) throws {
        try Self.refuseOverwriting(inputs, with: [path])
        self.path = path
        buffer.reserveCapacity(1 << 16)
        if path == "-" {
            temporaryPath = nil
            descriptor = 1
            return
        }
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw OutputError(path: path, cause: "directory \(directory) does not exist")
        }
        let temporary = directory + "/." + url.lastPathComponent + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        do {
            descriptor = try SystemCall.open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode: 0o644)
        } catch {
            throw OutputError(path: path, cause: "cannot create a file in \(directory): \(error.description)")
        }
        temporaryPath = temporary
    }

    deinit { if !committed { abort() } }

    /// Throws when one of `outputs` is one of `inputs` (after resolving `.`, `..` and
    /// symbolic links), or when two outputs are the same file. Commands call it before
    /// doing any work, so that a refused run writes nothing at all. Standard output
    /// (`-`) is not a file and is never refused here.
    public static func refuseOverwriting(_ inputs: [String], with outputs: [String]) throws {
        func resolved(_ path: String) -> String { URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path }
        let read = Set(inputs.filter { $0 != "-" }.map(resolved))
        var written: Set<String> = []
        for output in outputs where output != "-" {
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
            try bytes.withUnsafeBytes { try put($0) }
            return
        }
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { try flush() }
    }

    private func put(_ bytes: UnsafeRawBufferPointer) throws {
        guard descriptor >= 0 else { return }
        do { try SystemCall.write(descriptor, bytes) } catch {
            throw OutputError(path: path == "-" ? "stdout" : path, cause: "write failed: \(error.description)")
        }
    }

    func flush() throws {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { try put($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes, closes and renames the temporary file onto `path`.
    public func commit() throws {
        try flush()
        guard let temporaryPath else { committed = true; return }
        SystemCall.close(descriptor)
        descriptor = -1
        do {
            try SystemCall.rename(temporaryPath, path)
        } catch {
            abort()
            throw OutputError(path: path, cause: "cannot rename the finished file into place: \(error.description)")
        }
        committed = true
    }

    /// Discards the temporary file.
    public func abort() {
        guard let temporaryPath else { return }
        if descriptor >= 0 { SystemCall.close(descriptor) }
        descriptor = -1
        SystemCall.unlink(temporaryPath)
    }
}
