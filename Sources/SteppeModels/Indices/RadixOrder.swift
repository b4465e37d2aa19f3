/// A stable ascending sort of cell indices by their values, as a least-significant-digit
/// radix sort on the values' bits: the one sort behind the Gini family
/// (`PairwiseDifferences`) and the weighted median (`WeightedMedian`).
///
/// Each double maps to a 64-bit key in the same order (positive: the sign bit set;
/// negative: every bit flipped; −0 as +0, so that the two zeros tie as `<` has them).
/// Eight passes of one byte each, from the lowest, each stable, so ties keep the order of
/// `indices`; a pass whose byte is the same for every key is skipped (the low bytes of
/// whole-number flows are all zero). O(m) against the O(m log m) comparisons of `sorted`,
/// which on the 3 × 10⁵ positive flows of a 1,000 × 1,000 matrix took most of the time of
/// both indices. NaN is not ordered (callers pass finite values).
enum RadixOrder {
    /// The order-preserving key of `x`.
    @inline(__always)
    static func key(_ x: Double) -> UInt64 {
        let bits = (x == 0 ? 0.0 : x).bitPattern
        return bits >> 63 == 0 ? bits | (1 << 63) : ~bits
    }

    /// `indices` sorted by `values[index]`, ascending, ties in the order given.
    static func sorted(_ indices: [Int], by values: UnsafeBufferPointer<Double>) -> [Int] {
        let m = indices.count
        guard m > 1 else { return indices }
        var keys = indices.map { key(values[$0]) }, order = indices
        var counts = [Int](repeating: 0, count: 8 * 256)
        counts.withUnsafeMutableBufferPointer { c in
            for k in keys { for d in 0..<8 { c[d << 8 | Int(truncatingIfNeeded: (k >> (8 * d)) & 255)] += 1 } }
        }
        var keys2 = [UInt64](repeating: 0, count: m), order2 = [Int](repeating: 0, count: m)
        for d in 0..<8 where counts[d << 8 | Int(truncatingIfNeeded: (keys[0] >> (8 * d)) & 255)] != m {
            var start = [Int](repeating: 0, count: 256)
            for v in 1..<256 { start[v] = start[v - 1] + counts[d << 8 | (v - 1)] }
            pass(d, keys, order, &keys2, &order2, &start)
            swap(&keys, &keys2); swap(&order, &order2)
        }
        return order
    }

    /// One stable counting pass on byte `d`: element k goes to the next free place of its byte's bucket.
    private static func pass(_ d: Int, _ keys: [UInt64], _ order: [Int], _ keysOut: inout [UInt64], _ orderOut: inout [Int],
                             _ start: inout [Int]) {
        keys.withUnsafeBufferPointer { k in order.withUnsafeBufferPointer { o in
            keysOut.withUnsafeMutableBufferPointer { ko in orderOut.withUnsafeMutableBufferPointer { oo in
                start.withUnsafeMutableBufferPointer { s in
                    for e in 0..<k.count {
                        let v = Int(truncatingIfNeeded: (k[e] >> (8 * d)) & 255)
                        let p = s[v]
                        s[v] = p + 1
                        ko[p] = k[e]; oo[p] = o[e]
                    }
                }
            } }
        } }
    }
}
