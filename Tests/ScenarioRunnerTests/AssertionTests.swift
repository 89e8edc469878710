import Exploration
import KernelModel
import ScenarioFormat
import ScenarioRunner
import Testing

/// `assert` lines judged against a scenario whose every path is known: a reader of page 0 of a
/// two-page stub file, and an HSM that fills.
@Suite("Assertions: the scenario's own properties")
struct AssertionTests {
  static let base = """
    scenario t
    question "q"
    expect no-violation
    file data pages 2 content remote
    group hsm class pre-content listener fill
    mark hsm inode data FAN_PRE_ACCESS
    task r
      fd = open data
      read fd 4096
      close fd

    """

  /// The report of the base scenario with `line` added.
  static func report(_ line: String) throws -> RunReport {
    let source = SourceFile(path: "t.scenario", text: base + line + "\n")
    return try ScenarioRun.run(try ScenarioResolver.resolve(source))
  }

  enum Outcome: String, Sendable { case holds, violated, reached }

  @Test(
    "each assertion holds, is violated or is reached as the kernel's paths say",
    arguments: [
      ("assert always events hsm data 1 == 0", Outcome.holds),
      ("assert never events hsm data 0 > 1", .holds),
      ("assert always events hsm <= 1", .holds),
      ("assert always events hsm data 0 from r == events hsm", .holds),
      ("assert sometimes events hsm from hsm == 1", .violated),
      ("assert always events hsm == 0", .violated),
      ("assert sometimes events hsm data 0 == 1 and answered hsm == 0", .reached),
      ("assert always answered hsm <= events hsm", .holds),
      ("assert sometimes returned r 2 == 4096", .reached),
      ("assert never returned r 2 == EIO or returned r 1 == none and done r", .holds),
      ("assert sometimes returned r 2 == EIO", .violated),
      ("assert never saw r remote", .holds),
      ("assert never saw r filled", .violated),
      ("assert always content data 1 == remote", .holds),
      ("assert sometimes content data 0 == filled and waiting r", .reached),
      ("assert sometimes waiting r and queued hsm == 1", .reached),
      ("assert sometimes unanswered hsm == 1 and holds hsm i_rwsem data", .reached),
      ("assert never holds r i_rwsem data", .holds),
      ("assert always size data == 2p", .holds),
      ("assert eventually done r within 30", .holds),
      ("assert eventually done r within 10", .violated),
      // The event is queued at step 6 on every path: openat's entry, do_dentry_open, fd_install
      // and return, read's entry, then rw_verify_area's fsnotify (nothing else can move first).
      ("assert eventually (events hsm == 1) within 6", .holds),
      ("assert eventually events hsm == 1 within 5", .violated),
    ])
  func judged(line: String, outcome: Outcome) throws {
    let report = try Self.report(line)
    #expect(report.isComplete)
    let violated = report.violations.contains { $0.propertyID == "A1" }
    let reached = report.witnesses.contains { $0.propertyID == "A1" }
    let got: Outcome = violated ? .violated : reached ? .reached : .holds
    #expect(got == outcome)
    if violated, let path = report.violations.first(where: { $0.propertyID == "A1" })?.path {
      // Every counterexample replays to the violation, `eventually`'s included.
      let outcome = try ReplayOutcome.replay(report.scenario, schedule: path.schedule)
      #expect(outcome.violated.contains("A1"))
    }
  }

  @Test("without assertions nothing is observed: the state keeps its layout")
  func nothingObserved() throws {
    let report = try Self.report("")
    #expect(report.system.config.observations.isEmpty)
    #expect(report.system.initialStates()[0].observed.isEmpty)
  }

  @Test("one observation serves every assertion that names it")
  func sharedObservations() throws {
    let report = try Self.report(
      "assert always events hsm <= 1\nassert never events hsm > 1\nassert never saw r remote")
    #expect(
      report.system.config.observations == [
        .events(group: 0, file: nil, page: nil), .saw(task: 0),
      ])
  }
}
