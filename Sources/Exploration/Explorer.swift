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
    let problem: String? =
      if config.maxStates < 0 {
        "maxStates is negative (\(config.maxStates))"
      } else if config.maxDepth < 0 {
        "maxDepth is negative (\(config.maxDepth))"
      } else if !(config.timeLimitSeconds >= 0) {
        "timeLimitSeconds must be zero or more (\(config.timeLimitSeconds))"
      } else if config.memoryLimitBytes < 0 {
        "memoryLimitBytes is negative (\(config.memoryLimitBytes))"
      } else if config.walks < 0 {
        "walks is negative (\(config.walks))"
      } else if config.walkDepth < 0 {
        "walkDepth is negative (\(config.walkDepth))"
      } else if config.workers < 1 {
        "workers must be at least 1 (\(config.workers))"
      } else if config.workers > 1 && !config.strategy.isExhaustive {
        "parallel workers need the dfs or bfs strategy, not \(config.strategy.rawValue)"
      } else if config.workers > 1 && config.strategy == .dfs
        && (config.persistentSets || config.symmetry || config.storage != .exact)
      {
        "parallel depth-first search takes no persistent sets, symmetry or compact storage"
      } else if config.swarmMembers < 1 {
        "swarmMembers must be at least 1 (\(config.swarmMembers))"
      } else if case .bitstate(let bits) = config.storage, !(6...40).contains(bits) {
        "bitstate needs 6...40 (log2 of the bit count), not \(bits)"
      } else {
        nil
      }
    if let problem {
      throw ExplorationError(kind: .invalidConfiguration, message: problem)
    }
  }
}
