import Exploration
import TestSupport
import Testing

/// A run that hits a bound reports it and is never a pass.
@Suite("Bounds")
struct BoundTests {
  @Test(
    "Hitting the state bound makes the run incomplete, not a pass",
    arguments: ExplorationConfig.Strategy.exhaustive)
  func stateBound(strategy: ExplorationConfig.Strategy) throws {
    var config = ExplorationConfig.with(strategy)
    config.maxStates = 10
    let result = try Explorer(system: LockedCounter(), config: config).run()
    #expect(result.incomplete == .states)
    #expect(!result.isComplete)
    #expect(result.violations.isEmpty)
    #expect(!result.passed)
    #expect(result.stats.states == 10)
  }

  @Test("A state bound equal to the state count is not hit")
  func stateBoundExact() throws {
    var config = ExplorationConfig()
    config.maxStates = 17
    #expect(try Explorer(system: LockedCounter(), config: config).run().passed)
  }

  @Test(
    "Hitting the depth bound makes the run incomplete, not a pass",
    arguments: ExplorationConfig.Strategy.exhaustive)
  func depthBound(strategy: ExplorationConfig.Strategy) throws {
    var config = ExplorationConfig.with(strategy)
    config.maxDepth = 3
    let result = try Explorer(system: Peterson(), config: config).run()
    #expect(result.incomplete == .depth)
    #expect(result.violations.isEmpty)
    #expect(!result.passed)
    #expect(result.stats.maxDepth == 3)
  }

  @Test("The depth bound counts steps: the longest path fits exactly", arguments: 2...4)
  func depthBoundExact(n: Int) throws {
    // Every philosopher takes 5 steps, so no path is longer than 5n.
    var config = ExplorationConfig.with(.bfs)
    config.maxDepth = 5 * n
    let complete = try Explorer(system: DiningPhilosophers(n: n), config: config).run()
    #expect(complete.isComplete)
    #expect(complete.stats.maxDepth == 5 * n)
    config.maxDepth = 5 * n - 1
    let cut = try Explorer(system: DiningPhilosophers(n: n), config: config).run()
    #expect(cut.incomplete == .depth)
    #expect(cut.violatedPropertyIDs == ["deadlock"])
  }

  @Test("A time limit of zero stops a run after its first clock check")
  func timeBound() throws {
    var config = ExplorationConfig()
    config.timeLimitSeconds = 0
    let result = try Explorer(system: DiningPhilosophers(n: 5), config: config).run()
    #expect(result.incomplete == .time)
    #expect(!result.passed)
  }

  @Test("An infinite time limit is no limit")
  func infiniteTimeLimit() throws {
    var config = ExplorationConfig()
    config.timeLimitSeconds = .infinity
    #expect(try Explorer(system: DiningPhilosophers(n: 5), config: config).run().isComplete)
  }

  @Test("A memory limit below the process's size stops a run after its first memory check")
  func memoryBound() throws {
    var config = ExplorationConfig()
    config.memoryLimitBytes = 0
    let result = try Explorer(system: DiningPhilosophers(n: 6), config: config).run()
    #expect(result.incomplete == .memory)
    #expect(result.stats.states == 4096)
  }

  @Test(
    "Stopping at the first violation keeps one violation and reports the run incomplete",
    arguments: ExplorationConfig.Strategy.exhaustive)
  func stopAtFirstViolation(strategy: ExplorationConfig.Strategy) throws {
    var config = ExplorationConfig.with(strategy)
    config.stopAtFirstViolation = true
    let system = WithProperties(
      base: RacyCounter(),
      properties: [
        .never("x-one", "x is 1") { $0.x == 1 },
        .never("x-two", "x is 2") { $0.x == 2 },
        .sometimes("never-true", "impossible") { _ in false },
      ])
    let result = try Explorer(system: system, config: config).run()
    #expect(result.incomplete == .violation)
    #expect(result.violatedPropertyIDs == ["x-one"])
  }

  @Test(
    "Negative bounds are rejected",
    arguments: [
      \ExplorationConfig.maxStates, \ExplorationConfig.maxDepth,
      \ExplorationConfig.memoryLimitBytes, \ExplorationConfig.walks,
      \ExplorationConfig.walkDepth, \ExplorationConfig.swarmMembers,
    ])
  func invalidBounds(field: WritableKeyPath<ExplorationConfig, Int> & Sendable) {
    var config = ExplorationConfig()
    config[keyPath: field] = -1
    let error = #expect(throws: ExplorationError.self) {
      try Explorer(system: RacyCounter(), config: config).run()
    }
    #expect(error?.kind == .invalidConfiguration)
  }

  @Test("A negative or NaN time limit is rejected", arguments: [-1, Double.nan])
  func invalidTimeLimit(seconds: Double) {
    var config = ExplorationConfig()
    config.timeLimitSeconds = seconds
    #expect(throws: ExplorationError.self) {
      try Explorer(system: RacyCounter(), config: config).run()
    }
  }

  @Test("Statistics report time, rate and memory")
  func statistics() throws {
    let result = try Explorer(system: DiningPhilosophers(n: 5)).run()
    #expect(result.stats.seconds > 0)
    #expect(result.stats.statesPerSecond > 0)
    #expect(result.stats.peakMemoryBytes > 1 << 20)
    #expect(result.stats.maxDepth >= 25)
  }
}
