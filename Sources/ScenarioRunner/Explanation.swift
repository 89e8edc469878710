import Exploration
import KernelModel

/// `fanmc explain`: the deterministic schedule narrated step by step for teaching — each step's
/// kernel function, the locks its task holds, the events queued and answered, and the page
/// states whenever they change.
public enum Explanation {
  public static func render(_ scenario: Scenario, system: KernelSystem) -> String {
    let narrator = Narrator(system: system)
    let trace = Trace.run(narrator)
    var out: [String] = []
    out.append("\(scenario.name) (profile \(system.config.profile.name)): \(scenario.question)")
    out.append("The deterministic schedule \(trace.schedule), step by step.")
    out.append("")
    guard let replay = try? system.replay(trace.schedule) else {
      return out.joined(separator: "\n") + "\n(internal error: the trace does not replay)"
    }
    let initial = replay.states[0]
    out.append("setup:")
    for (f, spec) in system.config.files.enumerated() {
      out.append("  " + pagesText(spec.name, initial.inodes[f]))
    }
    for m in initial.marks { out.append("  " + narrator.markText(m)) }
    for g in system.config.groups {
      let listener = g.listener.map { "listener \($0.name): \($0.summary)" } ?? "no listener"
      out.append("  group \(g.name): \(g.groupClass.rawValue), \(listener)")
    }
    out.append("")
    let number = String(trace.steps.count).count
    let taskWidth = (0..<system.taskCount).map { system.taskName($0).count }.max() ?? 0
    let indent = String(repeating: " ", count: number + taskWidth + 6)
    for (i, line) in trace.steps.enumerated() {
      let n = String(i + 1).leftPadded(to: number, with: " ")
      out.append("  \(n)  \(line.task.rightPadded(to: taskWidth))  \(line.description)")
      var detail = line.kernelFunction
      if !line.locksHeld.isEmpty { detail += "  [holds \(line.locksHeld.joined(separator: ", "))]" }
      out.append(indent + detail)
      let before = replay.states[i]
      let after = replay.states[i + 1]
      for (f, spec) in system.config.files.enumerated()
      where !samePages(before.inodes[f], after.inodes[f]) {
        out.append(indent + "→ " + pagesText(spec.name, after.inodes[f]))
      }
    }
    out.append("")
    out.append("outcome: \(trace.outcome)")
    if !trace.finished {
      out.append("")
      out.append(DeadlockReport(narrator: narrator).render(trace.finalState))
    }
    return out.joined(separator: "\n")
  }

  static func samePages(_ a: InodeState, _ b: InodeState) -> Bool {
    a.size == b.size && a.content == b.content && a.cache == b.cache
  }

  /// `data: i_size 8192, pages filled remote, cache filled -`.
  static func pagesText(_ name: String, _ inode: InodeState) -> String {
    let pages = inode.content.map(\.rawValue).joined(separator: " ")
    let cache = inode.cache.map { $0?.rawValue ?? "-" }.joined(separator: " ")
    return "\(name): i_size \(inode.size), pages \(pages), cache \(cache)"
  }
}
