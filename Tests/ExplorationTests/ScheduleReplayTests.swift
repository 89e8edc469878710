import Exploration
import TestSupport
import Testing

@Suite("Schedules and replay")
struct ScheduleReplayTests {
  @Test(
    "Every counterexample and witness prints, parses and replays to its final state",
    arguments: Toy.allCases, ExplorationConfig.Strategy.allCases)
  func roundTrip(toy: Toy, strategy: ExplorationConfig.Strategy) throws {
    try expectReplayable(toy.system, .with(strategy))
  }

  @Test("Replaying a choice whose task is not enabled fails at that choice")
  func replayOfDisabledTask() throws {
    // After T0 takes A and T1 takes B, neither can move.
    let error = #expect(throws: ReplayError.self) {
      try TwoLockInversion().replay(Schedule(parsing: "0,1,0"))
    }
    #expect(error?.step == 3)
    #expect(error?.message.contains("task 0 has no enabled step") == true)
    #expect(error?.description.hasPrefix("replay: step 3:") == true)
  }

  @Test("Replaying an alternative that does not exist fails at that choice")
  func replayOfMissingAlternative() throws {
    let error = #expect(throws: ReplayError.self) {
      try NondeterministicWriter().replay(Schedule(parsing: "1,0.2"))
    }
    #expect(error?.step == 2)
    #expect(error?.message.contains("2 alternative(s)") == true)
  }

  @Test("Replaying from an initial state that does not exist fails at step 0")
  func replayOfMissingInitialState() throws {
    let error = #expect(throws: ReplayError.self) {
      try RacyCounter().replay(Schedule(parsing: "@2:0"))
    }
    #expect(error?.step == 0)
  }

  @Test("Replay lists every state, first to last")
  func replayStates() throws {
    let replay = try RacyCounter().replay(Schedule(parsing: "0,1,0,1"))
    #expect(replay.states.count == 5)
    #expect(replay.transitions.map(\.label) == [.read, .read, .write, .write])
    #expect(replay.finalState.x == 1)
    #expect(replay.states.first == RacyCounter.State())
  }

  @Test(
    "Schedule text round-trips",
    arguments: ["-", "0", "0,0,1,1.2,0", "@1:2,0", "@3:-", "10.11,0"])
  func textRoundTrip(text: String) throws {
    let schedule = try Schedule(parsing: text)
    #expect(schedule.description == text)
    #expect(try Schedule(parsing: schedule.description) == schedule)
  }

  @Test(
    "The compact text writes runs of three or more as CHOICE*N and parses back",
    arguments: [
      ("0,0,0,0,1,1,2", "0*4,1,1,2"), ("@1:2.1,2.1,2.1,0", "@1:2.1*3,0"), ("-", "-"),
      ("0,0,1,0,0", "0,0,1,0,0"),
    ])
  func compactText(text: String, compact: String) throws {
    let schedule = try Schedule(parsing: text)
    #expect(schedule.compactDescription == compact)
    #expect(try Schedule(parsing: compact) == schedule)
  }

  @Test("Schedule text tolerates spaces and an explicit alternative 0")
  func lenientParsing() throws {
    #expect(try Schedule(parsing: " 0, 1.0 ,2 ").description == "0,1,2")
    #expect(try Schedule(parsing: "").choices.isEmpty)
  }

  @Test(
    "Malformed schedules are rejected with the offending choice",
    arguments: [
      ("0,,1", "choice 2"),
      ("a", "choice 1"),
      ("0,-1", "choice 2"),
      ("1.x", "bad alternative"),
      ("1.2.3", "choice 1"),
      ("@x:0", "'@N:'"),
      ("@1", "'@N:'"),
      ("0*0", "bad repeat count"),
      ("0*x", "bad repeat count"),
      ("0*2*3", "choice 1"),
      ("*2", "choice 1"),
    ])
  func parseErrors(text: String, mention: String) {
    let error = #expect(throws: Schedule.ParseError.self) { try Schedule(parsing: text) }
    #expect(error?.message.contains(mention) == true, "\(error?.message ?? "no error")")
  }

  /// Checks that each reported path replays: same transitions, a final state with the same
  /// fingerprint that really shows the problem, and the same schedule recomputed from the steps.
  private func expectReplayable<System: TransitionSystem>(
    _ system: System, _ config: ExplorationConfig
  ) throws {
    let result = try Explorer(system: system, config: config).run()
    var paths: [(String, Path<System.Label>)] = result.violations.compactMap { violation in
      violation.path.map { (violation.propertyID, $0) }
    }
    paths += result.witnesses.map { ($0.propertyID, $0.path) }
    for (id, path) in paths {
      let parsed = try Schedule(parsing: path.schedule.description)
      #expect(parsed == path.schedule)
      let replay = try system.replay(parsed)
      #expect(replay.transitions == path.transitions)
      #expect(system.schedule(initial: parsed.initial, of: path.transitions) == path.schedule)
      let final = replay.finalState
      let reference = try system.replay(path.schedule).finalState
      #expect(system.fingerprint(of: final) == system.fingerprint(of: reference))
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
