import Exploration
import KernelModel

/// What exploring one scenario found, judged against its expectations.
public struct RunReport: Sendable {
  public var scenario: Scenario
  public var system: KernelSystem
  public var exploration: ExplorationConfig
  public var result: ExplorationResult<KernelStep>
  /// Violations and deadlocks, in the order found.
  public var violations: [Violation<KernelStep>]
  /// Known gaps reached, with a witness path each.
  public var gaps: [Witness<KernelStep>]
  /// The scenario's `assert sometimes` properties that hold somewhere, with a witness each.
  public var witnesses: [Witness<KernelStep>] = []
  /// A path on which a file would grow past its `max` (the model's bound), if one was found.
  public var sizeBound: Witness<KernelStep>?
  /// For a deadlock: `I5` when its wait-for graph has a cycle, `I9` when it is a hang.
  public var deadlockKind: String?
  public var verdict: Verdict
  /// Why the expectations are not met; empty when they are.
  public var expectationProblems: [String]
  /// Readable counterexamples (`Counterexample.minimize`), by violated property id; a violation
  /// without one is shown as found.
  public var minimized: [String: Counterexample.Minimized] = [:]

  /// The counterexample shown for `v`: minimized when there is one, else as found.
  public func counterexample(for v: Violation<KernelStep>) -> Counterexample.Minimized? {
    if let m = minimized[v.propertyID] { return m }
    guard let path = v.path else { return nil }
    return Counterexample.Minimized(
      scenario: scenario, system: system, without: [], schedule: path.schedule, original: nil)
  }

  public var expectationsMet: Bool { expectationProblems.isEmpty }

  /// The search enumerated every state and no file hit its bound.
  public var isComplete: Bool { result.isComplete && sizeBound == nil }

  /// Which bound ended the run early: the explorer's (`states`, `depth`, …), or `file-size`
  /// when a file would have grown past its `max`.
  public var boundName: String? {
    result.incomplete?.rawValue ?? (sizeBound == nil ? nil : "file-size")
  }

  /// The ids found, in the order found, with a deadlock shown as its kind (I5 or I9).
  public var foundIDs: [String] {
    violations.map { $0.kind == .deadlock ? (deadlockKind ?? $0.propertyID) : $0.propertyID }
  }
}

/// The summary of an exploration, regardless of expectations.
public enum Verdict: String, Sendable, Hashable {
  /// Exhaustive, and nothing was found.
  case noViolation = "no-violation"
  /// An invariant was violated.
  case violation
  /// A deadlock (or a task blocked forever) was found.
  case deadlock
  /// A bound was hit before the search finished, and nothing was found.
  case incomplete
}

