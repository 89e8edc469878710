/// Enumerates the reachable states of a system and checks its properties and deadlock freedom
/// (or, with `.random` and `.swarm`, samples them with random walks: never a pass).
///
/// ```swift
/// let result = try Explorer(system: system).run()
/// if !result.isComplete { /* a bound was hit: not a pass */ }
/// for violation in result.violations { print(violation.propertyID, violation.path?.schedule) }
/// ```
///
/// An explorer holds no mutable state: two runs (even concurrent ones) are independent and, for
/// the same system and configuration, give the same counts and counterexamples.
///
/// The search code is `@inlinable` so that the module defining a system specializes it for that
/// system's state and label types; unspecialized, the generic search is about seven times slower.
public struct Explorer<System: TransitionSystem>: Sendable {
  public var system: System
  public var config: ExplorationConfig

  public init(system: System, config: ExplorationConfig = ExplorationConfig()) {
    self.system = system
    self.config = config
  }

  /// Explores every reachable state (or up to a bound) and reports what it found.
  @inlinable
  public func run() throws(ExplorationError) -> ExplorationResult<System.Label> {
    try validateConfiguration()
    let initials = system.initialStates()
    guard !initials.isEmpty else {
      throw ExplorationError(kind: .noInitialState, message: "the system has no initial state")
    }
    switch config.strategy {
    case .dfs where config.workers > 1:
      return try ParallelDepthFirstSearch(system: system, config: config, initials: initials).run()
    case .dfs:
      var search = DepthFirstSearch(system: system, config: config, initials: initials)
      return try search.run()
    case .bfs:
      var search = BreadthFirstSearch(system: system, config: config, initials: initials)
      return try search.run()
    case .random, .swarm:
      var search = RandomWalkSearch(system: system, config: config, initials: initials)
      return try search.run()
    }
  }

  @usableFromInline
  func validateConfiguration() throws(ExplorationError) {
    if let problem = config.problem {
      throw ExplorationError(kind: .invalidConfiguration, message: problem)
    }
  }
}
