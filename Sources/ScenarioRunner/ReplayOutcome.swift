import Exploration
import KernelModel

/// What one replayed schedule reaches: its narrated steps, the properties violated along it,
/// and a deadlock at its end.
public struct ReplayOutcome: Sendable {
  public var scenario: Scenario
  public var schedule: Schedule
  public var steps: [Narrator.Line]
  /// Ids of `always`/`never` properties violated in some state of the path, in property order.
  public var violated: [String]
  /// Known gaps reached on the path.
  public var gaps: [String]
  /// The lockdep-shaped explanation when the path ends with no enabled step and tasks unfinished.
  public var deadlock: String?
  public var finalFingerprint: Fingerprint

  /// Re-executes `schedule`; throws when a choice is not enabled.
  public static func replay(_ scenario: Scenario, schedule: Schedule) throws -> ReplayOutcome {
    let system = try ScenarioRun.makeSystem(scenario)
    let replay = try system.replay(schedule)
    let narrator = Narrator(system: system)
    let violated = system.violatedProperties(along: replay.states)
    let gaps = system.properties.filter { p in
      KernelSystem.gapPropertyIDs.contains(p.id) && replay.states.contains { p.isReported(in: $0) }
    }.map(\.id)
    let final = replay.finalState
    var deadlock: String?
    if system.transitions(from: final).isEmpty && !system.unfinishedTasks(in: final).isEmpty {
      deadlock = DeadlockReport(narrator: narrator).render(final)
    }
    return ReplayOutcome(
      scenario: scenario, schedule: schedule, steps: narrator.narrate(replay), violated: violated,
      gaps: gaps, deadlock: deadlock, finalFingerprint: system.fingerprint(of: final))
  }

  public func text() -> String {
    var out = ["replay of \(scenario.name), schedule \(schedule):"]
    let w = steps.map(\.task.count).max() ?? 0
    for (i, s) in steps.enumerated() {
      let n = "\(i + 1)".leftPadded(to: String(steps.count).count, with: " ")
      out.append("  \(n)  \(s.task.rightPadded(to: w))  \(s.description)")
      var detail = s.kernelFunction
      if !s.locksHeld.isEmpty { detail += "  [holds \(s.locksHeld.joined(separator: ", "))]" }
      out.append(
        "  \(String(repeating: " ", count: n.count))  \("".rightPadded(to: w))    \(detail)")
    }
    if let d = deadlock {
      out.append("")
      out.append(d)
    }
    var end = "reaches: "
    var parts: [String] = violated.map { "violation \($0)" }
    if deadlock != nil { parts.append("deadlock") }
    parts += gaps.map { "known gap \($0)" }
    end += parts.isEmpty ? "nothing (no violation on this path)" : parts.joined(separator: ", ")
    out.append(end)
    return out.joined(separator: "\n")
  }

  struct JSONOutput: Codable {
    var scenario: String
    var schedule: String
    var violations: [String]
    var gaps: [String]
    var deadlock: String?
    var steps: [JSONRenderer.Step]
  }

  public func json() -> String {
    JSONRenderer.encode(
      JSONOutput(
        scenario: scenario.name, schedule: schedule.description, violations: violated, gaps: gaps,
        deadlock: deadlock,
        steps: steps.map {
          JSONRenderer.Step(
            task: $0.task, kernelFunction: $0.kernelFunction, description: $0.description,
            locksHeld: $0.locksHeld)
        }))
  }
}
