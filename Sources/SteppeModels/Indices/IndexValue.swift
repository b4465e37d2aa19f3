/// One migration index: its key (camelCase, named as in migest), its value, or — when the
/// index is undefined for the data — no value and the reason. Never NaN.
public struct IndexValue: Sendable, Equatable {
    /// The key, e.g. `cmp`, `giniTotal`, `decay`.
    public let key: String
    /// The value; `nil` when undefined for the data.
    public let value: Double?
    /// Why `value` is `nil`.
    public let reason: String?

    /// A defined index; a non-finite `value` becomes undefined with `undefinedReason`.
    public init(_ key: String, _ value: Double, undefinedReason: @autoclosure () -> String = "not finite for these data") {
        self.key = key
        if value.isFinite { self.value = value; self.reason = nil } else { self.value = nil; self.reason = undefinedReason() }
    }

    /// An undefined index and why.
    public init(_ key: String, undefined reason: String) {
        self.key = key
        self.value = nil
        self.reason = reason
    }
}

/// The four groups of migest's index suite for one OD matrix (one year).
public struct MigrationIndexSet: Sendable, Equatable {
    /// index_intensity: cmp, courgeauK.
    public var intensity: [IndexValue]
    /// index_impact: effectiveness, anmr, preference, velocity.
    public var impact: [IndexValue]
    /// index_connectivity: connectivity, inequalityEqual, inequalitySim, giniTotal, giniOrigStd, giniDestStd, mwgOrig, mwgDest, mwgMean, cv, acv.
    public var connectivity: [IndexValue]
    /// index_distance: mean, median, decay.
    public var distance: [IndexValue]
    /// The number of regions and the total flow between distinct regions.
    public var regions: Int
    public var totalFlow: Double

    /// The groups with their JSON names, in order.
    public var groups: [(name: String, values: [IndexValue])] {
        [("intensity", intensity), ("impact", impact), ("connectivity", connectivity), ("distance", distance)]
    }

    /// The value of `key` in any group.
    public func value(_ key: String) -> Double? {
        for g in groups { if let v = g.values.first(where: { $0.key == key }) { return v.value } }
        return nil
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.intensity == b.intensity && a.impact == b.impact && a.connectivity == b.connectivity && a.distance == b.distance
    }
}
