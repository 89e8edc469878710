import Exploration
import KernelModel

/// Semantic fuzzing of the model (`fanmc fuzz` and `SemanticFuzzTests`): a random valid scenario
/// (`RandomScenario`) is explored with small bounds by every search, and must explore without a
/// trap, twice to the same counts and verdict, with every counterexample replaying to what it
/// claims, and with breadth-first search, depth-first search with and without sleep sets,
/// persistent sets and symmetry agreeing on the verdict, the violated properties, the known gaps
/// and the size bound whenever all of them finish, and with every minimized counterexample
/// showing its violation in no more steps than breadth-first search's.
public enum SemanticFuzz {
  /// The small bounds every search runs under.
  static func bounded(_ change: (inout ExplorationConfig) -> Void = { _ in }) -> ExplorationConfig {
    var config = ExplorationConfig()
    config.maxStates = 2000
    config.timeLimitSeconds = 30
    change(&config)
    return config
  }

  /// The searches that must agree; the first is the reference.
  static let searches: [(name: String, config: ExplorationConfig)] = [
    ("dfs+sleep", bounded()),
    ("bfs", bounded { $0.strategy = .bfs }),
    ("dfs", bounded { $0.sleepSets = false }),
    ("persistent", bounded { $0.persistentSets = true }),
    ("symmetry", bounded { $0.symmetry = true }),
  ]

  /// What is wrong with `scenario`'s exploration (empty when nothing is), and whether every
  /// search finished.
  public static func check(_ scenario: Scenario) -> (problems: [String], allComplete: Bool) {
    var problems: [String] = []
    var reports: [(name: String, report: RunReport)] = []
    for (name, config) in searches {
      do {
        reports.append((name, try ScenarioRun.run(scenario, exploration: config)))
      } catch {
        problems.append("\(name): \(error)")
      }
    }
    guard problems.isEmpty else { return (problems, false) }
    // Determinism: the reference search again, to the same counts and counterexamples.
    // A search stopped by the clock may stop anywhere: only the other bounds are deterministic.
    if let again = try? ScenarioRun.run(scenario, exploration: searches[0].config),
      again.result.incomplete != .time, reports[0].report.result.incomplete != .time
    {
      let first = reports[0].report
      if again.result.stats.states != first.result.stats.states
        || again.result.stats.transitions != first.result.stats.transitions
        || again.verdict != first.verdict
        || again.violations.map({ $0.path?.schedule.description })
          != first.violations.map({ $0.path?.schedule.description })
      {
        problems.append(
          "nondeterministic: \(first.result.stats.states)/\(first.verdict) then "
            + "\(again.result.stats.states)/\(again.verdict)")
      }
    }
    // Every counterexample replays to what it claims.
    for (name, report) in reports {
      for v in report.violations {
        guard let path = v.path else { continue }
        do {
          _ = try report.system.replay(path.schedule)
          let outcome = try ReplayOutcome.replay(scenario, schedule: path.schedule)
          if v.kind == .deadlock
            ? outcome.deadlock == nil : !outcome.violated.contains(v.propertyID)
          {
            problems.append("\(name): \(v.propertyID) at \(path.schedule) does not replay to it")
          }
        } catch {
          problems.append("\(name): \(v.propertyID) at \(path.schedule): \(error)")
        }
      }
    }
    // Every search agrees when all finished (on which gaps, not the order each search met them).
    let allComplete = reports.allSatisfy { $0.report.isComplete }
    if allComplete {
      // Minimized counterexamples show their violation (in the scenario without their lines)
      // and are no longer than breadth-first search's.
      let (first, bfs) = (reports[0].report, reports[1].report)
      for (key, m) in Counterexample.minimize(first) {
        let id = key == Violation<KernelStep>.deadlockID ? (first.deadlockKind ?? "I5") : key
        if !Counterexample.shows(m, id) {
          problems.append(
            "minimized \(id) at \(m.schedule) (without \(m.without)) does not show it")
        }
        // (A deadlock of another kind may be nearer: compare deadlocks of the same kind only.)
        if let v = bfs.violations.first(where: { Counterexample.matches($0, id) }),
          let shortest = v.path, v.kind != .deadlock || bfs.deadlockKind == id,
          m.steps > shortest.transitions.count
        {
          problems.append(
            "minimized \(id) has \(m.steps) steps, breadth-first search's \(shortest.transitions.count)"
          )
        }
      }
      let reference = reports[0]
      func summary(_ r: RunReport) -> String {
        "\(r.verdict.rawValue) \(r.result.violatedPropertyIDs) gaps \(r.gaps.map(\.propertyID).sorted())"
      }
      for (name, report) in reports.dropFirst() where summary(report) != summary(reference.report) {
        problems.append(
          "\(name) says \(summary(report)), \(reference.name) says \(summary(reference.report))")
      }
    } else {
      // Unfinished searches may disagree on what they reached, never on finished size bounds.
      let finished = reports.filter { $0.report.result.isComplete }
      if let first = finished.first {
        for (name, r) in finished
        where (r.sizeBound == nil) != (first.report.sizeBound == nil)
          || r.result.violatedPropertyIDs != first.report.result.violatedPropertyIDs
        {
          problems.append(
            "\(name) and \(first.name) finish with different findings: "
              + "\(r.result.violatedPropertyIDs) vs \(first.report.result.violatedPropertyIDs)")
        }
      }
    }
    return (problems, allComplete)
  }
}
