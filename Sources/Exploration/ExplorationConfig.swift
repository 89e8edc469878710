/// Every bound and switch of one exploration, in one value with documented defaults.
///
/// Two explorations with equal configurations of the same system produce the same counts and the
/// same first counterexamples (only the timing statistics differ).
public struct ExplorationConfig: Sendable, Hashable {
  /// The order in which reachable states are enumerated.
  public enum Strategy: String, Sendable, Hashable, CaseIterable {
    /// Depth-first with a visited set; the path to a state is the search stack. Uses sleep sets
    /// when `sleepSets` is on. Memory: the visited set plus one path.
    case dfs
    /// Breadth-first, level by level: every counterexample is a shortest path. Sleep sets are not
    /// used (their soundness argument relies on the depth-first order of exploration).
    case bfs
  }

  /// The search order. Default `.dfs`: least memory, and sleep sets apply.
  public var strategy: Strategy = .dfs

  /// At most this many distinct states are stored; one more ends the run as incomplete
  /// (`Bound.states`). Default 5 000 000: a few hundred megabytes of visited set on top of the
  /// system's own states — large enough for every shipped scenario, small enough for a laptop.
  public var maxStates: Int = 5_000_000

  /// States this many steps from an initial state are checked but not expanded; if one of them has
  /// an enabled step the run is incomplete (`Bound.depth`). Default 100 000: far beyond any
  /// scenario's longest path, so it only stops runaway systems that never terminate. (Depth-first,
  /// a state first met at the bound is not expanded even if later met closer to the start; the run
  /// is reported incomplete either way.)
  public var maxDepth: Int = 100_000

  /// Wall-clock limit, checked every 1024 expansions (`Bound.time`). Default 600 s: ten minutes is
  /// what a CI job tolerates for one scenario.
  public var timeLimitSeconds: Double = 600

  /// Limit on the process's peak resident set size, checked every 4096 stored states
  /// (`Bound.memory`). Default 16 GiB: the size of the development machines, so the checker stops
  /// before the kernel's OOM killer does.
  public var memoryLimitBytes: Int = 16 << 30

  /// Sleep-set partial-order reduction (depth-first only). Default on: it never loses a state or a
  /// verdict (it prunes transitions, not states) and saves a large share of the transitions.
  public var sleepSets: Bool = true

  /// Verifies every footprint-independence claim at every expanded state (the two steps stay
  /// enabled after each other and commute). Default off: it costs several extra steps per pair of
  /// enabled steps; tests of systems turn it on.
  public var checkIndependence: Bool = false

  /// Ends the run at the first violation (the result is then incomplete, `Bound.violation`).
  /// Default off: a report lists the first counterexample of every property.
  public var stopAtFirstViolation: Bool = false

  public init() {}
}
