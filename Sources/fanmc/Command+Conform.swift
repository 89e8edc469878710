import Foundation
import KernelModel
import KernelProbe
import ScenarioRunner

/// `fanmc conform PATH…`: run each scenario's deterministic schedule on the live kernel and
/// compare it with the 6.18 model's trace.
extension Command {
  static func conform(_ args: Arguments) throws -> ExitStatus {
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
      let system = try ScenarioRun.makeSystem(scenario)
      let observation: ProbeObservation
      do {
        observation = try KernelProbe.run(scenario.config, opTimeoutSeconds: timeout)
      } catch {
        skipped += 1
        print("SKIP     \(shown)  \(error.message)")
        continue
      }
      let trace = Trace.run(Narrator(system: system))
      let diffs = Conformance.differences(
        model: trace, observedEvents: observation.events.map(record),
        observedCalls: observation.calls.map(record), system: system)
      if diffs.isEmpty {
        agree += 1
        print(
          "ok       \(shown)  \(trace.eventRecords.count) events, "
            + "\(trace.callRecords.count) calls agree")
      } else {
        differ += 1
        print("DIFF     \(shown)")
        for d in diffs { print("           \(d)") }
        for n in observation.notes { print("           note: \(n)") }
      }
    }
    print(
      "\(files.count) scenarios: \(agree) agree, \(differ) differ, \(skipped) skipped"
        + (invalid > 0 ? ", \(invalid) invalid" : ""))
    if invalid > 0 { return .invalidScenario }
    if differ > 0 { return .expectationNotMet }
    return skipped > 0 ? .incomplete : .ok
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
