import Exploration
import KernelModel

/// Explains a state where tasks that must finish can no longer move, as one wait-for graph in
/// lockdep's shape.
///
/// Edges so far: a task waiting in `fanotify_get_response` waits for the listener of the group
/// that holds its event. A listener that is idle with the event unanswered ends the chain: its
/// model will never answer, so the chain is a hang rather than a cycle.
public struct DeadlockReport: Sendable {
  public let narrator: Narrator

  public init(narrator: Narrator) { self.narrator = narrator }

  /// One node's reason to wait.
  struct Wait {
    var task: Int
    var waitsFor: String
    var target: String
    var holding: [String]
  }

  /// The lockdep-shaped text for `state`.
  public func render(_ state: KernelState) -> String {
    let system = narrator.system
    var waits: [Wait] = []
    var chain: [String] = []
    var cycle = false
    for t in system.unfinishedTasks(in: state) {
      let ts = state.tasks[t]
      let name = system.taskName(t)
      guard let p = ts.pending else {
        waits.append(
          Wait(task: t, waitsFor: "nothing the model names", target: "?", holding: ts.held.names))
        continue
      }
      let group = narrator.groupName(p.group)
      let status: String
      switch p.status {
      case .queued: status = "queued, not yet read"
      case .reported(let fd): status = "read as event fd \(fd), unanswered"
      case .answered: status = "answered"
      }
      waits.append(
        Wait(
          task: t,
          waitsFor:
            "an answer from group \(group) to \(p.mask) (\(narrator.rangeText(p.range))): \(status)",
          target: group, holding: ts.held.names))
      chain.append("\(name) --> \(group)")
      if let waiter = system.listenerGroups.firstIndex(of: p.group),
        system.unfinishedTasks(in: state).contains(system.appTaskCount + waiter)
      {
        cycle = true
      }
    }
    var lines: [String] = []
    let headline = cycle ? "possible circular wait" : "tasks blocked forever"
    lines.append("======================================================")
    lines.append("WARNING: \(headline)")
    lines.append("------------------------------------------------------")
    for w in waits {
      let name = system.taskName(w.task)
      lines.append("\(name) is blocked in fanotify_get_response, waiting for:")
      lines.append("  \(w.waitsFor)")
      lines.append(
        "  while holding: \(w.holding.isEmpty ? "no lock" : w.holding.joined(separator: ", "))")
    }
    for (i, g) in system.listenerGroups.enumerated() {
      let listener = system.config.groups[g].listener!
      let waitedOn = waits.contains { $0.target == narrator.groupName(g) }
      guard waitedOn else { continue }
      switch state.listeners[g] {
      case .idle:
        lines.append(
          "\(system.taskName(system.appTaskCount + i)) (listener \(listener.name)) is idle: "
            + "its model will not answer the event it holds")
      case .handling:
        lines.append(
          "\(system.taskName(system.appTaskCount + i)) (listener \(listener.name)) is blocked")
      }
    }
    for g in system.config.groups.indices where system.config.groups[g].listener == nil {
      if waits.contains(where: { $0.target == narrator.groupName(g) }) {
        lines.append("group \(narrator.groupName(g)) has no listener: nobody reads its events")
      }
    }
    lines.append("")
    lines.append("wait-for chain:")
    for c in chain { lines.append("  \(c)") }
    lines.append("")
    lines.append(cycle ? "*** DEADLOCK ***" : "*** HANG: nobody will ever answer ***")
    return lines.joined(separator: "\n")
  }
}
