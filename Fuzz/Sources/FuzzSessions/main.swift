import FuzzSupport
import SeqHunt
@_spi(Internals) import SeqHuntIO

/// Sessions files (JSON Lines, CSV and JSON documents of records, plain, gzip or zstd, as
/// ByteSource reads them from memory),
/// then training and scoring on what was read.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    for name in ["fuzz.jsonl", "fuzz.csv"] {
        do {
            let table = try SessionReader.read(bytes: bytes, file: name)
            FuzzSupport.trainAndScore(table.store)
        } catch {
            FuzzSupport.expectReported(error)
        }
    }
    return 0
}
