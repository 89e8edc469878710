/// Why a run stopped before it had enumerated every reachable state.
///
/// A run that stopped for any of these reasons is incomplete: it never counts as a pass.
public enum Bound: String, Sendable, Hashable {
  /// `maxStates` distinct states were stored and another one was found.
  case states
  /// A state at `maxDepth` steps had an enabled step that was not taken.
  case depth
  /// `timeLimitSeconds` elapsed.
  case time
  /// The process's peak resident set size exceeded `memoryLimitBytes`.
  case memory
  /// `stopAtFirstViolation` ended the run at its first violation.
  case violation
  /// The run sampled the state space with random walks (`.random`, `.swarm`) and did all its
  /// walks: it checked only the states the walks visited, so it is never a pass, even when it
  /// found nothing.
  case sampling
  /// The user interrupted the run (SIGINT): what was explored so far is reported.
  case interrupted
}
