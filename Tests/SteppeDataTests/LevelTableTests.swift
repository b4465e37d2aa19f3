@testable import SteppeData
import Testing

@Suite("Text level table")
struct LevelTableTests {
    func withBytes<T>(_ s: String, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
        Array(s.utf8).withUnsafeBufferPointer(body)
    }

    @Test("every level is found with its code after the table grows; others are not")
    func growth() {
        var table = LevelTable()
        let labels = (0..<10_000).map { "r\($0)" }
        for (k, s) in labels.enumerated() {
            withBytes(s) { b in
                #expect(table.code(of: b, hash: LevelTable.hash(b)) == nil)
                table.insert(b, hash: LevelTable.hash(b), code: Int32(3 * k))
            }
        }
        #expect(table.count == labels.count)
        for (k, s) in labels.enumerated() {
            withBytes(s) { b in #expect(table.code(of: b, hash: LevelTable.hash(b)) == Int32(3 * k), "\(s)") }
        }
        for s in ["r", "r10000", "", "R1", "r01"] {
            withBytes(s) { b in #expect(table.code(of: b, hash: LevelTable.hash(b)) == nil, "\(s)") }
        }
    }

    @Test("equal hashes with different bytes stay apart")
    func collisions() {
        var table = LevelTable()
        withBytes("Almaty") { table.insert($0, hash: 42, code: 0) }
        withBytes("Astana") { table.insert($0, hash: 42, code: 1) }
        withBytes("Astana") { #expect(table.code(of: $0, hash: 42) == 1) }
        withBytes("Almaty") { #expect(table.code(of: $0, hash: 42) == 0) }
        withBytes("Aktobe") { #expect(table.code(of: $0, hash: 42) == nil) }
    }

    /// Labels of every length up to 40 bytes, each also with one byte changed at every
    /// position, must all be told apart (by hash and by bytes) and found again.
    @Test("labels of every length, one byte apart at any position, are told apart")
    func lengthsAndPositions() {
        var table = LevelTable()
        var labels: [[UInt8]] = []
        for length in 0...40 {
            let base = (0..<length).map { UInt8(97 + ($0 * 7) % 26) }
            labels.append(base)
            for p in 0..<length { var v = base; v[p] ^= 0x01; labels.append(v) }
        }
        #expect(Set(labels).count == labels.count)
        for (k, b) in labels.enumerated() {
            b.withUnsafeBufferPointer { p in
                #expect(table.code(of: p, hash: LevelTable.hash(p)) == nil)
                table.insert(p, hash: LevelTable.hash(p), code: Int32(k))
            }
        }
        for (k, b) in labels.enumerated() {
            b.withUnsafeBufferPointer { p in #expect(table.code(of: p, hash: LevelTable.hash(p)) == Int32(k)) }
        }
        let distinctHashes = Set(labels.map { b in b.withUnsafeBufferPointer { LevelTable.hash($0) } })
        #expect(distinctHashes.count == labels.count, "no two of these \(labels.count) labels share a 64-bit hash")
    }
}

