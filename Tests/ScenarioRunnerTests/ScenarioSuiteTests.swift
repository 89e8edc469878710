import Exploration
import KernelModel
import ScenarioRunner
import TestSupport
import Testing

@Suite("Every scenario under Scenarios/")
struct ScenarioSuiteTests {
  @Test("there are scenarios to judge")
  func found() {
    #expect(allScenarioPaths.count >= 6)
  }

  @Test("Scenarios/README.md lists every scenario")
  func indexed() throws {
    let index = try Repository.read("Scenarios/README.md")
    for path in allScenarioPaths {
      let name = path.split(separator: "/").last!.dropLast(".scenario".count)
      #expect(index.contains("**`\(name)`**"), "\(path) is missing from Scenarios/README.md")
    }
  }

  @Test("meets its expectations", arguments: allScenarioPaths)
  func meetsExpectations(path: String) throws {
    let report = try ScenarioRun.run(try loadScenario(path))
    #expect(report.result.isComplete)
    #expect(report.expectationProblems == [])
  }

  @Test(
    "sleep sets change transitions, never states, verdicts or violation sets",
    arguments: allScenarioPaths)
  func sleepSetsAreSound(path: String) throws {
    let scenario = try loadScenario(path)
    let on = try ScenarioRun.run(scenario, exploration: .with { $0.sleepSets = true })
    let off = try ScenarioRun.run(scenario, exploration: .with { $0.sleepSets = false })
    #expect(on.result.stats.states == off.result.stats.states)
    #expect(on.result.stats.deadlockStates == off.result.stats.deadlockStates)
    #expect(on.result.violatedPropertyIDs == off.result.violatedPropertyIDs)
    #expect(on.gaps.map(\.propertyID) == off.gaps.map(\.propertyID))
    #expect(on.verdict == off.verdict)
    #expect(on.result.stats.transitions <= off.result.stats.transitions)
  }

  @Test(
    "breadth-first and depth-first reach the same states and verdicts", arguments: allScenarioPaths)
  func strategiesAgree(path: String) throws {
    let scenario = try loadScenario(path)
    let dfs = try ScenarioRun.run(scenario, exploration: .with { $0.strategy = .dfs })
    let bfs = try ScenarioRun.run(scenario, exploration: .with { $0.strategy = .bfs })
    #expect(dfs.result.stats.states == bfs.result.stats.states)
    #expect(dfs.result.violatedPropertyIDs == bfs.result.violatedPropertyIDs)
    #expect(dfs.verdict == bfs.verdict)
    for v in bfs.violations {
      let d = dfs.violations.first { $0.propertyID == v.propertyID }
      #expect(v.path!.transitions.count <= d!.path!.transitions.count)
    }
  }

  @Test(
    "parallel breadth-first gives the sequential counts and counterexamples",
    arguments: allScenarioPaths)
  func parallelBFSIsExact(path: String) throws {
    let scenario = try loadScenario(path)
    let one = try ScenarioRun.run(scenario, exploration: .with { $0.strategy = .bfs })
    let two = try ScenarioRun.run(
      scenario,
      exploration: .with {
        $0.strategy = .bfs
        $0.workers = 2
      })
    #expect(one.result.stats.states == two.result.stats.states)
    #expect(one.result.stats.transitions == two.result.stats.transitions)
    #expect(one.result.stats.deadlockStates == two.result.stats.deadlockStates)
    #expect(one.result.violations.map(\.path) == two.result.violations.map(\.path))
    #expect(one.gaps.map(\.path) == two.gaps.map(\.path))
    #expect(one.verdict == two.verdict)
  }

  @Test(
    "parallel depth-first gives the counts and results of the unreduced sequential search",
    arguments: allScenarioPaths)
  func parallelDFSIsExact(path: String) throws {
    let scenario = try loadScenario(path)
    let one = try ScenarioRun.run(scenario, exploration: .with { $0.sleepSets = false })
    let two = try ScenarioRun.run(
      scenario,
      exploration: .with {
        $0.sleepSets = false
        $0.workers = 2
      })
    #expect(one.result.stats.states == two.result.stats.states)
    #expect(one.result.stats.transitions == two.result.stats.transitions)
    #expect(one.result.violations.map(\.path) == two.result.violations.map(\.path))
    #expect(one.gaps.map(\.path) == two.gaps.map(\.path))
    #expect(one.verdict == two.verdict)
  }

