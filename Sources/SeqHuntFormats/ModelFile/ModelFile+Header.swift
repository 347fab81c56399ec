extension ModelFile {
    /// The fixed header of a model file, as `docs/MODEL-FORMAT.md` lays it out: where each
    /// field starts, so that the writer, the reader and their error messages name offsets
    /// instead of restating the table.
    enum Header {
        /// The magic number `SEQHUNTM` (8 bytes).
        static let magic = 0
        /// `u32` format version.
        static let version = 8
        /// `u8` session type code.
        static let type = 12
        /// `u8` flags (bit 0: the modellable parameters were fixed).
        static let flags = 13
        /// `u16` reserved, 0.
        static let reserved = 14
        /// `u64` length of the whole file, checksum included.
        static let length = 16
        /// `u64` training sessions, then `u64` training events.
        static let sessions = 24
        static let events = 32
        /// `u32` counts of commands, parameters, (parameter, value) pairs and fixed modellable names.
        static let commands = 40
        static let parameters = 44
        static let pairs = 48
        static let fixedNames = 52
        /// `u64` counts of transition cells and command-parameter cells.
        static let transitions = 56
        static let commandParameters = 64
        /// The first byte after the header: the pair parameter ids.
        static let size = 72
    }
}