/// Runs scenarios through the explorer and judges them.
public enum ScenarioRun {
  /// Explores `scenario` and judges its expectations.
  public static func run(_ scenario: Scenario, exploration: ExplorationConfig = ExplorationConfig())
    throws(RunError) -> RunReport
  {
    let system = try makeSystem(scenario)
    let result: ExplorationResult<KernelStep>
    do { result = try Explorer(system: system, config: exploration).run() } catch {
      throw RunError.internal(error.description)
    }
    // Sometimes-properties (the known gaps, the size bound) report "never reached" as a
    // violation: neither is one.
    var violations = result.violations.filter {
      !KernelSystem.reachabilityIDs.contains($0.propertyID)
    }
    // `assert eventually … within K`: its own bounded search, on complete runs only.
    if result.isComplete { violations += system.eventuallyViolations() }
    let gaps = result.witnesses.filter { KernelSystem.gapPropertyIDs.contains($0.propertyID) }
    let asserted = Set(scenario.config.assertions.map(\.id))
    let witnesses = result.witnesses.filter { asserted.contains($0.propertyID) }
    let sizeBound = result.witnesses.first { $0.propertyID == KernelSystem.sizeBoundID }
    let verdict: Verdict
    if violations.contains(where: { $0.kind != .deadlock }) {
      verdict = .violation
    } else if !violations.isEmpty {
      verdict = .deadlock
    } else if !result.isComplete || sizeBound != nil {
      verdict = .incomplete
    } else {
      verdict = .noViolation
    }
    var deadlockKind: String?
    if let d = violations.first(where: { $0.kind == .deadlock }), let path = d.path,
      let replay = try? system.replay(path.schedule)
    {
      let cycle = DeadlockReport(narrator: Narrator(system: system)).hasCycle(replay.finalState)
      deadlockKind = cycle ? "I5" : "I9"
    }
    var problems: [String] = []
    if result.incomplete == .interrupted {
      problems.append("exploration incomplete: interrupted (SIGINT)")
    } else if let bound = result.incomplete {
      problems.append("exploration incomplete: hit the \(bound.rawValue) bound")
    } else if sizeBound != nil {
      problems.append(
        "exploration incomplete: hit the file-size bound (a file would grow past its max)")
    } else {
      // A deadlock counts as `deadlock` and as its kind (I5 or I9); `expect deadlock` accepts
      // either kind.
      let deadlock = Violation<KernelStep>.deadlockID
      let kinds: Set<String> = ["I5", "I9"]
      var found = Set(violations.map(\.propertyID))
      if let kind = deadlockKind { found.insert(kind) }
      let expected = scenario.expectations.violations
      func isExpected(_ id: String) -> Bool {
        if expected.contains(id) { return true }
        if id == deadlock { return !expected.intersection(kinds).isEmpty }
        return kinds.contains(id) && expected.contains(deadlock)
      }
      for id in expected.sorted() where !found.contains(id) {
        problems.append("expected \(id == deadlock ? "a deadlock" : "violation \(id)"), found none")
      }
      for id in found.sorted() where !isExpected(id) && id != deadlock {
        problems.append(
          kinds.contains(id) ? "unexpected deadlock (\(id))" : "unexpected violation \(id)")
      }
      problems += eventProblems(scenario, system: system)
      if let wanted = scenario.expectations.lockCycle {
        let cycles = try LockOrder.analyze(scenario).cycles
        if wanted && cycles.isEmpty {
          problems.append("expected a lock-order cycle, found none")
        } else if !wanted, let c = cycles.first {
          problems.append(
            "unexpected lock-order cycle through \(c.count) lock(s) (see fanmc lockdep)")
        }
      }
      let reached = Set(gaps.map(\.propertyID))
      for id in scenario.expectations.gaps.subtracting(reached).sorted() {
        problems.append("expected known gap \(id), not reached")
      }
      for id in reached.subtracting(scenario.expectations.gaps).sorted() {
        problems.append("unexpected known gap \(id) (add 'expect gap \(id)' if intended)")
      }
    }
    return RunReport(
      scenario: scenario, system: system, exploration: exploration, result: result,
      violations: violations, gaps: gaps, witnesses: witnesses, sizeBound: sizeBound,
      deadlockKind: deadlockKind, verdict: verdict, expectationProblems: problems)
  }

  /// Differences between the deterministic trace's events and the scenario's `expect event`s.
  static func eventProblems(_ scenario: Scenario, system: KernelSystem) -> [String] {
    guard let expected = scenario.expectations.events else { return [] }
    let narrator = Narrator(system: system)
    let events = Trace.run(narrator).events
    func text(_ mask: String, _ range: EventRange?, _ response: String?) -> String {
      "\(mask)" + (range.map { " (\(narrator.rangeText($0)))" } ?? "") + " -> "
        + (response ?? "no answer")
    }
    var problems: [String] = []
    for i in 0..<max(expected.count, events.count) {
      let want = i < expected.count ? expected[i] : nil
      let got = i < events.count ? events[i] : nil
      let wantText = want.map {
        text(
          $0.mask.description, $0.range,
          $0.response.map(ResponseValidation.describe) ?? "notification")
      }
      let gotText = got.map {
        text(
          $0.mask, want?.range == nil ? nil : $0.range,
          $0.notification ? "notification" : $0.response)
      }
      if wantText != gotText {
        problems.append(
          "trace event \(i + 1): expected \(wantText ?? "no event"), got \(gotText ?? "no event")")
      }
    }
    return problems
  }

  /// The kernel system a scenario sets up.
  public static func makeSystem(_ scenario: Scenario) throws(RunError) -> KernelSystem {
    do { return try KernelSystem(config: scenario.config) } catch {
      throw RunError.internal(error.message)
    }
  }
}

/// A failure that is not the scenario's fault.
public enum RunError: Error, Hashable, Sendable, CustomStringConvertible {
  case `internal`(String)

  public var description: String {
    switch self {
    case .internal(let m): return "internal error: \(m)"
    }
  }
}
