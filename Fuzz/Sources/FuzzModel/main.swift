import FuzzSupport
import SeqHunt
import SeqHuntIO

let probe = try! SessionStore([
    [
        Event(command: "Set-Mailbox", parameters: [.init(name: "Identity", value: "a")]),
        Event(command: "Never-Seen")
    ]
])

/// Model files: the loader checks everything before use, so any bytes either load into
/// a model that scores, or fail with one line. The checksum is recomputed over the input
/// too, so that the structural checks behind it are reached.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var bytes = Array(UnsafeBufferPointer(start: data, count: size))
    for attempt in 0..<2 {
        if attempt == 1 {
            // Make the length and the checksum right, so the checks behind them are reached.
            guard bytes.count >= 24 else { break }
            withUnsafeBytes(of: UInt64(bytes.count).littleEndian) { bytes.replaceSubrange(16..<24, with: $0) }
            let body = bytes.count - 8
            let checksum = ModelFile.checksum(of: bytes[0..<body])
            withUnsafeBytes(of: checksum.littleEndian) { bytes.replaceSubrange(body..., with: $0) }
        }
        do {
            let model = try ModelFile.decode(bytes, path: "fuzz.seqhunt")
            let scores = try model.score(probe, options: ScoringOptions(windowLengths: [2]))
            precondition(scores.logLikelihood.allSatisfy { $0 <= 0 })
            let again = try ModelFile.decode(ModelFile.encode(model), path: "again")
            precondition(again.counts.parts == model.counts.parts, "a loaded model does not round-trip")
        } catch {
            FuzzSupport.expectReported(error)
        }
    }
    return 0
}
