/// A bad row's cause (counted under ``cause`` with `--on-error skip`) and message.
struct RowError: Error {
    var cause: String
    var detail: String
    var column: Int? = nil
}
