import FuzzSupport
@_spi(Internals) import SeqHuntFormats
@_spi(Internals) import SeqHuntIO

/// The structural CSV scanner, differentially: every kernel (scalar, SSE2, AVX2) must read
/// the same records and fields from any bytes, and stop at the same error on the same line.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    var outcomes: [String] = []
    for kernel in ScanKernel.allCases {
        ScanKernel.limit(to: kernel)
        var scanner = CSVScanner(bytes: bytes, file: "fuzz.csv")
        var outcome = ""
        do {
            while let record = try scanner.nextRecord() {
                outcome += "\(scanner.recordLine):\(record.map { $0.utf8.count })\(record)\n"
            }
        } catch {
            FuzzSupport.expectReported(error)
            outcome += "error: \(error)"
        }
        outcomes.append(outcome)
    }
    ScanKernel.limit(to: nil)
    precondition(Set(outcomes).count == 1, "the kernels disagree:\n\(outcomes.joined(separator: "\n---\n"))")
    return 0
}
