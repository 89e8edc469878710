import Exploration
import KernelModel

/// `fanmc explain`: a schedule narrated step by step for teaching — each step's kernel
/// function, the locks its task holds once it is taken, the events queued and answered, and the
/// page states whenever they change. By default the deterministic schedule; any other path
/// (`--schedule`, a counterexample's with `--violation`) the same way.
public enum Explanation {
  /// The narration of `schedule` (nil: the deterministic schedule), which must replay.
  public static func render(
    _ scenario: Scenario, system: KernelSystem, schedule: Schedule? = nil, title: String? = nil
  ) throws(ReplayError) -> String {
    let narrator = Narrator(system: system)
    let trace = Trace.run(narrator)
    let path = schedule ?? trace.schedule
    var out: [String] = []
    out.append("\(scenario.name) (profile \(system.config.profile.name)): \(scenario.question)")
    out.append(
      (title ?? (schedule == nil ? "The deterministic schedule" : "The schedule"))
        + " \(path), step by step.")
    out.append("")
    let replay = try system.replay(path)
    let steps = narrator.narrate(replay)
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
    let number = String(steps.count).count
    let taskWidth = (0..<system.taskCount).map { system.taskName($0).count }.max() ?? 0
    let indent = String(repeating: " ", count: number + taskWidth + 6)
    for (i, line) in steps.enumerated() {
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
    let final = replay.finalState
    let unfinished = system.unfinishedTasks(in: final)
    if schedule == nil {
      out.append("outcome: \(trace.outcome)")
    } else if unfinished.isEmpty {
      out.append("outcome: finished")
    } else if system.transitions(from: final).isEmpty {
      out.append("outcome: blocked")
    } else {
      out.append(
        "outcome: the path ends here; "
          + unfinished.map { system.taskName($0) }.joined(separator: ", ") + " not finished")
    }
    let violated =
      system.properties.filter { p in
        p.kind != .sometimes && replay.states.contains { p.isReported(in: $0) }
      }.map(\.id)
      + system.config.assertions.filter {
        system.eventuallyFails($0, along: replay.states)
      }.map(\.id)
    if !violated.isEmpty {
      out.append("violated on this path: " + violated.joined(separator: ", "))
    }
    let blocked =
      schedule == nil
      ? !trace.finished : !unfinished.isEmpty && system.transitions(from: final).isEmpty
    if blocked {
      out.append("")
      out.append(DeadlockReport(narrator: narrator).render(final))
    }
    return out.joined(separator: "\n")
  }

  static func samePages(_ a: InodeState, _ b: InodeState) -> Bool {
    a.content == b.content && a.cached == b.cached
  }

  /// `data: i_size 8192, pages filled remote, cache filled -`. A page whose bytes differ lists
  /// its runs with offsets inside the page (`remote[0,100)+written[100,4096)`); a partial last
  /// page gives its length (`remote[0,1328)`).
  static func pagesText(_ name: String, _ inode: InodeState) -> String {
    let count = (inode.size + Fanotify.pageSize - 1) / Fanotify.pageSize
    let pages = (0..<count).map { pageText(inode.content, $0) }
    let cache = (0..<count).map { inode.cached[$0] ? pages[$0] : "-" }
    let pagesPart = pages.isEmpty ? "no pages" : "pages " + pages.joined(separator: " ")
    let cachePart = cache.isEmpty ? "" : ", cache " + cache.joined(separator: " ")
    return "\(name): i_size \(inode.size), \(pagesPart)\(cachePart)"
  }

  static func pageText(_ content: FileContent, _ p: Int) -> String {
    let base = p * Fanotify.pageSize
    let runs = content.runs(in: content.page(p))
    if runs.count == 1 && runs[0].range.count == Fanotify.pageSize {
      return runs[0].content.rawValue
    }
    return runs.map {
      "\($0.content.rawValue)[\($0.range.lowerBound - base),\($0.range.upperBound - base))"
    }.joined(separator: "+")
  }
}
