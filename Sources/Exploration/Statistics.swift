/// Counts and costs of one exploration.
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
  /// paths (depth-first paths are usually longer than shortest paths).
  public var maxDepth: Int
  /// Stored states that are deadlocks.
  public var deadlockStates: Int
  /// Wall-clock duration of the run.
  public var seconds: Double
  /// `states / seconds`.
  public var statesPerSecond: Double
  /// Peak resident set size of the whole process (`getrusage` `ru_maxrss`), in bytes.
  public var peakMemoryBytes: Int

  public init(
    states: Int = 0, transitions: Int = 0, sleptTransitions: Int = 0, maxDepth: Int = 0,
    deadlockStates: Int = 0, seconds: Double = 0, statesPerSecond: Double = 0,
    peakMemoryBytes: Int = 0
  ) {
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
