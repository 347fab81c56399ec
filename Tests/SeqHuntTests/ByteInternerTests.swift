import SeqHuntDemo
import Testing

@testable import SeqHunt

/// The one interning of the package: vocabularies, pairs and keys all go through it.
@Suite("Byte interning")
struct ByteInternerTests {
    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test("the same bytes under two tags are two entries; each is found under its own tag only")
    func tags() {
        var table = ByteInterner(capacity: 4)
        let a = Self.bytes("FullAccess").withUnsafeBytes { table.intern($0, tag: 3) }
        let b = Self.bytes("FullAccess").withUnsafeBytes { table.intern($0, tag: 4) }
        #expect(a == (0, true) && b == (1, true))
        #expect(Self.bytes("FullAccess").withUnsafeBytes { table.intern($0, tag: 3) } == (0, false))
        #expect(Self.bytes("FullAccess").withUnsafeBytes { table.find($0, tag: 4) } == 1)
        #expect(Self.bytes("FullAccess").withUnsafeBytes { table.find($0, tag: 5) } == nil)
        #expect(table.tags == [3, 4])
    }

    @Test("absorbing another table's entries, under new tags, gives the ids interning their bytes would")
    func absorbAcrossHashes() {
        let names = (0..<5_000).map { "value-\($0 * 7919 % 5_000)" }
        var worker = ByteInterner()
        for (i, name) in names.enumerated() {
            _ = Self.bytes(name).withUnsafeBytes { worker.intern($0, tag: Int32(i % 3)) }
        }
        var expected = ByteInterner()
        var main = ByteInterner()
        _ = Self.bytes("already here").withUnsafeBytes { main.intern($0, tag: 1) }
        _ = Self.bytes("already here").withUnsafeBytes { expected.intern($0, tag: 1) }
        for id in 0..<Int32(worker.count) {
            let absorbed = main.intern(id, of: worker, tag: worker.tags[Int(id)] + 10)
            let direct = worker.withBytes(of: id) { expected.intern($0, tag: worker.tags[Int(id)] + 10) }
            #expect(absorbed == direct)
        }
        #expect(main == expected)
        #expect(main.string(of: 1) == names[0])
    }

    @Test("a table switched to its keyed hash absorbs and is absorbed by one on the fast hash")
    func keyedAndFast() {
        // 16-byte keys whose second word cancels the first: one fast hash for all of them.
        func mix(_ x: UInt64) -> UInt64 {
            let y = x &* 0xFF51_AFD7_ED55_8CCD
            return y ^ (y >> 32)
        }
        let h0 = 0x9E37_79B9_7F4A_7C15 ^ ByteInterner.seed ^ 16
        var keyed = ByteInterner()
        var keys: [[UInt8]] = []
        for i in 0..<200 {
            let w1 = UInt64(i) &* 0x9E37_79B9_7F4A_7C15 &+ 1
            let w2 = mix(h0 ^ w1) ^ 0x1234_5678_9ABC_DEF0
            var key: [UInt8] = []
            withUnsafeBytes(of: w1.littleEndian) { key += $0 }
            withUnsafeBytes(of: w2.littleEndian) { key += $0 }
            keys.append(key)
            _ = key.withUnsafeBytes { keyed.intern($0) }
        }
        #expect(keyed.isKeyed)
        var fast = ByteInterner()
        _ = Self.bytes("first").withUnsafeBytes { fast.intern($0) }
        for id in 0..<Int32(keyed.count) { #expect(fast.intern(id, of: keyed, tag: 0) == (id + 1, true)) }
        for (i, key) in keys.enumerated() { #expect(key.withUnsafeBytes { fast.find($0) } == Int32(i + 1)) }
        var back = keyed
        for id in 0..<Int32(fast.count) { _ = back.intern(id, of: fast, tag: 0) }
        #expect(
            back.count == keyed.count + 1 && Self.bytes("first").withUnsafeBytes { back.find($0) } == Int32(keyed.count)
        )
    }

    @Test("vocabularies are equal by their names in id order, not by their tables' sizes")
    func equality() {
        var a = Vocabulary.commands(), b = Vocabulary.commands()
        b.reserveCapacity(adding: 100_000)
        for name in ["Get-Mailbox", "Set-Mailbox", "Cafe\u{301}", "Caf\u{E9}"] {
            a.intern(name)
            b.intern(name)
        }
        #expect(a == b && a.count == 7 && a.id(of: "Caf\u{E9}") == 6 && a.id(of: "Cafe\u{301}") == 5)
        #expect(a[0] == "##START##" && a[3] == "Get-Mailbox" && a.id(of: "##START##") == nil)
        var values = ValueVocabulary()
        #expect(values.intern(parameter: 1, value: "x") == 0 && values.intern(parameter: 2, value: "x") == 1)
        #expect(
            values.valueOfPair[1] == "x" && values.parameterOfPair == [1, 2] && values.id(parameter: 2, value: "x") == 1
        )
    }

    @Test("ids sorted by their bytes in runs on several threads equal one sort on one", arguments: [1, 2, 3])
    func sortedIDs(threads: Int) {
        var generator = SplitMix64(seed: 11)
        var table = ByteInterner()
        var names: [[UInt8]] = []
        for _ in 0..<40_000 {  // past the size from which runs are sorted apart
            let name = Array("user\(generator.next() % 5_000)@contoso.com|10.0.\(generator.next() % 300)".utf8)
            if name.withUnsafeBytes({ table.intern($0).isNew }) { names.append(name) }
        }
        let sorted = table.sortedIDs(threads: threads) { a, b in a.lexicographicallyPrecedes(b) }
        #expect(sorted.map { names[Int($0)] } == names.sorted { $0.lexicographicallyPrecedes($1) })
    }
}
