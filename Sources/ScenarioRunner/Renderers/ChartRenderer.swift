import Exploration
import KernelModel

/// `--format chart`: a path as a plain-text sequence chart at most 72 columns wide, ready to
/// paste into a mailing-list reply, in the shape of lockdep's "CPU0 / CPU1" scenarios: one
/// column per task, one line per step (`Narrator.Line.brief`), then how the path ends (the
/// wait-for cycle of a deadlock, the property violated) and the command that replays it, broken
/// between its words to keep within the width.
public enum ChartRenderer {
  public static let width = 72

  /// The chart of every violation `report` shows (minimized where it was), or of the
  /// deterministic schedule when there is none.
  public static func render(_ report: RunReport) -> String {
    let s = report.scenario
    var charts: [String] = []
    for v in report.violations {
      guard let m = report.counterexample(for: v) else { continue }
      let id = v.kind == .deadlock ? (report.deadlockKind ?? "I5") : v.propertyID
      let what = v.kind == .deadlock ? "deadlock (\(id))" : "\(id) violated"
      var length = "\(m.steps) steps, \(m.switches) context switches"
      if let (steps, switches) = m.original {
        length += " (as found: \(steps), \(switches))"
      }
      let ending =
        v.kind == .deadlock
        ? [] : ["\(id): " + TextRenderer.summary(of: v.propertyID, in: report)]
      charts.append(
        chart(
          title: "\(s.name) (\(s.config.profile.name)): \(what)", length: length,
          leftOut: m.leftOut, system: m.system, schedule: m.schedule, ending: ending,
          file: s.source.path, without: m.without))
    }
    if charts.isEmpty {
      let trace = Trace.run(Narrator(system: report.system))
      charts.append(
        chart(
          title: "\(s.name) (\(s.config.profile.name)): \(report.verdict.rawValue)",
          length: "the deterministic schedule, \(trace.schedule.choices.count) steps",
          leftOut: [], system: report.system, schedule: trace.schedule,
          ending: ["outcome: \(trace.outcome)"],
          file: s.source.path, without: []))
    }
    return charts.joined(separator: "\n\n")
  }

  /// The chart of an explained path (`fanmc explain --format chart`).
  public static func render(
    _ r: Explanation.Report, system: KernelSystem, schedule: Schedule, file: String
  ) -> String {
    var ending = r.violated.isEmpty ? [] : ["violated: " + r.violated.joined(separator: ", ")]
    if r.waitFor == nil { ending.insert("outcome: \(r.outcome)", at: 0) }
    return chart(
      title:
        "\(r.scenario) (\(r.profile)): \(r.title.prefix(1).lowercased() + r.title.dropFirst())",
      length: "\(schedule.choices.count) steps, "
        + "\(Counterexample.contextSwitches(schedule)) context switches",
      leftOut: r.leftOut, system: system, schedule: schedule, ending: ending,
      file: file, without: r.without)
  }

  /// One chart. `ending` follows the steps, after the wait-for cycle when the path ends blocked.
  static func chart(
    title: String, length: String, leftOut: [String], system: KernelSystem,
    schedule: Schedule, ending: [String], file: String, without: [Int]
  ) -> String {
    let narrator = Narrator(system: system)
    guard let replayed = try? system.replay(schedule) else {
      return "\(title)\n  (path does not replay: internal error)"
    }
    let lines = narrator.narrate(replayed)
    let tasks = replayed.transitions.map(\.task)
    let used = Array(Set(tasks)).sorted()
    let column = Dictionary(uniqueKeysWithValues: used.enumerated().map { ($1, $0) })
    let number = String(max(lines.count, 1)).count
    let margin = number + 2
    let starts = columnStarts(
      used.map { t in
        zip(lines, tasks).filter { $0.1 == t }.map(\.0.brief.count).max() ?? 0
      }, names: used.map { system.taskName($0).count }, margin: margin)
    var out =
      wrap(title, indent: "")
      + wrap(
        length + (leftOut.isEmpty ? "" : "; without " + leftOut.joined(separator: "; ")),
        indent: "  ")
    // Task names, and dashes under them, as lockdep's CPU0/CPU1 header.
    func header(_ text: (Int) -> String) -> String {
      var row = ""
      for (i, t) in used.enumerated() {
        row = row.rightPadded(to: starts[i]) + text(t)
      }
      return fit(row)
    }
    out.append("")
    out.append(header { system.taskName($0) })
    out.append(header { String(repeating: "-", count: system.taskName($0).count) })
    for (n, line) in lines.enumerated() {
      let lead = (String(n + 1).leftPadded(to: number, with: " ") + "  ")
        .rightPadded(to: starts[column[tasks[n]]!])
      out.append(fit(lead + line.brief))
    }
    out.append("")
    let final = replayed.finalState
    if !system.unfinishedTasks(in: final).isEmpty && system.transitions(from: final).isEmpty {
      out += waitLines(DeadlockReport(narrator: narrator), final)
    }
    for e in ending { out += wrap(e, indent: "  ") }
    out += replayLines(file: file, schedule: schedule, without: without)
    return out.joined(separator: "\n")
  }

