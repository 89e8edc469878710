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
    /// One run of `walks` bounded random walks: each starts at an initial state and takes
    /// uniformly random enabled steps until none is enabled (a deadlock is checked there), or
    /// `walkDepth` steps. Properties are checked on every visited state; the visited set only
    /// measures coverage. Never a proof: the run is always incomplete (`Bound.sampling`).
    case random
    /// Swarm verification (Holzmann, Joshi and Groce): `swarmMembers` random-walk runs of `walks`
    /// walks each, diversified by seed and by a per-task bias of the step choice. Member 0 is the
    /// `.random` run with `seed`; members run one after another, sharing the coverage set and
    /// the first counterexample of each property. Always incomplete (`Bound.sampling`).
    case swarm

    /// The strategies that enumerate every reachable state: a complete run of one is a proof.
    public static var exhaustive: [Strategy] { [.dfs, .bfs] }

    /// True for `.dfs` and `.bfs`; the sampling strategies never complete.
    public var isExhaustive: Bool { self == .dfs || self == .bfs }
  }

  /// How the visited set stores states.
  public enum Storage: Sendable, Hashable {
    /// 128-bit fingerprints in an open-addressing table (24 bytes per slot, with the payload that
    /// keeps sleep sets). Two states are conflated with probability about n²/2¹²⁹ (reported as
    /// nil: negligible).
    case exact
    /// Hash compaction: 64-bit fingerprints only (8 bytes per slot). Depth-first search runs
    /// without sleep sets (no per-state payload to keep them). `ExplorationResult`'s
    /// `omissionProbability` bounds the chance of a collision: n(n − 1)/2⁶⁵ for n states.
    case hashCompact
    /// Bitstate hashing (SPIN's `-DBITSTATE`): a bit array of 2^`bits` bits (`bits` in 6...40)
    /// and two hash functions from the fingerprint's two words. Depth-first search runs without
    /// sleep sets. `omissionProbability` is f² for the fraction f of set bits, which is
    /// (1 − e^(−2n/m))² in expectation for n states and m bits.
    case bitstate(bits: Int)
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

  /// Symmetry reduction: the visited set keys each state by its representative under the
  /// permutations of interchangeable tasks (`TransitionSystem.encodeRepresentative`), so states
  /// that differ only by which of two identical tasks is where are stored once. The search still
  /// follows real states, so every counterexample replays as it is. Verdicts are unchanged;
  /// states and transitions shrink. Default off: counts then are those of the plain search.
  public var symmetry: Bool = false

  /// Persistent-set partial-order reduction (depth-first only): from each state the search takes
  /// only the steps of a set of tasks whose steps commute with everything the other tasks may
  /// still do (`TransitionSystem.futureFootprint`), fully expanding a state whose reduced step
  /// closes a cycle on the stack. It loses states, not verdicts, and so needs every property to
  /// be stable (`Property.isStable`); otherwise it is off. Default off.
  public var persistentSets: Bool = false

  /// Verifies every footprint-independence claim at every expanded state (the two steps stay
  /// enabled after each other and commute). Default off: it costs several extra steps per pair of
  /// enabled steps; tests of systems turn it on.
  public var checkIndependence: Bool = false

  /// Ends the run at the first violation (the result is then incomplete, `Bound.violation`).
  /// Default off: a report lists the first counterexample of every property.
  public var stopAtFirstViolation: Bool = false

  /// The visited-set representation. Default `.exact`: no state is ever lost to compaction.
  public var storage: Storage = .exact

  /// Seed of the sampling strategies' pseudo-random generator (xoshiro256**, seeded through
  /// SplitMix64; never the system generator). Default 1. The same seed gives the same result.
  public var seed: UInt64 = 1

  /// Random walks per run (`.random`) or per swarm member (`.swarm`). Default 1000: enough to
  /// cover every toy system many times over, a few seconds on a large scenario.
  public var walks: Int = 1000

  /// Steps after which a random walk ends (the walk length is `min(walkDepth, maxDepth)`).
  /// Default 10 000: far beyond any scenario's longest terminating path.
  public var walkDepth: Int = 10_000

  /// Members of a `.swarm` run. Default 8: a handful of diverse biases, eight times the cost of
  /// one `.random` run.
  public var swarmMembers: Int = 8

  /// The swarm members this process runs (`--shard K/N`: the members at K-1 modulo N, with
  /// `swarmShardIndex` K and `swarmShardCount` N); every member by default. Each member keeps
  /// its own coverage, so the shards' results add up to the whole swarm's.
  public var swarmShardIndex: Int = 1
  public var swarmShardCount: Int = 1

  /// Threads of an exhaustive search. Breadth-first: each level's states are expanded in
  /// parallel chunks and merged into the visited set in level order, so states, transitions,
  /// verdicts and counterexamples are exactly those of one thread. Depth-first: the threads
  /// share one visited set, so states and transitions are exactly those of the sequential
  /// search without sleep sets (with symmetry too); with persistent sets the counts are larger
  /// and vary (see `ParallelDepthFirstSearch`); compact storage is refused. If anything is
  /// reported, the sequential search is rerun for its deterministic counterexamples. Default 1.
  public var workers: Int = 1

  public init() {}

  /// What is wrong with this configuration, or nil: negative bounds, parallel workers without
  /// an exhaustive strategy or with a reduction parallel depth-first search cannot share.
  public var problem: String? {
    if maxStates < 0 { return "maxStates is negative (\(maxStates))" }
    if maxDepth < 0 { return "maxDepth is negative (\(maxDepth))" }
    if !(timeLimitSeconds >= 0) {
      return "timeLimitSeconds must be zero or more (\(timeLimitSeconds))"
    }
    if memoryLimitBytes < 0 { return "memoryLimitBytes is negative (\(memoryLimitBytes))" }
    if walks < 0 { return "walks is negative (\(walks))" }
    if walkDepth < 0 { return "walkDepth is negative (\(walkDepth))" }
    if workers < 1 { return "workers must be at least 1 (\(workers))" }
    if workers > 1 && !strategy.isExhaustive {
      return "parallel workers need the dfs or bfs strategy, not \(strategy.rawValue)"
    }
    if workers > 1 && strategy == .dfs && storage != .exact {
      return "parallel depth-first search takes no compact storage"
    }
    if swarmMembers < 1 { return "swarmMembers must be at least 1 (\(swarmMembers))" }
    if swarmShardCount < 1 || swarmShardIndex < 1 || swarmShardIndex > swarmShardCount {
      return "a swarm shard needs 1 <= K <= N, not \(swarmShardIndex)/\(swarmShardCount)"
    }
    if case .bitstate(let bits) = storage, !(6...40).contains(bits) {
      return "bitstate needs 6...40 (log2 of the bit count), not \(bits)"
    }
    return nil
  }
}
