/// The cells of one row that the reader uses (nil: absent or null), by role.
struct RowCells {
    var cells: [UnsafeRawBufferPointer?]
    init(roles: Int) { cells = Array(repeating: nil, count: roles) }
}
