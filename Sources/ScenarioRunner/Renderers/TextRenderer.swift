import Exploration
import KernelModel

/// Renders reports as text for people.
public enum TextRenderer {
  /// Width of one task column in counterexamples.
  static let columnWidth = 46

  /// The command that replays `schedule` of the scenario at `path`.
  public static func replayCommand(path: String, schedule: Schedule) -> String {
    "fanmc replay \(path) --schedule \(schedule)"
  }

  /// The strategy, with the reductions and threads a run used when they are not the defaults
  /// (sleep sets, one thread): `dfs`, `dfs with persistent sets, symmetry`, `dfs on 2 threads`.
  static func searchDescription(_ c: ExplorationConfig) -> String {
    var text = c.strategy.rawValue
    var reductions: [String] = []
    if c.persistentSets { reductions.append("persistent sets") }
    if c.symmetry { reductions.append("symmetry") }
    if !c.sleepSets && reductions.isEmpty && c.strategy == .dfs && c.workers == 1 {
      reductions.append("no reduction")
    }
    if !reductions.isEmpty { text += " with " + reductions.joined(separator: ", ") }
    if c.workers > 1 { text += " on \(c.workers) threads" }
    return text
  }

  /// The full report of `fanmc run`.
  public static func render(_ report: RunReport) -> String {
    let s = report.scenario
    let stats = report.result.stats
    var out: [String] = []
    out.append("\(s.name): \(s.question)")
    out.append(
      "profile \(s.config.profile.name) · \(searchDescription(report.exploration)) · "
        + "\(stats.states) states · \(stats.transitions) transitions · depth \(stats.maxDepth) · "
        + formatSeconds(stats.seconds))
    for line in propertyLines(report) { out.append("  " + line) }
    let found = report.foundIDs
    var verdict = "verdict: \(report.verdict.rawValue)"
    if !found.isEmpty { verdict += " (\(found.joined(separator: ", ")))" }
    if report.result.incomplete == .sampling {
      verdict +=
        " — random walks (seeds \(report.result.stats.seeds.map(String.init).joined(separator: ", "))) are not exhaustive"
    } else if let bound = report.boundName {
      verdict +=
        bound == "interrupted"
        ? " — interrupted (SIGINT): what was explored up to then"
        : " — hit the \(bound) bound"
    }
    if let p = report.result.omissionProbability {
      verdict += " — storage not exact: probability of having missed states ≈ \(p)"
    }
    out.append(verdict)
    out.append(
      "expectations: "
        + (report.expectationsMet
          ? "met" : "NOT met: " + report.expectationProblems.joined(separator: "; ")))
    let narrator = Narrator(system: report.system)
    for v in report.violations {
      guard let path = v.path else {
        out.append("")
        out.append(
          "\(v.propertyID) violated: \(summary(of: v.propertyID, in: report)) — no reachable "
            + "state satisfies it (all \(stats.states) explored)")
        continue
      }
      out.append("")
      let what =
        v.kind == .deadlock
        ? "\(report.deadlockKind ?? "I5") violated: deadlock"
        : "\(v.propertyID) violated: \(summary(of: v.propertyID, in: report))"
      out.append("\(what) — counterexample of \(path.transitions.count) steps:")
      out.append(contentsOf: pathLines(path, narrator: narrator))
      if v.kind == .deadlock, let replay = try? report.system.replay(path.schedule) {
        out.append("")
        out.append(DeadlockReport(narrator: narrator).render(replay.finalState))
      }
      out.append("")
      out.append("replay: " + replayCommand(path: s.source.path, schedule: path.schedule))
    }
    func witness(_ w: Witness<KernelStep>, _ title: String) {
      out.append("")
      out.append("\(title) — \(w.path.transitions.count) steps:")
      out.append(contentsOf: pathLines(w.path, narrator: narrator))
      out.append("replay: " + replayCommand(path: s.source.path, schedule: w.path.schedule))
    }
    for w in report.gaps {
      witness(
        w,
        "known gap \(w.propertyID) reached (not a violation): "
          + summary(of: w.propertyID, in: report))
    }
    for w in report.witnesses {
      witness(w, "\(w.propertyID) reached: \(summary(of: w.propertyID, in: report))")
    }
    if let w = report.sizeBound {
      witness(
        w, "file-size bound reached (the run is incomplete): a file would grow past its max")
    }
    return out.joined(separator: "\n")
  }

  static func summary(of id: String, in report: RunReport) -> String {
    report.system.properties.first { $0.id == id }?.summary ?? "no step enabled"
  }

  static func formatSeconds(_ s: Double) -> String {
    let ms = Int((s * 1000).rounded())
    return "\(ms / 1000).\(String(ms % 1000).leftPadded(to: 3, with: "0")) s"
  }

