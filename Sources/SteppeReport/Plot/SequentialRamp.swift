/// A sequential colour ramp: colours from light to dark for values from low to high,
/// interpolated linearly in sRGB between stops.
///
/// `flows` is ColorBrewer's YlGnBu (Brewer, Hatchard & Harrower 2003, colorbrewer2.org)
/// without its two lightest classes, which vanish as thin lines on white: a multi-hue ramp
/// ColorBrewer marks colour-blind safe and print friendly, whose lightness falls
/// monotonically from stop to stop, so it also reads in greyscale. Plots that use it
/// encode the same value in a second channel (the line's width) as well.
public struct SequentialRamp: Sendable, Equatable {
    /// The colours of t = 0, 1/(n − 1), …, 1; at least one.
    public let stops: [SVGColor]

    public init(stops: [SVGColor]) {
        precondition(!stops.isEmpty, "a ramp needs a colour")  // programmer error
        self.stops = stops
    }

    /// ColorBrewer YlGnBu, classes 4 to 9 of 9: #7fcdbb to #081d58.
    public static let flows = SequentialRamp(stops: [0x7FCDBB, 0x41B6C4, 0x1D91C0, 0x225EA8, 0x253494, 0x081D58].map { SVGColor(hex: $0) })

    /// The colour at `t` in [0, 1] (clamped; NaN is 0).
    public func color(_ t: Double) -> SVGColor {
        let clamped = t.isNaN ? 0 : min(max(t, 0), 1)
        guard stops.count > 1 else { return stops[0] }
        let position = clamped * Double(stops.count - 1)
        let k = min(Int(position), stops.count - 2)
        let f = position - Double(k)
        let a = stops[k], b = stops[k + 1]
        func mix(_ x: UInt8, _ y: UInt8) -> UInt8 { UInt8((Double(x) + (Double(y) - Double(x)) * f).rounded()) }
        return SVGColor(red: mix(a.red, b.red), green: mix(a.green, b.green), blue: mix(a.blue, b.blue))
    }
}
