import ScenarioRunner
import TestSupport
import Testing

/// Rendered reports pinned as golden files (Tests/Golden/). Re-record with
/// `FANMC_RECORD_GOLDEN=1 swift test` and review the diff.
@Suite("Golden reports")
struct GoldenReportTests {
  @Test(
    "run reports as text",
    arguments: [
      ("Scenarios/hazards/read-allow-unfilled.scenario", "run-read-allow-unfilled.txt"),
      ("Scenarios/mainline/silent-listener.scenario", "run-silent-listener.txt"),
      ("Scenarios/mainline/open-before-mark.scenario", "run-open-before-mark.txt"),
      ("Scenarios/listeners/daemon-mutex-deadlock.scenario", "run-daemon-mutex-deadlock.txt"),
    ])
  func textReport(path: String, golden: String) throws {
    let report = try ScenarioRun.run(try loadScenario(path))
    let text = Golden.masked(TextRenderer.render(report)) + "\n"
    #expect(
      Golden.mismatch(text, named: golden) == nil, "\(Golden.mismatch(text, named: golden) ?? "")")
  }

  @Test("a run report as JSON")
  func jsonReport() throws {
    let report = try ScenarioRun.run(
      try loadScenario("Scenarios/hazards/read-allow-unfilled.scenario"))
    let json = Golden.masked(JSONRenderer.render(report)) + "\n"
    let name = "run-read-allow-unfilled.json"
    #expect(
      Golden.mismatch(json, named: name) == nil, "\(Golden.mismatch(json, named: name) ?? "")")
  }

  @Test(
    "traces as text",
    arguments: [
      ("Scenarios/mainline/read-filled.scenario", "trace-read-filled.txt"),
      ("Scenarios/hazards/deny-invalid-errno.scenario", "trace-deny-invalid-errno.txt"),
      ("Scenarios/listeners/fallback-after-einval.scenario", "trace-fallback-after-einval.txt"),
    ])
  func traceText(path: String, golden: String) throws {
    let scenario = try loadScenario(path)
    let trace = Trace.run(
      Narrator(system: try ScenarioRun.makeSystem(scenario)))
    let text = TextRenderer.render(trace, scenario: scenario) + "\n"
    #expect(
      Golden.mismatch(text, named: golden) == nil, "\(Golden.mismatch(text, named: golden) ?? "")")
  }

  @Test(
    "explanations as text",
    arguments: [
      ("Scenarios/mainline/read-filled.scenario", "explain-read-filled.txt"),
      ("Scenarios/hazards/ftruncate-event-fd.scenario", "explain-ftruncate-event-fd.txt"),
      ("Scenarios/mainline/fault-past-eof.scenario", "explain-fault-past-eof.txt"),
      (
        "Scenarios/history/b10-noretry-fault-6.14-rc1.scenario",
        "explain-b10-noretry-fault-6.14-rc1.txt"
      ),
    ])
  func explanation(path: String, golden: String) throws {
    let scenario = try loadScenario(path)
    let text = try Explanation.render(scenario, system: try ScenarioRun.makeSystem(scenario)) + "\n"
    #expect(
      Golden.mismatch(text, named: golden) == nil, "\(Golden.mismatch(text, named: golden) ?? "")")
  }

  @Test("a lockdep-style deadlock report as text")
  func deadlockReport() throws {
    let scenario = try loadScenario("Scenarios/hazards/otrunc-open-perm-freeze.scenario")
    let report = try ScenarioRun.run(scenario, exploration: .with { $0.strategy = .bfs })
    let text = TextRenderer.render(report)
    let name = "run-otrunc-open-perm-freeze-bfs.txt"
    let masked = Golden.masked(text) + "\n"
    #expect(
      Golden.mismatch(masked, named: name) == nil, "\(Golden.mismatch(masked, named: name) ?? "")")
  }

  @Test("a replay as text")
  func replayText() throws {
    let scenario = try loadScenario("Scenarios/hazards/read-allow-unfilled.scenario")
    let report = try ScenarioRun.run(scenario)
    let outcome = try ReplayOutcome.replay(scenario, schedule: report.violations[0].path!.schedule)
    let text = outcome.text() + "\n"
    let name = "replay-read-allow-unfilled.txt"
    #expect(
      Golden.mismatch(text, named: name) == nil, "\(Golden.mismatch(text, named: name) ?? "")")
  }
}
