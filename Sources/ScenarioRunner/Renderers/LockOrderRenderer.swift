import Exploration
import Foundation
import KernelModel

/// Lock-order reports (`fanmc lockdep`) as text and JSON.
extension LockOrderReport {
  /// A lock as reports name it: `i_rwsem(data)`, `answer(hsm)`.
  func name(_ n: Node) -> String {
    switch n {
    case .lock(let l): return Narrator(system: system).lockText(l)
    case .answer(let g): return "answer(\(system.config.groups[g].name))"
    }
  }

  /// One line saying what the edge's task does.
  func sentence(_ e: Edge) -> String {
    let how = e.shared ? " (shared)" : ""
    let wait =
      e.to.isAnswer
      ? "waits in \(e.function) for \(name(e.to))" : "takes \(name(e.to))\(how) in \(e.function)"
    return "\(system.taskName(e.task)) holds \(name(e.from)) and \(wait)"
  }

  /// Why a cycle may not close on its own: every acquisition of an rwsem in it is shared (a
  /// writer must wait in between), or an answer it waits for has several workers.
  func caveats(_ cycle: [Edge]) -> [String] {
    var out: [String] = []
    for lock in Set(cycle.map(\.to)).sorted() {
      let into = cycle.filter { $0.to == lock }
      if case .lock(let l) = lock, into.allSatisfy(\.shared) {
        let writer = l == .sb_writers ? "a freeze (freeze_super)" : "a writer"
        out.append(
          "\(name(lock)) is taken shared: the cycle closes only while \(writer) waits for it")
      }
      if case .answer(let g) = lock, system.listenerTasks(ofGroup: g).count > 1 {
        out.append(
          "\(name(lock)) has \(system.listenerTasks(ofGroup: g).count) listener threads: the "
            + "cycle closes only when every one is inside it")
      }
    }
    return out
  }
}

extension TextRenderer {
  /// The text of `fanmc lockdep`.
  public static func render(_ r: LockOrderReport) -> String {
    let path = r.scenario.source.path
    var out = [
      "lock order of \(r.scenario.name) (profile \(r.scenario.config.profile.name)): "
        + "\(r.states) states\(r.complete ? "" : " (incomplete: hit the state bound)"), "
        + "\(r.edges.count) lock-order edges, \(r.cycles.count) cycles"
    ]
    let width = r.edges.map { "\(r.name($0.from)) → \(r.name($0.to))".count }.max() ?? 0
    for e in r.edges {
      out.append(
        "  " + "\(r.name(e.from)) → \(r.name(e.to))".rightPadded(to: width) + "  " + r.sentence(e))
    }
    for (i, cycle) in r.cycles.enumerated() {
      out.append("")
      out.append("======================================================")
      out.append(
        "WARNING: possible circular locking dependency #\(i + 1): "
          + (cycle.map { r.name($0.from) } + [r.name(cycle[0].from)]).joined(separator: " → "))
      out.append("------------------------------------------------------")
      for (k, e) in cycle.enumerated() {
        out.append("  #\(k) \(r.sentence(e))")
        out.append("     shown by: " + replayCommand(path: path, schedule: e.schedule))
      }
      for c in r.caveats(cycle) { out.append("  note: " + c) }
    }
    if r.cycles.isEmpty {
      out.append(
        r.complete
          ? "no cycle: no schedule can deadlock on these locks"
          : "no cycle among the states explored")
    }
    return out.joined(separator: "\n")
  }
}

extension JSONRenderer {
  struct LockOrderEdge: Codable {
    var from: String
    var to: String
    var shared: Bool
    var task: String
    var function: String
    var schedule: String
  }

  struct LockOrderOutput: Codable {
    var scenario: String
    var profile: String
    var states: Int
    var complete: Bool
    var edges: [LockOrderEdge]
    var cycles: [[LockOrderEdge]]
  }

  /// The JSON of `fanmc lockdep`.
  public static func render(_ r: LockOrderReport) -> String {
    func edge(_ e: LockOrderReport.Edge) -> LockOrderEdge {
      LockOrderEdge(
        from: r.name(e.from), to: r.name(e.to), shared: e.shared, task: r.system.taskName(e.task),
        function: e.function, schedule: e.schedule.description)
    }
    return encode(
      LockOrderOutput(
        scenario: r.scenario.name, profile: r.scenario.config.profile.name, states: r.states,
        complete: r.complete, edges: r.edges.map(edge), cycles: r.cycles.map { $0.map(edge) }))
  }
}
