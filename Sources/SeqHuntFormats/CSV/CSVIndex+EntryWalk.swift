/// A walk over the entries of a ``CSVIndex``, chunk after chunk, that yields the structural
/// ones: those whose quoted bit agrees with their chunk's settled starting state.
struct EntryWalk {
    let index: CSVIndex
    private var chunk: Int
    private var entry: Int
    private var entries: UnsafeMutablePointer<UInt32>
    private var count: Int
    private var structuralBit: UInt32

    init(index: CSVIndex, chunk: Int, entry: Int) {
        self.index = index
        self.chunk = chunk
        self.entry = entry
        if chunk < index.chunks.count {
            entries = index.chunks[chunk].entries
            count = index.chunks[chunk].count
            structuralBit = index.chunks[chunk].structuralBit
        } else {
            entries = index.chunks.first?.entries ?? UnsafeMutablePointer(bitPattern: MemoryLayout<UInt32>.alignment)!
            count = 0
            structuralBit = 0
        }
    }

    /// The next structural byte's offset (a comma or line end outside quotes), or nil at the end of the data.
    @inline(__always) mutating func next() -> Int? {
        while true {
            while entry < count {
                let value = entries[entry]
                entry += 1
                if value & CSVIndex.quotedBit == structuralBit {
                    let offset = Int(value & CSVIndex.offsetMask)
                    return offset < index.dataEnd ? offset : nil
                }
            }
            chunk += 1
            guard chunk < index.chunks.count else { return nil }
            entry = 0
            let next = index.chunks[chunk]
            entries = next.entries
            count = next.count
            structuralBit = next.structuralBit
        }
    }
}
