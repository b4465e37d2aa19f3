/// Contour lines of a function sampled on a rectangular grid, by marching squares
/// (Lorensen & Cline 1987's marching cubes in two dimensions; the algorithm of R's
/// `contourLines` and matplotlib's `contour`).
///
/// Each grid cell's corners are classed as at or above the level or below it; an edge
/// whose ends differ is crossed where linear interpolation along it reaches the level,
/// and the crossings of a cell are joined by one segment, or by two in a saddle (all
/// four edges crossed), where the mean of the four corners decides which corners are
/// connected. Segments that share an edge are chained into polylines, open ones (which
/// end at the grid's border) first. Cells with a corner that is not finite are skipped.
///
/// Complexity: O(nx·ny) cells, and the chaining O(segments).
public enum MarchingSquares {
    /// A point of a contour in the grid's coordinates.
    public struct Point: Sendable, Equatable {
        public let x: Double
        public let y: Double
    }

    /// An edge of the grid: from node (i, j) to (i + 1, j) (`alongX`) or to (i, j + 1).
    struct Edge: Hashable {
        let i: Int, j: Int, alongX: Bool
    }

    /// The contour lines at `level` of `z[i][j]`, sampled at (`x[i]`, `y[j]`).
    ///
    /// - Precondition: `z` has `x.count` rows of `y.count` values (a programmer error otherwise).
    public static func contours(x: [Double], y: [Double], z: [[Double]], level: Double) -> [[Point]] {
        precondition(z.count == x.count && z.allSatisfy { $0.count == y.count }, "the grid is x.count × y.count")
        guard x.count >= 2, y.count >= 2 else { return [] }
        var segments: [(Edge, Edge)] = []
        for i in 0..<(x.count - 1) {
            for j in 0..<(y.count - 1) { segments += cellSegments(z, i, j, level) }
        }
        return chain(segments).map { edges in edges.map { crossing($0, x: x, y: y, z: z, level: level) } }
    }

    /// The segments of cell (i, j), as pairs of crossed edges.
    static func cellSegments(_ z: [[Double]], _ i: Int, _ j: Int, _ level: Double) -> [(Edge, Edge)] {
        let c = [z[i][j], z[i + 1][j], z[i + 1][j + 1], z[i][j + 1]]  // counter-clockwise from (i, j)
        guard c.allSatisfy(\.isFinite) else { return [] }
        let above = c.map { $0 >= level }
        // Edges between corners k and k+1: bottom, right, top, left.
        let edges = [Edge(i: i, j: j, alongX: true), Edge(i: i + 1, j: j, alongX: false),
                     Edge(i: i, j: j + 1, alongX: true), Edge(i: i, j: j, alongX: false)]
        let crossed = (0..<4).filter { above[$0] != above[($0 + 1) % 4] }
        if crossed.count == 2 { return [(edges[crossed[0]], edges[crossed[1]])] }
        guard crossed.count == 4 else { return [] }
        let centreAbove = c.reduce(0, +) / 4 >= level
        if centreAbove == above[0] {
            // Corners 0 and 2 are joined through the centre: cut off corners 1 and 3.
            return [(edges[0], edges[1]), (edges[2], edges[3])]
        }
        return [(edges[3], edges[0]), (edges[1], edges[2])]
    }

    /// Where the level crosses `edge`, by linear interpolation between its nodes.
    static func crossing(_ edge: Edge, x: [Double], y: [Double], z: [[Double]], level: Double) -> Point {
        let (i2, j2) = edge.alongX ? (edge.i + 1, edge.j) : (edge.i, edge.j + 1)
        let a = z[edge.i][edge.j], b = z[i2][j2]
        let t = a == b ? 0.5 : (level - a) / (b - a)
        return Point(x: x[edge.i] + t * (x[i2] - x[edge.i]), y: y[edge.j] + t * (y[j2] - y[edge.j]))
    }

    /// Segments chained into polylines of edges: each edge is shared by at most two
    /// segments (the cells on either side), so the chains are unique.
    static func chain(_ segments: [(Edge, Edge)]) -> [[Edge]] {
        var byEdge: [Edge: [Int]] = [:]
        for (k, s) in segments.enumerated() {
            byEdge[s.0, default: []].append(k)
            byEdge[s.1, default: []].append(k)
        }
        var used = [Bool](repeating: false, count: segments.count)
        var lines: [[Edge]] = []
        let openEnds = segments.indices.filter { byEdge[segments[$0].0]!.count == 1 || byEdge[segments[$0].1]!.count == 1 }
        for start in openEnds + Array(segments.indices) where !used[start] {
            let s = segments[start]
            var line = byEdge[s.0]!.count == 1 ? [s.0, s.1] : [s.1, s.0]
            used[start] = true
            while let next = byEdge[line[line.count - 1]]!.first(where: { !used[$0] }) {
                used[next] = true
                let n = segments[next]
                line.append(n.0 == line[line.count - 1] ? n.1 : n.0)
            }
            lines.append(line)
        }
        return lines
    }
}
