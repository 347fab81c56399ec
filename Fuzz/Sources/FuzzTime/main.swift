import FuzzSupport
import SeqHuntIO

/// Times: the byte parser and the String parser agree, and a parsed time prints back
/// as ISO 8601 that parses to the same instant.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    let parsed = TimeParser.microseconds(bytes)
    if let text = String(validating: UnsafeBufferPointer(start: data, count: size), as: UTF8.self) {
        precondition(TimeParser.microseconds(text) == parsed, "byte and String parsers disagree on \(text.debugDescription)")
    }
    if let parsed {
        let iso = TimeParser.isoText(parsed)
        precondition(TimeParser.microseconds(iso) == parsed, "\(iso) does not parse back to \(parsed)")
    }
    return 0
}
