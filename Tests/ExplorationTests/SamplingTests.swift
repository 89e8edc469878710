import Exploration
import TestSupport
import Testing

/// Random-walk and swarm sampling: finds bugs with replayable schedules, never passes.
@Suite("Random walks and swarms")
struct SamplingTests {
  static let sampling: [ExplorationConfig.Strategy] = [.random, .swarm]

  /// A sampling configuration; small budgets keep the looping toys (Peterson) quick.
  static func config(
    _ strategy: ExplorationConfig.Strategy, seed: UInt64 = 1, walks: Int = 200,
    walkDepth: Int = 100
  ) -> ExplorationConfig {
    var config = ExplorationConfig.with(strategy)
    config.seed = seed
    config.walks = walks
    config.walkDepth = walkDepth
    return config
  }

  @Test("Random walks and swarms find the two-lock deadlock", arguments: sampling)
  func twoLockDeadlock(strategy: ExplorationConfig.Strategy) throws {
    let system = TwoLockInversion()
    let result = try Explorer(system: system, config: Self.config(strategy)).run()
    #expect(result.incomplete == .sampling)
    #expect(!result.passed)
    #expect(result.violatedPropertyIDs == ["deadlock"])
    let deadlock = try #require(result.violation(of: "deadlock"))
    #expect(deadlock.unfinishedTasks == [0, 1])
    let path = try #require(deadlock.path)
    let replay = try system.replay(path.schedule)
    #expect(replay.transitions == path.transitions)
    #expect(system.transitions(from: replay.finalState).isEmpty)
    #expect(!system.unfinishedTasks(in: replay.finalState).isEmpty)
    // Each swarm member counts the states it covered: 19 at most each, all 19 for the random run.
    #expect(result.stats.states == (strategy == .swarm ? 145 : 19))
    #expect(result.stats.deadlockStates == (strategy == .swarm ? 8 : 1))
    #expect(result.stats.walks == (strategy == .swarm ? 8 * 200 : 200))
    #expect(result.stats.seeds.count == (strategy == .swarm ? 8 : 1))
    #expect(result.stats.seeds.first == 1)
    #expect(Set(result.stats.seeds).count == result.stats.seeds.count)
  }

  @Test("Random walks and swarms find the racy counter's lost update", arguments: sampling)
  func racyCounterLostUpdate(strategy: ExplorationConfig.Strategy) throws {
    let system = RacyCounter()
    let result = try Explorer(system: system, config: Self.config(strategy)).run()
    #expect(result.incomplete == .sampling)
    let violation = try #require(result.violation(of: "lost-update"))
    #expect(violation.kind == .never)
    let path = try #require(violation.path)
    let replay = try system.replay(Schedule(parsing: path.schedule.description))
    #expect(replay.transitions == path.transitions)
    #expect(replay.finalState.x == 1 && replay.finalState.pc == [2, 2])
  }

  @Test("A sample that finds nothing is still incomplete, never a pass", arguments: sampling)
  func petersonIsNotAPass(strategy: ExplorationConfig.Strategy) throws {
    let result = try Explorer(system: Peterson(), config: Self.config(strategy)).run()
    #expect(result.violations.isEmpty)
    #expect(result.incomplete == .sampling)
    #expect(!result.isComplete)
    #expect(!result.passed)
    #expect(result.stats.states == (strategy == .swarm ? 157 : 20))
    #expect(result.stats.maxDepth == 100)
  }

  @Test("Sampling never reports a sometimes property unreached", arguments: sampling)
  func noUnreached(strategy: ExplorationConfig.Strategy) throws {
    let system = WithProperties(
      base: LockedCounter(),
      properties: [.sometimes("lost", "an update is lost") { $0.pc == [4, 4] && $0.x == 1 }])
    let result = try Explorer(system: system, config: Self.config(strategy)).run()
    #expect(result.violations.isEmpty)
    #expect(result.incomplete == .sampling)
  }

  @Test(
    "Every sampled counterexample and witness replays to its state",
    arguments: Toy.allCases, sampling)
  func replayable(toy: Toy, strategy: ExplorationConfig.Strategy) throws {
    try expectReplayable(toy.system, Self.config(strategy, walks: 50))
  }

