import Exploration
import KernelModel
import ScenarioFormat
import ScenarioRunner
import TestSupport
import Testing

@Suite("Lock-order analysis (fanmc lockdep)")
struct LockOrderTests {
  @Test("the O_TRUNC + FAN_OPEN_PERM cycle is found without a freezer, rendered as pinned")
  func otruncWithoutFreezer() throws {
    let report = try LockOrder.analyze(
      try loadScenario("Scenarios/hazards/otrunc-open-perm-lock-order.scenario"))
    #expect(report.complete)
    #expect(report.cycles.count == 1)
    let text = TextRenderer.render(report) + "\n"
    let name = "lockdep-otrunc-open-perm-lock-order.txt"
    #expect(
      Golden.mismatch(text, named: name) == nil, "\(Golden.mismatch(text, named: name) ?? "")")
  }

  @Test(
    "every edge's schedule ends where its task holds the first lock and waits for the second",
    arguments: [
      "Scenarios/hazards/otrunc-open-perm-freeze.scenario",
      "Scenarios/listeners/daemon-mutex-deadlock.scenario",
      "Scenarios/history/d4-event-under-folio-lock-v9.scenario",
    ])
  func edgesReplay(path: String) throws {
    let report = try LockOrder.analyze(try loadScenario(path))
    #expect(!report.cycles.isEmpty)
    for e in report.edges {
      let replay = try report.system.replay(e.schedule)
      let task = replay.finalState.tasks[e.task]
      #expect(task.path.first != nil)
      if case .lock(let held) = e.from, case .lock = e.to {
        #expect(task.held.contains(held) || replay.finalState.sb.freeze != .unfrozen)
      }
    }
  }

  @Test("mainline scenarios order their locks without a cycle (no false positives)")
  func mainlineAcyclic() throws {
    for path in allScenarioPaths where path.hasPrefix("Scenarios/mainline/") {
      let report = try LockOrder.analyze(try loadScenario(path), maxStates: 50_000)
      #expect(report.cycles.isEmpty, "\(path)")
    }
  }

  @Test("expect lock-cycle fails on a scenario whose locks are ordered, and the reverse")
  func expectations() throws {
    for (expectation, problem) in [
      ("expect lock-cycle", "expected a lock-order cycle, found none"),
      ("expect no-lock-cycle", nil),
    ] {
      let text = """
        scenario t
        question "q"
        expect no-violation
        \(expectation)
        file data pages 1 content remote
        group hsm class pre-content listener fill
        mark hsm inode data FAN_PRE_ACCESS
        task r
          fd = open data
          read fd 4096
        """
      let report = try ScenarioRun.run(
        try ScenarioResolver.resolve(SourceFile(path: "t.scenario", text: text)))
      #expect(report.expectationProblems == (problem.map { [$0] } ?? []))
    }
  }
}
