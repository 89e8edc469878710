import Exploration
import TestSupport
import Testing

@Suite("Verdicts on the toys")
struct VerdictTests {
  @Test(
    "Two-lock inversion deadlocks after two steps, one lock each",
    arguments: [
      ExplorationConfig.Strategy.bfs, .dfs,
    ])
  func twoLockInversionDeadlocks(strategy: ExplorationConfig.Strategy) throws {
    let result = try Explorer(system: TwoLockInversion(), config: .with(strategy)).run()
    #expect(result.isComplete)
    #expect(result.violatedPropertyIDs == [Violation<TwoLockInversion.Label>.deadlockID])
    let deadlock = try #require(result.violations.first)
    #expect(deadlock.kind == .deadlock)
    #expect(deadlock.unfinishedTasks == [0, 1])
    let path = try #require(deadlock.path)
    #expect(path.schedule.description == "0,1")
    #expect(path.transitions.map(\.label) == [.lock(.a), .lock(.b)])
  }

  @Test("Peterson keeps mutual exclusion and both processes can want in at once")
  func petersonHoldsMutex() throws {
    let result = try Explorer(system: Peterson()).run()
    #expect(result.isComplete)
    #expect(result.violations.isEmpty)
    #expect(result.passed)
    #expect(result.witnesses.map(\.propertyID) == ["both-want"])
  }

  @Test("Dining philosophers deadlock, shortest when each takes its left fork", arguments: 2...5)
  func philosophersDeadlock(n: Int) throws {
    let result = try Explorer(system: DiningPhilosophers(n: n), config: .with(.bfs)).run()
    #expect(result.isComplete)
    #expect(result.violatedPropertyIDs == ["deadlock"])
    let deadlock = try #require(result.violation(of: "deadlock"))
    #expect(deadlock.unfinishedTasks == Array(0..<n))
    let path = try #require(deadlock.path)
    #expect(path.count == n)
    #expect(path.schedule.description == (0..<n).map(String.init).joined(separator: ","))
    #expect(path.transitions.allSatisfy { $0.label == .takeLeft })
    #expect(result.witnesses.map(\.propertyID) == ["all-done"])
  }

  @Test("The racy counter can lose an update; its shortest loss is read, read, write, write")
  func racyCounterLosesUpdate() throws {
    let result = try Explorer(system: RacyCounter(), config: .with(.bfs)).run()
    #expect(result.isComplete)
    let violation = try #require(result.violation(of: "lost-update"))
    #expect(violation.kind == .never)
    #expect(violation.path?.schedule.description == "0,1,0,1")
    #expect(result.violatedPropertyIDs == ["lost-update"])
  }

  @Test(
    "The locked counter never loses an update", arguments: ExplorationConfig.Strategy.exhaustive)
  func lockedCounterKeepsUpdates(strategy: ExplorationConfig.Strategy) throws {
    let result = try Explorer(system: LockedCounter(), config: .with(strategy)).run()
    #expect(result.passed)
  }

  @Test("A counterexample through the second alternative names it in the schedule")
  func alternativesInSchedules() throws {
    for strategy in ExplorationConfig.Strategy.exhaustive {
      let result = try Explorer(system: NondeterministicWriter(), config: .with(strategy)).run()
      let violation = try #require(result.violation(of: "copied-two"))
      #expect(violation.path?.schedule.description == "0.1,1")
      #expect(violation.path?.transitions.map(\.label) == [.write(2), .copy])
      #expect(result.witnesses.map(\.path.schedule.description) == ["0"])
    }
  }

  @Test("An always property that fails is an invariant violation")
  func invariantViolation() throws {
    let system = WithProperties(
      base: LockedCounter(),
      properties: [.always("x-below-2", "x stays below 2") { $0.x < 2 }])
    let result = try Explorer(system: system, config: .with(.bfs)).run()
    let violation = try #require(result.violations.first)
    #expect(violation.kind == .invariant)
    #expect(violation.propertyID == "x-below-2")
    #expect(violation.path?.count == 7)
    #expect(violation.unfinishedTasks.isEmpty)
  }

  @Test("Properties are checked on initial states too")
  func initialStatesAreChecked() throws {
    let system = WithProperties(
      base: RacyCounter(), properties: [.never("x-zero", "x is 0") { $0.x == 0 }])
    let result = try Explorer(system: system).run()
    #expect(result.violation(of: "x-zero")?.path?.schedule.description == "-")
  }

  @Test("Only the first counterexample of each property is kept, in the order found")
  func firstCounterexamplePerProperty() throws {
    let system = WithProperties(
      base: RacyCounter(),
      properties: [
        .never("late", "both done") { $0.pc == [2, 2] },
        .never("early", "x is 1") { $0.x == 1 },
      ])
    let result = try Explorer(system: system, config: .with(.bfs)).run()
    #expect(result.violations.map(\.propertyID) == ["early", "late"])
    #expect(result.violatedPropertyIDs == ["early", "late"])
    #expect(result.violations.map { $0.path?.count } == [2, 4])
  }

  @Test("A sometimes property never witnessed in a complete run is reported unreached")
  func unreachedOnCompleteRuns() throws {
    let system = WithProperties(
      base: LockedCounter(),
      properties: [
        .sometimes("lost", "an update is lost") { $0.pc == [4, 4] && $0.x == 1 },
        .sometimes("two", "x reaches 2") { $0.x == 2 },
      ])
    let result = try Explorer(system: system).run()
    #expect(result.isComplete)
    #expect(result.violatedPropertyIDs == ["lost"])
    let unreached = try #require(result.violations.first)
    #expect(unreached.kind == .unreached)
    #expect(unreached.path == nil)
    #expect(result.witnesses.map(\.propertyID) == ["two"])
  }

  @Test("A run that hits a bound does not judge sometimes properties")
  func noUnreachedOnIncompleteRuns() throws {
    let system = WithProperties(
      base: LockedCounter(),
      properties: [.sometimes("lost", "an update is lost") { $0.pc == [4, 4] && $0.x == 1 }])
    var config = ExplorationConfig()
    config.maxStates = 5
    let result = try Explorer(system: system, config: config).run()
    #expect(result.incomplete == .states)
    #expect(result.violations.isEmpty)
    #expect(!result.passed)
  }

  @Test("Several initial states are all explored and named in schedules")
  func severalInitialStates() throws {
    var second = RacyCounter.State()
    second.x = 5
    let system = WithProperties(
      base: WithInitialStates(base: RacyCounter(), initials: [RacyCounter.State(), second]),
      properties: [.never("x-is-7", "x reaches 7") { $0.x == 7 }])
    for strategy in ExplorationConfig.Strategy.exhaustive {
      let result = try Explorer(system: system, config: .with(strategy)).run()
      #expect(result.stats.states == 26)
      #expect(result.violation(of: "x-is-7")?.path?.schedule.description.hasPrefix("@1:") == true)
    }
  }

  @Test("A system without initial states is an error")
  func noInitialState() {
    let system = WithInitialStates(base: RacyCounter(), initials: [])
    #expect(throws: ExplorationError.self) { try Explorer(system: system).run() }
  }

  @Test("A transition naming a task that does not exist is an error")
  func taskOutOfRange() {
    for strategy in ExplorationConfig.Strategy.allCases {
      let error = #expect(throws: ExplorationError.self) {
        try Explorer(system: TaskOutOfRange(), config: .with(strategy)).run()
      }
      #expect(error?.kind == .invalidTransition)
    }
  }
}