  @Test("The same seed gives the same result", arguments: Toy.allCases, sampling)
  func sameSeed(toy: Toy, strategy: ExplorationConfig.Strategy) throws {
    let config = Self.config(strategy, seed: 42, walks: 50)
    let first = try toy.run(config)
    let second = try toy.run(config)
    #expect(first == second)
  }

  @Test("Different seeds take different walks", arguments: sampling)
  func differentSeeds(strategy: ExplorationConfig.Strategy) throws {
    let system = DiningPhilosophers(n: 5)
    let reference = try Explorer(system: system, config: Self.config(strategy, walks: 20)).run()
    var differing = 0
    for seed: UInt64 in 2...5 {
      let other = try Explorer(system: system, config: Self.config(strategy, seed: seed, walks: 20))
        .run()
      #expect(other.stats.seeds.first == seed)
      if Summary(other) != Summary(reference) { differing += 1 }
    }
    #expect(differing > 0)
  }

  @Test("A one-member swarm is the random run")
  func swarmMemberZeroIsRandom() throws {
    var swarm = Self.config(.swarm, seed: 7, walks: 30)
    swarm.swarmMembers = 1
    let random = Self.config(.random, seed: 7, walks: 30)
    for toy in Toy.allCases {
      #expect(try toy.run(swarm) == toy.run(random), "\(toy)")
    }
  }

  @Test("Walks stop at walkDepth, and maxDepth caps it")
  func walkDepth() throws {
    var config = Self.config(.random, walks: 10, walkDepth: 3)
    #expect(try Explorer(system: Peterson(), config: config).run().stats.maxDepth == 3)
    config.walkDepth = 50
    config.maxDepth = 5
    #expect(try Explorer(system: Peterson(), config: config).run().stats.maxDepth == 5)
  }

  @Test("The state bound and first-violation stop end a sample early")
  func earlierBounds() throws {
    var config = Self.config(.random)
    config.maxStates = 5
    let full = try Explorer(system: DiningPhilosophers(n: 3), config: config).run()
    #expect(full.incomplete == .states)
    #expect(full.stats.states == 5)
    config = Self.config(.swarm)
    config.stopAtFirstViolation = true
    let first = try Explorer(system: RacyCounter(), config: config).run()
    #expect(first.incomplete == .violation)
    #expect(first.violatedPropertyIDs == ["lost-update"])
  }

  @Test("Several initial states are sampled and named in schedules")
  func severalInitialStates() throws {
    var second = RacyCounter.State()
    second.x = 5
    let system = WithProperties(
      base: WithInitialStates(base: RacyCounter(), initials: [RacyCounter.State(), second]),
      properties: [.never("x-is-7", "x reaches 7") { $0.x == 7 }])
    let result = try Explorer(system: system, config: Self.config(.random)).run()
    #expect(result.stats.states == 26)
    let path = try #require(result.violation(of: "x-is-7")?.path)
    #expect(path.schedule.description.hasPrefix("@1:"))
    #expect(try system.replay(path.schedule).finalState.x == 7)
  }

  /// Checks that each reported path replays to a state that shows the problem.
  private func expectReplayable<System: TransitionSystem>(
    _ system: System, _ config: ExplorationConfig
  ) throws {
    let result = try Explorer(system: system, config: config).run()
    #expect(result.incomplete == .sampling)
    var paths: [(String, Path<System.Label>)] = result.violations.compactMap { violation in
      violation.path.map { (violation.propertyID, $0) }
    }
    #expect(paths.count == result.violations.count)
    paths += result.witnesses.map { ($0.propertyID, $0.path) }
    for (id, path) in paths {
      let replay = try system.replay(Schedule(parsing: path.schedule.description))
      #expect(replay.transitions == path.transitions)
      let final = replay.finalState
      if id == Violation<System.Label>.deadlockID {
        #expect(system.transitions(from: final).isEmpty)
        #expect(!system.unfinishedTasks(in: final).isEmpty)
      } else {
        let property = try #require(system.properties.first { $0.id == id })
        #expect(property.isReported(in: final), "\(id) at \(path.schedule)")
      }
    }
  }
}
