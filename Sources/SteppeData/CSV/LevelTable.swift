/// The text levels of a column by their bytes, each mapped to its code: an open-addressing hash table (linear
/// probing over a power-of-two array of slots, kept at most half full) whose keys live
/// in one byte arena. A repeated level costs a hash of its bytes, a slot probe or two and
/// one byte comparison, with no allocation, no String and no retain: Swift's Dictionary
/// (SipHash, an array per bucket) made text cells cost about four numbers.
///
/// Hash: FNV-1a over the bytes (good spread on short labels such as region codes).
struct LevelTable: Sendable {
    /// code + 1 per slot; 0 for an empty slot.
    private var slots = [Int32](repeating: 0, count: 64)
    /// Per entry: its code, its hash, and where its bytes are in the arena.
    private var values: [Int32] = []
    private var hashes: [UInt64] = []
    private var starts: [Int] = []
    private var lengths: [Int] = []
    private var arena: [UInt8] = []

    /// Entries recorded.
    private(set) var count = 0

    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return h
    }

    /// The code recorded for these bytes, or `nil`.
    @inline(__always)
    func code(of bytes: UnsafeBufferPointer<UInt8>, hash h: UInt64) -> Int32? {
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: h) & mask
        return slots.withUnsafeBufferPointer { s in
            while true {
                let entry = s[i]
                if entry == 0 { return nil }
                let k = Int(entry - 1)
                if hashes[k] == h && lengths[k] == bytes.count && matches(k, bytes) { return values[k] }
                i = (i + 1) & mask
            }
        }
    }

    private func matches(_ k: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        arena.withUnsafeBufferPointer { a in
            let start = starts[k]
            for j in 0..<bytes.count where a[start + j] != bytes[j] { return false }
            return true
        }
    }

    /// Records `bytes` (not yet present) with `code`.
    mutating func insert(_ bytes: UnsafeBufferPointer<UInt8>, hash h: UInt64, code: Int32) {
        let k = count
        values.append(code)
        hashes.append(h)
        starts.append(arena.count)
        lengths.append(bytes.count)
        arena.append(contentsOf: bytes)
        count += 1
        if 2 * count > slots.count { rehash(to: 2 * slots.count) } else { place(k) }
    }

    private mutating func place(_ k: Int) {
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: hashes[k]) & mask
        while slots[i] != 0 { i = (i + 1) & mask }
        slots[i] = Int32(k + 1)
    }

    private mutating func rehash(to size: Int) {
        slots = [Int32](repeating: 0, count: size)
        for k in 0..<count { place(k) }
    }
}
