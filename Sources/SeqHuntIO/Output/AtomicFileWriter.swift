#if canImport(Glibc)
import Glibc
#endif

/// Writes an output file so that nothing else is ever destroyed and no half-written
/// file is ever left under the final name.
///
/// - A regular file (or a new one) is written to a temporary file in the same directory
///   and renamed into place on ``commit()``; a failed or interrupted run removes the
///   temporary file (see `TemporaryFiles`). A symbolic link to a regular file keeps
///   its link: the file it points to is replaced. (The file is not fsynced: a power cut
///   may lose a finished output, but never leaves a partial one under the final name.)
/// - A character device or a FIFO that exists (`/dev/null`, a pipe) is written in place:
///   it is never renamed over.
/// - The path `-` is standard output.
package final class AtomicFileWriter {
    package let path: String
    private let temporaryPath: String?
    private let target: String
    private var descriptor: Int32
    private var buffer: [UInt8] = []
    private var committed = false

    /// Opens the output. Refuses `path` when it is one of `inputs` (by file identity),
    /// a directory or another kind of special file.
    package init(path: String, inputs: [String] = []) throws {
        try OutputPlan.check(outputs: [path], inputs: inputs)
        self.path = path
        buffer.reserveCapacity(1 << 16)
        if path == "-" {
            temporaryPath = nil
            target = path
            descriptor = 1
            return
        }
        if let identity = FileIdentity(path: path), identity.kind == .characterDevice || identity.kind == .fifo {
            temporaryPath = nil
            target = path
            do {
                descriptor = try SystemCall.open(path, O_WRONLY | O_CLOEXEC)
            } catch {
                throw OutputError(path: path, cause: "cannot be opened for writing: \(error.description)")
            }
            return
        }
        // Through a symbolic link to the file it names, so that the link itself stays.
        target = Self.resolvingLinks(path)
        let (directory, name) = FileIdentity.split(target)
        let temporary = directory + "/." + name + ".tmp-\(SystemCall.processID)-\(UInt32.random(in: 0...UInt32.max))"
        do {
            descriptor = try TemporaryFiles.shared.create(temporary) { () throws(SystemError) -> Int32 in
                try SystemCall.open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode: 0o644)
            }
        } catch {
            throw OutputError(path: path, cause: "cannot create a file in \(directory): \(error.description)")
        }
        temporaryPath = temporary
    }

    deinit { if !committed { abort() } }

    /// `path` with every symbolic link on it resolved (the path itself when it names no file).
    private static func resolvingLinks(_ path: String) -> String {
        SystemCall.resolvedPath(path) ?? path
    }

    /// Appends text.
    package func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { try flush() }
    }

    /// Appends bytes.
    package func write(bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write(raw: $0) }
    }

    /// Appends bytes (a large run goes straight to the file, a small one to the buffer).
    func write(raw bytes: UnsafeRawBufferPointer) throws {
        if buffer.isEmpty && bytes.count >= 1 << 16 {
            try put(bytes)
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

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { try put($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes, closes and (for a regular file) renames the temporary file into place.
    package func commit() throws {
        try flush()
        if descriptor > 1 { SystemCall.close(descriptor) }
        descriptor = -1
        guard let temporaryPath else {
            committed = true
            return
        }
        do {
            try SystemCall.rename(temporaryPath, target)
        } catch {
            abort()
            throw OutputError(path: path, cause: "cannot rename the finished file into place: \(error.description)")
        }
        TemporaryFiles.shared.remove(temporaryPath)
        committed = true
    }

    /// Discards the temporary file (a file written in place keeps what was written).
    package func abort() {
        if descriptor > 1 { SystemCall.close(descriptor) }
        descriptor = -1
        guard let temporaryPath else { return }
        SystemCall.unlink(temporaryPath)
        TemporaryFiles.shared.remove(temporaryPath)
    }
}
