import Exploration
import TestSupport

/// The toy systems by name, so that argument tables can range over systems of different types.
enum Toy: String, CaseIterable, CustomStringConvertible, Sendable {
  case twoLockInversion
  case peterson
  case philosophers2
  case philosophers3
  case philosophers4
  case philosophers5
  case racyCounter
  case lockedCounter
  case nondeterministicWriter

  var description: String { rawValue }

  /// The system itself.
  var system: any TransitionSystem {
    switch self {
    case .twoLockInversion: TwoLockInversion()
    case .peterson: Peterson()
    case .philosophers2: DiningPhilosophers(n: 2)
    case .philosophers3: DiningPhilosophers(n: 3)
    case .philosophers4: DiningPhilosophers(n: 4)
    case .philosophers5: DiningPhilosophers(n: 5)
    case .racyCounter: RacyCounter()
    case .lockedCounter: LockedCounter()
    case .nondeterministicWriter: NondeterministicWriter()
    }
  }

  /// Explores the toy with `config` and keeps the deterministic part of the result.
  func run(_ config: ExplorationConfig) throws -> Summary {
    try summarize(system, config)
  }
}

/// Explores `system` with `config` and keeps the deterministic part of the result.
func summarize<System: TransitionSystem>(
  _ system: System, _ config: ExplorationConfig
) throws -> Summary {
  try Summary(Explorer(system: system, config: config).run())
}

/// The deterministic part of an exploration result, comparable across label types.
struct Summary: Hashable, Sendable, CustomStringConvertible {
  var states: Int
  var transitions: Int
  var sleptTransitions: Int
  var deadlockStates: Int
  var maxDepth: Int
  var incomplete: Bound?
  /// The violation set (sorted ids).
  var violated: [String]
  /// Each violation's id and schedule, in the order found.
  var counterexamples: [String]
  /// Each witness's id and schedule, in the order found.
  var witnesses: [String]

  init<Label>(_ result: ExplorationResult<Label>) {
    states = result.stats.states
    transitions = result.stats.transitions
    sleptTransitions = result.stats.sleptTransitions
    deadlockStates = result.stats.deadlockStates
    maxDepth = result.stats.maxDepth
    incomplete = result.incomplete
    violated = result.violatedPropertyIDs
    counterexamples = result.violations.map {
      "\($0.propertyID)@\($0.path.map { "\($0.schedule)" } ?? "none")"
    }
    witnesses = result.witnesses.map { "\($0.propertyID)@\($0.path.schedule)" }
  }

  var description: String {
    "states \(states), transitions \(transitions), slept \(sleptTransitions), "
      + "deadlocks \(deadlockStates), violated \(violated)"
  }
}

extension ExplorationConfig {
  /// A configuration with the given strategy and sleep-set switch, other fields at defaults
  /// except the sampling budget: 50 walks of at most 100 steps (the defaults walk Peterson's
  /// endless loop for 10 000 steps a thousand times per member).
  static func with(
    _ strategy: Strategy = .dfs, sleepSets: Bool = true, checkIndependence: Bool = false,
    persistentSets: Bool = false, symmetry: Bool = false
  ) -> ExplorationConfig {
    var config = ExplorationConfig()
    config.strategy = strategy
    config.sleepSets = sleepSets
    config.persistentSets = persistentSets
    config.symmetry = symmetry
    config.checkIndependence = checkIndependence
    config.walks = 50
    config.walkDepth = 100
    return config
  }
}
