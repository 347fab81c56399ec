import SeqHunt
import SeqHuntIO
import SeqHuntSupport

/// Why a workspace or cluster query failed, as the one line the command line prints.
///
/// No case carries a token, a client secret or a request header: a message quotes only what
/// the service answered (its error code and message) and what the user typed.
public enum QueryError: SeqHuntError, Equatable {
    /// No way to get a token worked; `tried` says what was tried and why each failed.
    case noCredential(tried: [String])
    /// The token service refused (`source`: which credential), with its error.
    case tokenRefused(source: String, reason: String)
    /// The query service refused the token: `401` or `403`.
    case unauthorized(service: String, status: Int, reason: String)
    /// The service answered with an error that retrying does not fix.
    case failed(service: String, status: Int, reason: String)
    /// `429` or `5xx` after every retry.
    case gaveUp(service: String, status: Int, attempts: Int, reason: String)
    /// The connection failed (refused, reset, timed out, a name that does not resolve).
    case transport(service: String, reason: String)
    /// The answer was partial: past a limit without a split to halve, or failed part way for
    /// another reason (which halving would not fix).
    case partial(service: String, reason: String)
    /// The query was cancelled (a slice failed, or the caller's task was cancelled).
    case cancelled
    /// The answer went past what one request may return, and the slice cannot be halved again.
    case tooLarge(slice: String, reason: String)
    /// The answer could not be read.
    case answer(InputError)
    /// A flag or URL that cannot work.
    case invalid(String)

    public var description: String {
        switch self {
        case .noCredential(let tried):
            return oneLine(
                "no Azure credential: " + tried.joined(separator: "; ")
                    + " (set AZURE_ACCESS_TOKEN, or AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET, or run az login)"
            )
        case .tokenRefused(let source, let reason):
            return oneLine("\(source) gave no token: \(reason)")
        case .unauthorized(let service, let status, let reason):
            return oneLine(
                "\(service) refused the token (\(status)\(reason.isEmpty ? "" : " " + reason)): it has expired, or is for another resource or tenant, or lacks read access; get a new one (az login, or a fresh AZURE_ACCESS_TOKEN)"
            )
        case .failed(let service, let status, let reason):
            return oneLine("\(service) answered \(status)\(reason.isEmpty ? "" : ": " + reason)")
        case .gaveUp(let service, let status, let attempts, let reason):
            return oneLine(
                "\(service) still answered \(status) after \(attempts) attempts\(reason.isEmpty ? "" : ": " + reason)")
        case .transport(let service, let reason):
            return oneLine("\(service): \(reason)")
        case .tooLarge(let slice, let reason):
            return oneLine("the slice \(slice) is still too large for one answer and cannot be halved again: \(reason)")
        case .partial(let service, let reason):
            if SliceFetcher.isLimit(reason) {
                return oneLine(
                    "\(service) gave a partial answer (\(reason)): run the query in time slices with --timespan and --split-by (a duration, or auto)"
                )
            }
            return oneLine("\(service) gave a partial answer: \(reason)")
        case .cancelled:
            return "the query was cancelled"
        case .answer(let error):
            return error.description
        case .invalid(let text):
            return oneLine(text)
        }
    }
}
