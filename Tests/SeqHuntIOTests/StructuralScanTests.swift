import CStructural
import SeqHuntDemo
import Testing

@_spi(Internals) @testable import SeqHuntFormats
@_spi(Internals) @testable import SeqHuntIO

/// The structural CSV index against the byte-at-a-time reference reader, on random input,
/// with every kernel (scalar, SSE2, AVX2) and with chunk and block edges everywhere.
@Suite("Structural CSV scanning")
struct StructuralScanTests {
    /// What a reader made of an input: its records, or the error that stopped it (after the
    /// records before it).
    struct Outcome: Equatable, CustomStringConvertible {
        var records: [[[UInt8]]] = []
        var lines: [Int] = []
        var error: String? = nil
        var description: String {
            "\(records.map { $0.map { String(decoding: $0, as: UTF8.self) } }) lines \(lines) error \(error ?? "none")"
        }
    }

    static func reference(_ bytes: [UInt8]) -> Outcome {
        var reader = ReferenceCSVReader(bytes, file: "t.csv")
        var outcome = Outcome()
        do {
            while let record = try reader.next() {
                outcome.records.append(record)
                outcome.lines.append(reader.recordLine)
            }
        } catch {
            outcome.error = "\(error)"
        }
        return outcome
    }

    /// The index-based reader over blocks of `blockSize` bytes cut into chunks of at least
    /// `chunkBytes`, as the event reader drives it (pieces parsed one after another here).
    static func indexed(_ bytes: [UInt8], blockSize: Int, chunkBytes: Int, pieces: Int) -> Outcome {
        var outcome = Outcome()
        do {
            let blocks = RecordBlocks(source: try ByteSource(bytes: bytes, name: "t.csv"), quoteAware: true)
            blocks.csvIndex.minimumChunkBytes = chunkBytes
            while let parts = try blocks.next(blockSize: blockSize, pieces: pieces) {
                for piece in parts {
                    let records = blocks.records(of: piece)
                    while try records.next() {
                        outcome.records.append((0..<records.fieldCount).map { i in records.withField(i) { Array($0) } })
                        outcome.lines.append(records.recordLine)
                    }
                }
            }
        } catch {
            outcome.error = "\(error)"
        }
        return outcome
    }

    static func scanned(_ bytes: [UInt8]) -> Outcome {
        var outcome = Outcome()
        bytes.withUnsafeBufferPointer { buffer in
            var scanner = CSVScanner(bytes: buffer, file: "t.csv")
            do {
                while let record = try scanner.nextRecord() {
                    outcome.records.append(record.map { Array($0.utf8) })
                    outcome.lines.append(scanner.recordLine)
                }
            } catch {
                outcome.error = "\(error)"
            }
        }
        return outcome
    }

    /// Random CSV-ish bytes: mostly well formed, with misplaced quotes, blank lines, CRLF,
    /// quoted line breaks and multi-byte text. (No lone carriage return: the reference counted
    /// one as a line, the index counts line feeds.)
    static func randomCSV(_ generator: inout some RandomNumberGenerator, length: Int) -> [UInt8] {
        let tokens: [[UInt8]] = [
            Array("a".utf8), Array("bc".utf8), Array(",".utf8), Array(",".utf8), Array("\"".utf8),
            Array("\"\"".utf8), Array("\n".utf8), Array("\r\n".utf8), Array("é".utf8),
            Array("\"x,\ny\"".utf8), Array(" ".utf8)
        ]
        var bytes: [UInt8] = []
        while bytes.count < length { bytes += tokens.randomElement(using: &generator)! }
        return bytes
    }

    @Test("every kernel agrees with the reference reader on random input, across chunk and block edges")
    func differential() {
        var generator = SplitMix64(seed: 20261129)
        defer { ScanKernel.limit(to: nil) }
        for round in 0..<1_500 {
            let length =
                round < 1_000 ? Int.random(in: 0...90, using: &generator) : Int.random(in: 100...700, using: &generator)
            let bytes = Self.randomCSV(&generator, length: length)
            let expected = Self.reference(bytes)
            for level in ScanKernel.allCases {
                ScanKernel.limit(to: level)
                let scanned = Self.scanned(bytes)
                #expect(
                    scanned == expected,
                    "level \(level), CSVScanner, input \(String(decoding: bytes, as: UTF8.self).debugDescription)")
                let chunked = Self.indexed(
                    bytes, blockSize: Int.random(in: 1...200, using: &generator),
                    chunkBytes: Int.random(in: 1...64, using: &generator),
                    pieces: Int.random(in: 1...9, using: &generator))
                #expect(
                    chunked == expected,
                    "level \(level), blocks, input \(String(decoding: bytes, as: UTF8.self).debugDescription)")
                if scanned != expected || chunked != expected { return }
            }
        }
    }

    @Test("the kernels write the same index, and the scan level says which runs")
    func kernelsAgree() {
        var generator = SplitMix64(seed: 7)
        defer { seqhunt_scan_force_level(0) }
        for _ in 0..<300 {
            let bytes = Self.randomCSV(&generator, length: Int.random(in: 0...1_000, using: &generator))
            var results: [[UInt32]] = []
            for level in Int32(1)...3 {
                seqhunt_scan_force_level(level)
                #expect(seqhunt_scan_level() <= level)
                var entries = [UInt32](repeating: 0, count: bytes.count + 64)
                let scan = bytes.withUnsafeBufferPointer { buffer in
                    entries.withUnsafeMutableBufferPointer {
                        seqhunt_csv_index(buffer.baseAddress, buffer.count, -1, -1, 0, 0, $0.baseAddress, $0.count)
                    }
                }
                #expect(scan.scanned == bytes.count)
                results.append(
                    Array(entries[0..<scan.written]) + [
                        scan.quote_parity, UInt32(scan.line_feeds),
                        UInt32(truncatingIfNeeded: scan.first_bad.0), UInt32(truncatingIfNeeded: scan.first_bad.1),
                        UInt32(truncatingIfNeeded: scan.last_open.0), UInt32(truncatingIfNeeded: scan.last_open.1)
                    ])
                #expect(seqhunt_count_byte(bytes, bytes.count, 0x0A) == bytes.filter { $0 == 0x0A }.count)
            }
            #expect(results[0] == results[1] && results[1] == results[2])
        }
    }

    @Test("a JSON string run ends at a quote, a backslash or a control character")
    func jsonStringRun() {
        var generator = SplitMix64(seed: 11)
        for _ in 0..<2_000 {
            let bytes = (0..<Int.random(in: 0...70, using: &generator)).map { _ in
                [UInt8(ascii: "a"), 0x22, 0x5C, 0x1F, 0x20, 0x7F, 0xC3, 0xA9, 0x00].randomElement(using: &generator)!
            }
            let expected = bytes.firstIndex { $0 == 0x22 || $0 == 0x5C || $0 < 0x20 } ?? bytes.count
            #expect(seqhunt_json_string_run(bytes, bytes.count) == expected)
        }
    }
}
