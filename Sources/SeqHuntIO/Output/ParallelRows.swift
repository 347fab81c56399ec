import SeqHunt

/// Formats rows in parallel chunks and writes them in order, holding only a few
/// chunks in memory at a time.
enum ParallelRows {
    /// Calls `format(range, &buffer)` for consecutive row ranges, concurrently, and
    /// writes each buffer to `writer` in row order.
    static func write(
        rows: Int, chunk: Int = 8_192, to writer: AtomicFileWriter,
        format: @escaping @Sendable (Range<Int>, inout OutputBuffer) -> Void
    ) throws {
        let chunks = (rows + chunk - 1) / chunk
        let wave = 8
        // One thread writes wave k while the workers format wave k + 1; at most two
        // waves are held in memory.
        // The buffers of a wave that is written are formatted into again two waves on:
        // fresh megabytes for every chunk would cost a page fault per page each time.
        let output = OrderedOutput(writer: writer)
        var spare: [OutputBuffer] = []
        var first = 0
        while first < chunks {
            let count = min(wave, chunks - first)
            let buffers = ParallelSlots<OutputBuffer>(count: count)
            for i in 0..<count { buffers.set(i, spare.popLast() ?? OutputBuffer(capacity: chunk * 256)) }
            let base = first
            Parallel.run(chunks: count) { i in
                let lower = (base + i) * chunk
                var buffer = buffers.take(i)
                buffer.removeAll()
                format(lower..<min(rows, lower + chunk), &buffer)
                buffers.set(i, buffer)
            }
            spare += try output.enqueue((0..<count).map { buffers.take($0) })
            first += count
        }
        try output.finish()
    }
}
