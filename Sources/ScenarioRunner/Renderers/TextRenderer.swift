import Exploration
import KernelModel

/// Renders reports as text for people.
public enum TextRenderer {
  /// Width of one task column in counterexamples.
  static let columnWidth = 46

  /// The command that replays `schedule` of the scenario at `path`.
  public static func replayCommand(path: String, schedule: Schedule, without: [Int] = [])
    -> String
  {
    "fanmc replay \(path)"
      + (without.isEmpty ? "" : " --without \(Counterexample.lineList(without))")
      + " --schedule \(schedule.compactDescription)"
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
      guard let shown = report.counterexample(for: v) else {
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
      out.append("\(what) — counterexample of \(lengthText(shown)):")
      if !shown.leftOut.isEmpty {
        out.append(
          "  left out of the scenario (not needed): " + shown.leftOut.joined(separator: "; "))
      }
      let shownNarrator = Narrator(system: shown.system)
      out.append(contentsOf: pathLines(shown.schedule, narrator: shownNarrator))
      if v.kind == .deadlock, let replay = try? shown.system.replay(shown.schedule) {
        out.append("")
        out.append(DeadlockReport(narrator: shownNarrator).render(replay.finalState))
      }
      out.append("")
      out.append(
        "replay: "
          + replayCommand(path: s.source.path, schedule: shown.schedule, without: shown.without))
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

  /// `29 steps, 2 context switches (minimized from 51 steps, 9 switches)`, or `N steps` for a
  /// path shown as found.
  static func lengthText(_ m: Counterexample.Minimized) -> String {
    guard let (steps, switches) = m.original else { return "\(m.steps) steps" }
    let length = "\(m.steps) steps, \(m.switches) context switches"
    if steps == m.steps && switches == m.switches && m.without.isEmpty {
      return length + " (as found: already minimal)"
    }
    return length + " (minimized from \(steps) steps, \(switches) switches)"
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
    pathLines(path.schedule, narrator: narrator)
  }

  public static func pathLines(_ schedule: Schedule, narrator: Narrator) -> [String] {
    guard let replay = try? narrator.system.replay(schedule) else {
      return ["  (path does not replay: internal error)"]
    }
    return compactSteps(
      narrator.narrate(replay).map {
        ($0.task, $0.description, $0.kernelFunction, $0.locksHeld)
      }
    ).flatMap { $0 }
  }

  /// The widest compact step line.
  static let compactWidth = 100

  /// Steps in the compact narration: one line per step when it fits in `compactWidth` —
  /// `  26  writer  DESCRIPTION · FUNCTION [holds LOCKS]`, with the innermost kernel function of
  /// the step's chain — else the description (wrapped), then the function and locks below it.
  /// `details`: the whole chain, always on a line of its own. The lines of each step.
  static func compactSteps(
    _ steps: [(task: String, description: String, kernelFunction: String, locksHeld: [String])],
    details: Bool = false
  ) -> [[String]] {
    let number = String(steps.count).count
    let taskWidth = steps.map(\.task.count).max() ?? 0
    let indent = String(repeating: " ", count: number + taskWidth + 6)
    var out: [[String]] = []
    for (i, step) in steps.enumerated() {
      let lead =
        "  " + String(i + 1).leftPadded(to: number, with: " ") + "  "
        + step.task.rightPadded(to: taskWidth) + "  "
      let function =
        details
        ? step.kernelFunction : step.kernelFunction.components(separatedBy: " → ").last ?? ""
      var tail = "· " + function
      if !step.locksHeld.isEmpty { tail += " [holds \(step.locksHeld.joined(separator: ", "))]" }
      let line = lead + step.description + "  " + tail
      if line.count <= compactWidth && !details {
        out.append([line])
        continue
      }
      let text = wrap(step.description, width: compactWidth - indent.count)
      var lines = [lead + text[0]] + text.dropFirst().map { indent + $0 }
      lines += wrap(tail, width: compactWidth - indent.count - 2).enumerated().map {
        indent + ($0.offset == 0 ? "" : "  ") + $0.element
      }
      out.append(lines)
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