  @Test(
    "parallel depth-first with persistent sets and symmetry gives the sequential verdicts",
    arguments: allScenarioPaths)
  func parallelReducedDFS(path: String) throws {
    let scenario = try loadScenario(path)
    let reduced = ExplorationConfig.with {
      $0.sleepSets = false
      $0.persistentSets = true
      $0.symmetry = true
    }
    var parallel = reduced
    parallel.workers = 2
    let one = try ScenarioRun.run(scenario, exploration: reduced)
    let two = try ScenarioRun.run(scenario, exploration: parallel)
    #expect(one.verdict == two.verdict)
    #expect(one.foundIDs == two.foundIDs)
    #expect(one.result.violations.map(\.path) == two.result.violations.map(\.path))
    #expect(Set(one.gaps.map(\.propertyID)) == Set(two.gaps.map(\.propertyID)))
    // Which states the proviso expands fully depends on the threads' timing, so the parallel
    // count may differ either way from the sequential one; every state it stores (or, with
    // symmetry, a renaming of one) is reachable, and both searches finish.
    let every = try ScenarioRun.run(scenario)
    #expect(two.result.stats.states <= every.result.stats.states)
    #expect(one.isComplete && two.isComplete)
  }

  @Test("every scenario's chart fits in 72 columns", arguments: allScenarioPaths)
  func chartsFit(path: String) throws {
    let report = try ScenarioRun.run(try loadScenario(path))
    let chart = ChartRenderer.render(report)
    for line in chart.split(separator: "\n") {
      #expect(line.count <= ChartRenderer.width, "\(line)")
    }
  }

  @Test("every footprint-independence claim commutes", arguments: allScenarioPaths)
  func footprintsAreHonest(path: String) throws {
    let scenario = try loadScenario(path)
    // The explorer throws (→ RunError) on the first independent pair that does not commute.
    _ = try ScenarioRun.run(scenario, exploration: .with { $0.checkIndependence = true })
  }

  @Test("two runs give identical counts and counterexamples", arguments: allScenarioPaths)
  func deterministic(path: String) throws {
    let scenario = try loadScenario(path)
    let a = try ScenarioRun.run(scenario)
    let b = try ScenarioRun.run(scenario)
    #expect(a.result.stats.states == b.result.stats.states)
    #expect(a.result.stats.transitions == b.result.stats.transitions)
    #expect(a.result.violations.map(\.path) == b.result.violations.map(\.path))
    #expect(a.gaps.map(\.path) == b.gaps.map(\.path))
  }

  @Test(
    "every counterexample and gap witness replays to what it claims", arguments: allScenarioPaths)
  func counterexamplesReplay(path: String) throws {
    let scenario = try loadScenario(path)
    let report = try ScenarioRun.run(scenario)
    for v in report.violations {
      let outcome = try ReplayOutcome.replay(scenario, schedule: v.path!.schedule)
      if v.kind == .deadlock {
        #expect(outcome.deadlock != nil)
      } else {
        #expect(outcome.violated.contains(v.propertyID))
      }
    }
    for g in report.gaps {
      let outcome = try ReplayOutcome.replay(scenario, schedule: g.path.schedule)
      #expect(outcome.gaps.contains(g.propertyID))
    }
  }

  @Test("LTP fanotify24 case 0 fails as on 6.14–6.17.3 when the B13 mmap offset bug is back")
  func ltpCatchesB13() throws {
    let path = "Scenarios/ltp/fanotify24-case0.scenario"
    var scenario = try loadScenario(path)
    #expect(try ScenarioRun.run(scenario).expectationsMet)
    scenario.config.profile.mmapOffsetBug = true
    let report = try ScenarioRun.run(scenario)
    #expect(report.foundIDs == ["I11"])
    #expect(
      report.expectationProblems == [
        "unexpected violation I11",
        "trace event 2: expected FAN_PRE_ACCESS (offset 409600 count 8192) -> FAN_ALLOW, "
          + "got FAN_PRE_ACCESS (offset 0 count 8192) -> FAN_ALLOW",
      ])
  }

  @Test("a bound that is hit gives incomplete, never a pass")
  func boundIsIncomplete() throws {
    let scenario = try loadScenario("Scenarios/mainline/two-readers.scenario")
    let report = try ScenarioRun.run(scenario, exploration: .with { $0.maxStates = 10 })
    #expect(report.verdict == .incomplete)
    #expect(!report.expectationsMet)
    #expect(report.expectationProblems == ["exploration incomplete: hit the states bound"])
  }
}
