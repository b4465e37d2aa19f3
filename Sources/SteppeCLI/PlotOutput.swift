import SteppeReport

/// Writing a command's `--plot FILE.svg`: the plot's SVG, atomically, beside the tables
/// (which go to standard output or `--output` as usual).
enum PlotOutput {
    /// Checks the `--plot` path before any work: a file name, not "-" (standard output
    /// carries the tables).
    static func validate(_ path: String?) throws(CommandFailure) {
        guard let path else { return }
        if path == "-" || path.trimmingWhitespace.isEmpty {
            throw CommandFailure("--plot needs a file name, e.g. --plot plot.svg (the SVG is written in addition to the tables)")
        }
    }

    /// Writes `plot` as an SVG file to `path`.
    static func write(_ plot: any SVGPlot, to path: String) throws(CommandFailure) {
        try OutputDestination.write(plot.svg, to: path)
    }
}