  /// One line per checked property and for deadlock.
  static func propertyLines(_ report: RunReport) -> [String] {
    let violated = Set(report.violations.map(\.propertyID))
    let reached = Set(report.gaps.map(\.propertyID))
    var rows: [(String, String, String)] = []
    for p in report.system.properties where p.id != KernelSystem.sizeBoundID {
      let status: String
      if KernelSystem.gapPropertyIDs.contains(p.id) {
        status = reached.contains(p.id) ? "reached (known gap)" : "not reached"
      } else if report.witnesses.contains(where: { $0.propertyID == p.id }) {
        status = "reached"
      } else if violated.contains(p.id) {
        status = "VIOLATED"
      } else {
        status = report.isComplete ? "holds" : "unknown (incomplete)"
      }
      rows.append((p.id, status, p.summary))
    }
    for (id, summary) in KernelSystem.deadlockKinds {
      let status =
        report.deadlockKind == id
        ? "VIOLATED" : report.isComplete ? "holds" : "unknown (incomplete)"
      rows.append((id, status, summary))
    }
    let w0 = rows.map(\.0.count).max() ?? 0
    let w1 = rows.map(\.1.count).max() ?? 0
    return rows.map {
      $0.0.rightPadded(to: w0) + "  " + $0.1.rightPadded(to: w1) + "  " + $0.2
    }
  }

  /// A path as per-task columns, one row per step.
  public static func pathLines(_ path: Path<KernelStep>, narrator: Narrator) -> [String] {
    guard let replay = try? narrator.system.replay(path.schedule) else {
      return ["  (path does not replay: internal error)"]
    }
    return columns(
      narrator.narrate(replay), tasks: replay.transitions.map(\.task), narrator: narrator)
  }

  static func columns(_ lines: [Narrator.Line], tasks: [Int], narrator: Narrator) -> [String] {
    let system = narrator.system
    let used = Array(Set(tasks)).sorted()
    let index = Dictionary(uniqueKeysWithValues: used.enumerated().map { ($1, $0) })
    let w = columnWidth
    let numberWidth = String(lines.count).count + 2
    var out: [String] = []
    var header = "".rightPadded(to: numberWidth)
    for t in used {
      let role = system.listenerGroup(ofTask: t) != nil ? " (listener)" : ""
      header += (system.taskName(t) + role).rightPadded(to: w + 2)
    }
    out.append("  " + header.trimmingTrailingSpaces())
    for (n, line) in lines.enumerated() {
      var cell = wrap(line.description, width: w)
      cell += wrap(line.kernelFunction, width: w - 2).map { "  " + $0 }
      if !line.locksHeld.isEmpty {
        cell += wrap("holds " + line.locksHeld.joined(separator: ", "), width: w - 2).map {
          "  " + $0
        }
      }
      let column = index[tasks[n]]!
      for (k, text) in cell.enumerated() {
        let number = k == 0 ? "\(n + 1)".leftPadded(to: numberWidth - 2, with: " ") + "  " : ""
        let row =
          number.rightPadded(to: numberWidth)
          + String(repeating: " ", count: column * (w + 2)) + text
        out.append("  " + row.trimmingTrailingSpaces())
      }
    }
    return out
  }

  /// Word-wraps `text` to `width` columns.
  static func wrap(_ text: String, width: Int) -> [String] {
    var lines: [String] = []
    var current = ""
    for word in text.split(separator: " ", omittingEmptySubsequences: true) {
      if current.isEmpty {
        current = String(word)
      } else if current.count + 1 + word.count <= width {
        current += " " + word
      } else {
        lines.append(current)
        current = String(word)
      }
    }
    if !current.isEmpty || lines.isEmpty { lines.append(current) }
    return lines
  }

  /// The output of `fanmc trace`.
  public static func render(_ trace: Trace, scenario: Scenario) -> String {
    var out: [String] = []
    out.append(
      "trace of \(scenario.name) (profile \(scenario.config.profile.name)), "
        + "deterministic schedule \(trace.schedule):")
    let w = max(
      8,
      (trace.entries.compactMap {
        if case .call(let c) = $0 { return c.task.count } else { return nil }
      }.max() ?? 0))
    for entry in trace.entries {
      switch entry {
      case .call(let c):
        out.append("  " + c.task.rightPadded(to: w) + "  \(c.syscall) = \(resultText(c.result))")
      case .event(let i):
        let e = trace.events[i]
        let range = e.range.map { "offset \($0.offset) count \($0.count)" } ?? "no range"
        var answer =
          e.notification
          ? "→ \(e.group) (notification)"
          : e.response.map { "→ \(e.group): \($0)" } ?? "→ \(e.group): no answer"
        if let err = e.responseError { answer += " (\(err))" }
        out.append(
          "  " + "event".rightPadded(to: w) + "  \(e.mask) (\(range)) from \(e.task) "
            + "\(e.syscall) \(answer)")
      }
    }
    out.append("outcome: \(trace.outcome)")
    return out.joined(separator: "\n")
  }

  static func resultText(_ r: SyscallResult) -> String {
    switch r {
    case .value(let v): return "\(v)"
    case .error(let e): return "-1 \(e.name)"
    }
  }
}

extension String {
  func rightPadded(to width: Int) -> String {
    count >= width ? self : self + String(repeating: " ", count: width - count)
  }

  func leftPadded(to width: Int, with pad: Character) -> String {
    count >= width ? self : String(repeating: pad, count: width - count) + self
  }

  func trimmingTrailingSpaces() -> String {
    var s = Substring(self)
    while s.last == " " { s = s.dropLast() }
    return String(s)
  }
}
