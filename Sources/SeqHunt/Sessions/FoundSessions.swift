/// Sessions found in a group of keys, in order.
struct FoundSessions {
    var starts: [Int] = []
    var keys: [Int32] = []
    var begins: [Int64] = []
    var ends: [Int64] = []
    var distinct: [Int32] = []

    mutating func open(at position: Int, key: Int32, begin: Int64) {
        starts.append(position)
        keys.append(key)
        begins.append(begin)
    }

    mutating func close(end: Int64, distinct count: Int32) {
        ends.append(end)
        distinct.append(count)
    }
}
