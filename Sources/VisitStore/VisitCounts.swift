/// The visits a store has counted: the total and each region's share. A value, so the app can
/// render it and the API can encode it without touching the store again.
package struct VisitCounts: Sendable, Equatable {
    /// Visits per region (`us-east-1`, `local`, ...).
    package var regions: [String: Int]

    package init(regions: [String: Int] = [:]) {
        self.regions = regions
    }

    /// The sum over every region.
    package var total: Int { regions.values.reduce(0, +) }

    /// The regions by name, for output that must not change order between runs.
    package var sortedRegions: [(region: String, count: Int)] {
        // One region (a laptop, or a region that has not heard from the other yet) needs no sort.
        if regions.count == 1, let only = regions.first { return [(region: only.key, count: only.value)] }
        return regions.sorted { $0.key < $1.key }.map { (region: $0.key, count: $0.value) }
    }
}
