import Exploration
import Foundation
import KernelModel

/// Renders reports as JSON with stable field names (documented in the README).
public enum JSONRenderer {
  struct Step: Codable {
    var task: String
    var kernelFunction: String
    var description: String
    var locksHeld: [String]
  }

  struct Finding: Codable {
    var property: String
    var kind: String
    var schedule: String
    var replay: String
    var steps: [Step]
    var explanation: String?
    /// Minimization: the scenario lines left out, and the path as the search found it.
    var without: [Int]? = nil
    var leftOut: [String]? = nil
    var contextSwitches: Int? = nil
    var foundSteps: Int? = nil
    var foundContextSwitches: Int? = nil
  }

  struct Stats: Codable {
    var walks: Int
    var seeds: [UInt64]
    var omissionProbability: Double?
    var states: Int
    var transitions: Int
    var maxDepth: Int
    var seconds: Double
    var statesPerSecond: Double
    var peakMemoryBytes: Int
  }

  struct PropertyStatus: Codable {
    var id: String
    var summary: String
    var status: String
  }

  struct Run: Codable {
    var scenario: String
    var file: String
    var question: String
    var profile: String
    var strategy: String
    var verdict: String
    var complete: Bool
    var bound: String?
    var expectationsMet: Bool
    var expectationProblems: [String]
    var properties: [PropertyStatus]
    var stats: Stats
    var violations: [Finding]
    var gaps: [Finding]
    /// Witnesses of the scenario's `assert sometimes` properties.
    var witnesses: [Finding]
  }

  static func steps(_ path: Path<KernelStep>, _ narrator: Narrator) -> [Step] {
    steps(path.schedule, narrator)
  }

  static func steps(_ schedule: Schedule, _ narrator: Narrator) -> [Step] {
    guard let replay = try? narrator.system.replay(schedule) else { return [] }
    return narrator.narrate(replay).map {
      Step(
        task: $0.task, kernelFunction: $0.kernelFunction, description: $0.description,
        locksHeld: $0.locksHeld)
    }
  }

  static func run(_ report: RunReport) -> Run {
    let narrator = Narrator(system: report.system)
    let path = report.scenario.source.path
    let stats = report.result.stats
    let violated = Set(report.violations.map(\.propertyID))
    let reached = Set((report.gaps + report.witnesses).map(\.propertyID))
    var properties: [PropertyStatus] = report.system.properties.filter {
      $0.id != KernelSystem.sizeBoundID
    }.map { p in
      let status: String
      if KernelSystem.gapPropertyIDs.contains(p.id) {
        status = reached.contains(p.id) ? "reached" : "not-reached"
      } else if reached.contains(p.id) {
        status = "reached"
      } else {
        status =
          violated.contains(p.id) ? "violated" : report.isComplete ? "holds" : "unknown"
      }
      return PropertyStatus(id: p.id, summary: p.summary, status: status)
    }
    func finding(_ w: Witness<KernelStep>, _ kind: String) -> Finding {
      Finding(
        property: w.propertyID, kind: kind, schedule: w.path.schedule.description,
        replay: TextRenderer.replayCommand(path: path, schedule: w.path.schedule),
        steps: steps(w.path, narrator), explanation: nil)
    }
    for (id, summary) in KernelSystem.deadlockKinds {
      properties.append(
        PropertyStatus(
          id: id, summary: summary,
          status: report.deadlockKind == id
            ? "violated" : report.isComplete ? "holds" : "unknown"))
    }
    return Run(
      scenario: report.scenario.name, file: path, question: report.scenario.question,
      profile: report.scenario.config.profile.name,
      strategy: report.exploration.strategy.rawValue, verdict: report.verdict.rawValue,
      complete: report.isComplete, bound: report.boundName,
      expectationsMet: report.expectationsMet, expectationProblems: report.expectationProblems,
      properties: properties,
      stats: Stats(
        walks: stats.walks, seeds: stats.seeds,
        omissionProbability: report.result.omissionProbability, states: stats.states,
        transitions: stats.transitions, maxDepth: stats.maxDepth,
        seconds: stats.seconds, statesPerSecond: stats.statesPerSecond,
        peakMemoryBytes: stats.peakMemoryBytes),
      violations: report.violations.compactMap { v in
        guard let m = report.counterexample(for: v) else { return nil }
        let narrator = Narrator(system: m.system)
        var explanation: String?
        if v.kind == .deadlock, let replay = try? m.system.replay(m.schedule) {
          explanation = DeadlockReport(narrator: narrator).render(replay.finalState)
        }
        var f = Finding(
          property: v.kind == .deadlock ? (report.deadlockKind ?? v.propertyID) : v.propertyID,
          kind: v.kind.rawValue, schedule: m.schedule.description,
          replay: TextRenderer.replayCommand(path: path, schedule: m.schedule, without: m.without),
          steps: steps(m.schedule, narrator), explanation: explanation)
        if let (steps, switches) = m.original {
          f.without = m.without
          f.leftOut = m.leftOut
          f.contextSwitches = m.switches
          f.foundSteps = steps
          f.foundContextSwitches = switches
        }
        return f
      },
      gaps: report.gaps.map { finding($0, "gap") },
      witnesses: report.witnesses.map { finding($0, "witness") })
  }

  /// The JSON of `fanmc run` for one scenario: one object.
  public static func render(_ report: RunReport) -> String {
    encode(run(report))
  }

  /// The JSON of `fanmc run` or `check` for several scenarios: an array of runs.
  public static func render(_ reports: [RunReport]) -> String {
    encode(reports.map(run))
  }

  struct TraceEvent: Codable {
    struct Range: Codable {
      var offset: Int
      var count: Int
    }
    var mask: String
    var range: Range?
    var task: String
    var syscall: String
    var group: String
    var response: String?
    var responseError: String?
  }

  struct TraceCall: Codable {
    var task: String
    var syscall: String
    var result: Int
    var errno: String?
  }

  struct TraceOutput: Codable {
    var scenario: String
    var profile: String
    var schedule: String
    var outcome: String
    var finished: Bool
    var events: [TraceEvent]
    var syscalls: [TraceCall]
    var steps: [Step]
  }

  /// The JSON of `fanmc trace`.
  public static func render(_ trace: Trace, scenario: Scenario) -> String {
    let calls: [TraceCall] = trace.entries.compactMap {
      guard case .call(let c) = $0 else { return nil }
      switch c.result {
      case .value(let v): return TraceCall(task: c.task, syscall: c.syscall, result: v, errno: nil)
      case .error(let e):
        return TraceCall(task: c.task, syscall: c.syscall, result: -1, errno: e.name)
      }
    }
    return encode(
      TraceOutput(
        scenario: scenario.name, profile: scenario.config.profile.name,
        schedule: trace.schedule.description, outcome: trace.outcome, finished: trace.finished,
        events: trace.events.map {
          TraceEvent(
            mask: $0.mask, range: $0.range.map { .init(offset: $0.offset, count: $0.count) },
            task: $0.task, syscall: $0.syscall, group: $0.group, response: $0.response,
            responseError: $0.responseError)
        },
        syscalls: calls,
        steps: trace.steps.map {
          Step(
            task: $0.task, kernelFunction: $0.kernelFunction, description: $0.description,
            locksHeld: $0.locksHeld)
        }))
  }

  static func encode<T: Encodable>(_ value: T) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    guard let data = try? encoder.encode(value) else { return "{}" }
    return String(decoding: data, as: UTF8.self)
  }
}
