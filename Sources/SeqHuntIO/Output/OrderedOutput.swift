import Dispatch

/// Writes batches of buffers in order on a background queue, one batch ahead at most.
final class OrderedOutput: @unchecked Sendable {
    private let writer: AtomicFileWriter
    private let queue = DispatchQueue(label: "seqhunt.output")
    private let pending = DispatchSemaphore(value: 1)
    private var failure: Error?
    /// The batch being written; handed back once the next one is queued.
    private var writing: [OutputBuffer] = []

    init(writer: AtomicFileWriter) { self.writer = writer }

    /// Queues `batch` once the previous one is written, and returns that previous one (its
    /// buffers free to be filled again).
    func enqueue(_ batch: [OutputBuffer]) throws -> [OutputBuffer] {
        pending.wait()
        if let failure { throw failure }
        let written = writing
        writing = batch
        queue.async {
            defer { self.pending.signal() }
            do { for buffer in batch { try self.writer.write(raw: buffer.bytes) } } catch { self.failure = error }
        }
        return written
    }

    func finish() throws {
        queue.sync {}
        if let failure { throw failure }
    }
}
