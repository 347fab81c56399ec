import CStructural

/// Which implementation of the structural scanning kernels runs: the CSV index and the
/// byte counts (see `StructuralScan.h`). By default the best this CPU has is chosen once,
/// at the first read. Every kernel gives the same results; limiting them is for
/// benchmarks (what the vector instructions buy) and for differential tests and fuzzing.
/// (JSON string runs use the instructions every CPU of the architecture has: SSE2 or NEON.)
@_spi(Internals) public enum ScanKernel: Int, Sendable, CaseIterable, CustomStringConvertible {
    /// Portable C, a byte at a time.
    case scalar = 1
    /// SSE2 compares and a carry-less multiply (PCLMULQDQ) for the quote regions.
    case sse2 = 2
    /// AVX2 compares, PCLMULQDQ, BMI and POPCNT.
    case avx2 = 3

    /// The kernel that runs now.
    public static var current: ScanKernel { ScanKernel(rawValue: Int(seqhunt_scan_level())) ?? .scalar }

    /// Runs at most `kernel` from now on, in every thread (nil: the best this CPU has).
    /// A kernel the CPU lacks is never run: the best one below it is.
    public static func limit(to kernel: ScanKernel?) {
        seqhunt_scan_force_level(Int32(kernel?.rawValue ?? 0))
    }

    public var description: String {
        switch self {
        case .scalar: return "scalar"
        case .sse2: return "SSE2+PCLMUL"
        case .avx2: return "AVX2+PCLMUL"
        }
    }
}
