import Exploration
import KernelModel

/// The counterexample of one property that is shown to a reader (`explain --violation`, `view`,
/// `run --format chart`): a shortest path, found breadth-first.
public enum Counterexample {
  /// What was found for property `id`, or nil with the ids that were found instead.
  public struct Found: Sendable {
    public var schedule: Schedule
    public var title: String
  }

  /// Whether violation `v` is a counterexample of `id`: its property, or any deadlock for `I5`,
  /// `I9` and `deadlock`.
  public static func matches(_ v: Violation<KernelStep>, _ id: String) -> Bool {
    v.propertyID == id || (v.kind == .deadlock && ["I5", "I9", "deadlock"].contains(id))
  }

  /// The shortest counterexample of `id` in `scenario`; `.failure` lists the ids found instead.
  public static func find(_ id: String, in scenario: Scenario) throws(RunError)
    -> Result<Found, NotFound>
  {
    var bfs = ExplorationConfig()
    bfs.strategy = .bfs
    let report = try ScenarioRun.run(scenario, exploration: bfs)
    guard let path = report.violations.first(where: { matches($0, id) })?.path else {
      return .failure(NotFound(id: id, scenario: scenario.name, found: report.foundIDs))
    }
    return .success(Found(schedule: path.schedule, title: "The shortest counterexample of \(id)"))
  }

  /// No counterexample of `id`.
  public struct NotFound: Error, Sendable, CustomStringConvertible {
    public var id: String
    public var scenario: String
    public var found: [String]
    public var description: String {
      "no counterexample of \(id) in \(scenario) (found: "
        + (found.isEmpty ? "none" : found.joined(separator: ", ")) + ")"
    }
  }
}
