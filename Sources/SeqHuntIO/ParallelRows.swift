import SeqHunt

/// Formats rows in parallel chunks and writes them in order, holding only a few
/// chunks in memory at a time.
enum ParallelRows {
    /// Calls `format(range, &buffer)` for consecutive row ranges, concurrently, and
    /// writes each buffer to `writer` in row order.
    static func write(rows: Int, chunk: Int = 8_192, to writer: AtomicFileWriter,
                      format: @escaping @Sendable (Range<Int>, inout [UInt8]) -> Void) throws {
        let chunks = (rows + chunk - 1) / chunk
        let wave = 8
        // One thread writes wave k while the workers format wave k + 1; at most two
        // waves are held in memory.
        let output = OrderedOutput(writer: writer)
        var first = 0
        while first < chunks {
            let count = min(wave, chunks - first)
            let buffers = ParallelSlots<[UInt8]>(count: count)
            let base = first
            Parallel.run(chunks: count) { i in
                let lower = (base + i) * chunk
                var buffer: [UInt8] = []
                buffer.reserveCapacity(chunk * 256)
                format(lower..<min(rows, lower + chunk), &buffer)
                buffers.set(i, buffer)
            }
            try output.enqueue((0..<count).map { buffers.take($0) })
            first += count
        }
        try output.finish()
    }
}