  /// Where each column starts: equal shares of the width, then, from the last column on, each
  /// pulled left as far as its longest text needs to end within the width, keeping every task
  /// name clear of the next column. Texts run on into the (empty) columns to their right.
  static func columnStarts(_ longest: [Int], names: [Int], margin: Int) -> [Int] {
    let n = longest.count
    let share = max(12, (width - margin) / max(n, 1))
    var starts = (0..<n).map { margin + $0 * share }
    for i in (0..<n).reversed() {
      var start = min(starts[i], width - longest[i])
      if i + 1 < n { start = min(start, starts[i + 1] - names[i] - 2) }
      let leftmost = margin + names[..<i].reduce(0) { $0 + $1 + 2 }
      starts[i] = max(start, leftmost)
    }
    return starts
  }

  /// The wait-for cycle (or chain), one task per line: `writer  waits for hsm  in f`.
  static func waitLines(_ report: DeadlockReport, _ state: KernelState) -> [String] {
    let graph = report.graph(state)
    let system = report.narrator.system
    let hops = zip(graph.shown, graph.shown.dropFirst()).compactMap { t, next in
      graph.waits[t].map {
        // The innermost function: the chain is in the viewer and the text report.
        (
          system.taskName(t), system.taskName(next),
          $0.function.components(separatedBy: " → ").last ?? $0.function
        )
      }
    }
    let label = graph.cycle != nil ? "deadlock:" : "hang:"
    let w0 = hops.map(\.0.count).max() ?? 0
    let w1 = hops.map(\.1.count).max() ?? 0
    var out = hops.enumerated().map { i, hop in
      fit(
        (i == 0 ? label : String(repeating: " ", count: label.count)) + " "
          + hop.0.rightPadded(to: w0) + "  waits for " + hop.1.rightPadded(to: w1) + "  in "
          + hop.2)
    }
    if out.isEmpty { out = [label + " no task can move"] }
    return out
  }

  /// `replay: fanmc replay [--without W] --schedule S FILE`, the options first so that the
  /// command breaks (with `\\`) between its words to stay within the chart's width. A schedule
  /// too long for a line is quoted and broken after commas (the parser ignores white space).
  static func replayLines(file: String, schedule: Schedule, without: [Int]) -> [String] {
    var words = ["replay:", "fanmc", "replay"]
    if !without.isEmpty { words += ["--without", Counterexample.lineList(without)] }
    words.append("--schedule")
    let text = schedule.compactDescription
    if text.count + 4 <= width - 2 {
      words.append(text)
    } else {
      // 'a,b,
      //   c,d'
      var chunk = "'"
      for choice in text.split(separator: ",") {
        if chunk.count + choice.count + 4 > width - 2 {
          words.append(chunk)
          chunk = ""
        }
        chunk += choice + ","
      }
      words.append(String(chunk.dropLast()) + "'")
    }
    words.append(file)
    var lines: [String] = []
    var current = ""
    for word in words {
      let quoted = word.hasSuffix(",") || (word.hasSuffix("'") && !word.hasPrefix("'"))
      if current.isEmpty {
        current = (lines.isEmpty ? "" : "  ") + word
      } else if current.count + 1 + word.count + 2 <= width && !quoted {
        current += " " + word
      } else {
        // Inside a quoted schedule the line just ends; elsewhere the shell needs a `\`.
        lines.append(current + (current.hasSuffix(",") ? "" : " \\"))
        current = "  " + word
      }
    }
    return lines + [current]
  }

  /// `text` cut to the chart's width.
  static func fit(_ text: String) -> String {
    text.count <= width ? text : String(text.prefix(width - 1)) + "…"
  }

  /// `text` word-wrapped to the chart's width, continuation lines indented by `indent`.
  static func wrap(_ text: String, indent: String) -> [String] {
    var lines: [String] = []
    var current = ""
    for word in text.split(separator: " ") {
      let prefix = lines.isEmpty ? "" : indent
      if current.isEmpty {
        current = prefix + word
      } else if current.count + 1 + word.count <= width {
        current += " " + word
      } else {
        lines.append(current)
        current = indent + word
      }
    }
    if !current.isEmpty { lines.append(current) }
    return lines.map(fit)
  }
}
