import FuzzSupport
import SeqHunt
@_spi(Internals) import SeqHuntFormats
@_spi(Internals) import SeqHuntIO

/// The JSON of a `Parameters` cell: the DOM parser, and the byte-level scanner of the
/// event reader (via a JSON Lines event whose Parameters member is the input).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: data, count: size)
    do { _ = try JSONParser.parse(input) } catch { FuzzSupport.expectReported(error) }
    var line = Array(
        #"{"TimeGenerated":"2020-01-01T00:00:00Z","UserId":"u","Operation":"Set-Mailbox","Parameters":"#.utf8)
    line.append(contentsOf: input)
    line.append(contentsOf: "}\n".utf8)
    let path = line.withUnsafeBytes { FuzzSupport.scratch($0, suffix: ".jsonl") }
    let reader = EventReader()
    do {
        try reader.read(path: path, execution: ExecutionOptions(threads: 1))
        if reader.events.count > 0 {
            FuzzSupport.trainAndScore(Sessionizer().sessionize(reader.events, keyRank: reader.keyRanks()).store)
        }
    } catch {
        FuzzSupport.expectReported(error)
    }
    return 0
}
