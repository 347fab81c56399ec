import Dispatch

/// Writes batches of buffers in order on a background queue, one batch ahead at most.
final class OrderedOutput: @unchecked Sendable {
    private let writer: AtomicFileWriter
    private let queue = DispatchQueue(label: "seqhunt.output")
    private let pending = DispatchSemaphore(value: 1)
    private var failure: Error?

    init(writer: AtomicFileWriter) { self.writer = writer }

    func enqueue(_ batch: [[UInt8]]) throws {
        pending.wait()
        if let failure { throw failure }
        queue.async {
            defer { self.pending.signal() }
            do { for buffer in batch { try self.writer.write(bytes: buffer) } } catch { self.failure = error }
        }
    }

    func finish() throws {
        queue.sync {}
        if let failure { throw failure }
    }
}
