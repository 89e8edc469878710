import Foundation
import KernelModel
import KernelProbe
import ScenarioRunner

/// `fanmc conform PATH…`: run each scenario's deterministic schedule on the live kernel and
/// compare it with the 6.18 model's trace.
extension Command {
  static func conform(_ args: Arguments) throws -> ExitStatus {
    if let n = try args.integer("--random") { return try conformRandom(args, count: n) }
    guard !args.positional.isEmpty else {
      throw Arguments.UsageError(message: "missing PATH", command: "conform")
    }
    let timeout = try args.seconds("--op-timeout") ?? 2
    let files = try scenarioFiles(args.positional)
    if case .unavailable(let reason) = KernelProbe.availability() {
      print("SKIP     all \(files.count) scenarios: \(reason)")
      print("\(files.count) scenarios: 0 agree, 0 differ, \(files.count) skipped")
      return .incomplete
    }
    var agree = 0
    var differ = 0
    var skipped = 0
    var invalid = 0
    let width = files.map(\.count).max() ?? 0
    for path in files {
      let shown = path.padding(toLength: width, withPad: " ", startingAt: 0)
      let scenario: Scenario
      do { scenario = try load(path) } catch {
        invalid += 1
        printError(error.message)
        print("INVALID  \(path)")
        continue
      }
      guard scenario.config.profile == .v6_18 else {
        skipped += 1
        print("SKIP     \(shown)  the live kernel is 6.18; this scenario changes the profile")
        continue
      }
      let c: LiveComparison
      do { c = try compareLive(scenario, opTimeout: timeout) } catch let error as ProbeError {
        skipped += 1
        print("SKIP     \(shown)  \(error.message)")
        continue
      }
      if c.differences.isEmpty {
        agree += 1
        print(
          "ok       \(shown)  \(c.trace.eventRecords.count) events, "
            + "\(c.trace.callRecords.count) calls agree"
            + (c.deadlock && !c.blocked.isEmpty ? "; the deadlock is reproduced live" : ""))
      } else {
        differ += 1
        print("DIFF     \(shown)")
        for d in c.differences { print("           \(d)") }
      }
      if c.deadlock { printBlocked(c.blocked, c.observation) }
      if !c.differences.isEmpty {
        for n in c.observation.notes where !n.hasPrefix("recovery:") {
          print("           note: \(n)")
        }
      }
    }
    print(
      "\(files.count) scenarios: \(agree) agree, \(differ) differ, \(skipped) skipped"
        + (invalid > 0 ? ", \(invalid) invalid" : ""))
    if invalid > 0 { return .invalidScenario }
    if differ > 0 { return .expectationNotMet }
    return skipped > 0 ? .incomplete : .ok
  }

  /// One scenario's deterministic schedule, live and in the model, compared.
  struct LiveComparison {
    var trace: Trace
    var observation: ProbeObservation
    /// Runs the deadlock schedule (I5 with a freeze expected).
    var deadlock: Bool
    var blocked: [Conformance.BlockedRow]
    var differences: [String]
  }

  /// Runs `scenario` on the live kernel (on `session`'s filesystem when given) and in the 6.18
  /// model, and compares events, calls and the files after the run; for a scenario that expects
  /// a freeze deadlock, also where each blocked task sleeps and whether recovery released it.
  static func compareLive(_ scenario: Scenario, opTimeout: Double, session: ProbeSession? = nil)
    throws -> LiveComparison
  {
    let system = try ScenarioRun.makeSystem(scenario)
    // A scenario that expects a freeze deadlock runs the schedule that forms it: tasks in
    // file order until each returns or blocks, listeners only after them. (A listener that
    // stalls itself, B14, blocks in a helper thread the probe does not report yet.)
    let deadlock =
      scenario.expectations.violations.contains("I5")
      && scenario.config.tasks.contains { $0.program.contains { $0.syscall == .freeze } }
    let observation = try KernelProbe.run(
      scenario.config, opTimeoutSeconds: opTimeout, holdListeners: deadlock, session: session)
    let trace = Trace.run(Narrator(system: system), holdListeners: deadlock)
    var diffs = Conformance.differences(
      model: trace, observedEvents: observation.events.map(record),
      observedCalls: observation.calls.map(record), system: system,
      deadlock: deadlock, observedFiles: observation.finalFiles)
    var blocked: [Conformance.BlockedRow] = []
    if deadlock {
      blocked = Conformance.blockedRows(
        model: trace, system: system, taskSleepsIn: observation.taskSleepsIn,
        listenerSleepsIn: observation.listenerSleepsIn)
      for r in blocked where !r.agrees {
        diffs.append(
          "\(r.name): model sleeps in \(r.model ?? "nothing (not blocked)"); kernel in "
            + (r.kernel.map { $0.joined(separator: " < ") } ?? "nothing (not blocked)"))
      }
      if observation.unrecovered > 0 {
        diffs.append("recovery: \(observation.unrecovered) blocked thread(s) not released")
      }
    }
    return LiveComparison(
      trace: trace, observation: observation, deadlock: deadlock, blocked: blocked,
      differences: diffs)
  }

  /// The model's "sleeps in" column beside the live stacks (innermost frames), then what the
  /// probe's recovery did.
  static func printBlocked(_ rows: [Conformance.BlockedRow], _ o: ProbeObservation) {
    guard !rows.isEmpty else {
      print("           no task blocked, in the model or the kernel")
      return
    }
    let header = ("task", "model sleeps in", "kernel sleeps in (/proc/PID/stack, innermost first)")
    let lines = rows.map { r in
      (r.name, r.model ?? "-", r.kernel.map { $0.prefix(6).joined(separator: " < ") } ?? "-")
    }
    let w0 = ([header] + lines).map(\.0.count).max()!
    let w1 = ([header] + lines).map(\.1.count).max()!
    for l in [header] + lines {
      print(
        "           " + l.0.padding(toLength: w0, withPad: " ", startingAt: 0) + "  "
          + l.1.padding(toLength: w1, withPad: " ", startingAt: 0) + "  " + l.2)
    }
    for n in o.notes where n.hasPrefix("recovery:") { print("           \(n)") }
  }

  static func record(_ e: ProbeEvent) -> EventRecord {
    EventRecord(
      group: e.group, mask: e.mask, range: e.range, task: e.task, instruction: e.instruction,
      response: e.response, responseError: e.responseError, fdError: e.fdError)
  }

  static func record(_ c: ProbeCall) -> CallRecord {
    let outcome: CallRecord.Outcome
    switch c.status {
    case .returned(let r): outcome = .returned(r)
    case .killed(let signal): outcome = .killed(signal: signal)
    case .blocked: outcome = .blocked
    case .notRun: outcome = .notRun
    }
    return CallRecord(task: c.task, instruction: c.instruction, outcome: outcome)
  }
}
