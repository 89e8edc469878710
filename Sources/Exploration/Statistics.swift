/// Counts and costs of one exploration.
///
/// For the sampling strategies, `states` is the coverage: distinct states the walks visited (as
/// the visited set counts them), with `walks` and `seeds` saying how they were sampled.
///
/// Everything except `seconds`, `statesPerSecond` and `peakMemoryBytes` is deterministic: the same
/// system and configuration give the same numbers.
public struct Statistics: Hashable, Sendable {
  /// Distinct states stored (reachable states, for a complete run).
  public var states: Int
  /// Transitions executed by the search (`apply` calls; replaying counterexamples and independence
  /// checks are not counted).
  public var transitions: Int
  /// Enabled transitions never executed because they were in a sleep set. For a complete
  /// depth-first run, `transitions + sleptTransitions` equals the transitions of the unreduced run.
  public var sleptTransitions: Int
  /// The largest number of steps from an initial state to a stored state, along the search's own
  /// paths (depth-first paths are usually longer than shortest paths). Parallel depth-first
  /// search is the exception to determinism here: its paths depend on which thread came first.
  public var maxDepth: Int
  /// Stored states that are deadlocks.
  public var deadlockStates: Int
  /// Wall-clock duration of the run.
  public var seconds: Double
  /// `states / seconds`.
  public var statesPerSecond: Double
  /// Peak resident set size of the whole process (`getrusage` `ru_maxrss`), in bytes.
  public var peakMemoryBytes: Int
  /// Random walks done (sampling strategies; 0 otherwise).
  public var walks: Int
  /// The generator seeds used, one per run (`.random`) or swarm member (`.swarm`); empty for the
  /// exhaustive strategies.
  public var seeds: [UInt64]
  /// Swarm runs: the member that first found each violated property (`deadlock` for the
  /// deadlock) and each witnessed one, by property id.
  public var foundByMember: [String: Int] = [:]
  /// Bytes allocated by the visited structure at the end: slots × slot size, empty slots
  /// included (or the bit array's bytes). Stored sleep sets and search stacks are not counted.
  public var visitedBytes: Int
  /// `visitedBytes / states`: what one stored state costs, load-factor slack included.
  public var bytesPerState: Double
  /// Persistent sets: expanded states whose persistent set was smaller than their enabled steps.
  public var reducedStates = 0
  /// Persistent sets: reduced states fully expanded afterwards by the cycle proviso.
  public var provisoExpansions = 0
  /// Bytes one stored state occupies in its slot: 24 `.exact`, 8 `.hashCompact`, 0.25 (the two
  /// bits it sets) `.bitstate`.
  public var bytesPerEntry: Double

  public init(
    states: Int = 0, transitions: Int = 0, sleptTransitions: Int = 0, maxDepth: Int = 0,
    deadlockStates: Int = 0, seconds: Double = 0, statesPerSecond: Double = 0,
    peakMemoryBytes: Int = 0, walks: Int = 0, seeds: [UInt64] = [], visitedBytes: Int = 0,
    bytesPerState: Double = 0, bytesPerEntry: Double = 0
  ) {
    self.walks = walks
    self.seeds = seeds
    self.visitedBytes = visitedBytes
    self.bytesPerState = bytesPerState
    self.bytesPerEntry = bytesPerEntry
    self.states = states
    self.transitions = transitions
    self.sleptTransitions = sleptTransitions
    self.maxDepth = maxDepth
    self.deadlockStates = deadlockStates
    self.seconds = seconds
    self.statesPerSecond = statesPerSecond
    self.peakMemoryBytes = peakMemoryBytes
  }

  /// Share of enabled transitions that sleep sets saved, in `0...1`.
  public var reductionRatio: Double {
    let all = transitions + sleptTransitions
    return all == 0 ? 0 : Double(sleptTransitions) / Double(all)
  }
}

extension Statistics {
  /// Fills in the run's duration, its rate and the process's peak memory.
  @inlinable
  mutating func close(elapsedSeconds: Double) {
    seconds = elapsedSeconds
    statesPerSecond = seconds > 0 ? Double(states) / seconds : 0
    peakMemoryBytes = ResourceUsage.peakResidentBytes()
  }
}
