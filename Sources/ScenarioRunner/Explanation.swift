import Exploration
import KernelModel

/// `fanmc explain`: a schedule narrated step by step for teaching — each step's kernel
/// function, the locks its task holds once it is taken, the events queued and answered, and the
/// page states whenever they change. By default the deterministic schedule; any other path
/// (`--schedule`, a counterexample's with `--violation`) the same way.
public enum Explanation {
  /// One narrated step and the page states it changed.
  public struct Step: Sendable, Codable {
    public var task: String
    public var description: String
    public var kernelFunction: String
    /// The locks the task holds once the step is taken.
    public var locksHeld: [String]
    /// `data: i_size …, pages …, cache …` for each file the step changed.
    public var pages: [String]
  }

  /// What `fanmc explain` shows, for the text and JSON renderers.
  public struct Report: Sendable, Codable {
    public var scenario: String
    public var profile: String
    public var question: String
    /// "The deterministic schedule", "The schedule", "The shortest counterexample of I5".
    public var title: String
    public var schedule: String
    /// Every task, application tasks then listener threads.
    public var tasks: [String]
    /// The files' pages, the marks and the groups before the first step.
    public var setup: [String]
    public var steps: [Step]
    public var outcome: String
    /// Properties violated in some state of the path (and `eventually` assertions it breaks).
    public var violated: [String]
    /// The lockdep-shaped wait-for report when the path ends blocked.
    public var waitFor: String?
    /// The scenario's lines left out of this path's scenario (`--without`, minimization), and
    /// what they were.
    public var without: [Int] = []
    public var leftOut: [String] = []
  }

  /// The narration of `schedule` (nil: the deterministic schedule), which must replay.
  public static func report(
    _ scenario: Scenario, system: KernelSystem, schedule: Schedule? = nil, title: String? = nil
  ) throws(ReplayError) -> Report {
    let narrator = Narrator(system: system)
    let trace = Trace.run(narrator)
    let path = schedule ?? trace.schedule
    let replay = try system.replay(path)
    let initial = replay.states[0]
    var setup = system.config.files.enumerated().map { f, spec in
      pagesText(spec.name, initial.inodes[f])
    }
    setup += initial.marks.map { narrator.markText($0) }
    for g in system.config.groups {
      let listener = g.listener.map { "listener \($0.name): \($0.summary)" } ?? "no listener"
      setup.append("group \(g.name): \(g.groupClass.rawValue), \(listener)")
    }
    let steps = narrator.narrate(replay).enumerated().map { i, line in
      let (before, after) = (replay.states[i], replay.states[i + 1])
      let pages = system.config.files.enumerated().filter { f, _ in
        !samePages(before.inodes[f], after.inodes[f])
      }.map { f, spec in pagesText(spec.name, after.inodes[f]) }
      return Step(
        task: line.task, description: line.description, kernelFunction: line.kernelFunction,
        locksHeld: line.locksHeld, pages: pages)
    }
    let final = replay.finalState
    let unfinished = system.unfinishedTasks(in: final)
    let stuck = !unfinished.isEmpty && system.transitions(from: final).isEmpty
    let outcome: String
    if schedule == nil {
      outcome = trace.outcome
    } else if unfinished.isEmpty {
      outcome = "finished"
    } else if stuck {
      outcome = "blocked"
    } else {
      outcome =
        "the path ends here; "
        + unfinished.map { system.taskName($0) }.joined(separator: ", ") + " not finished"
    }
    let violated = system.violatedProperties(along: replay.states)
    let blocked = schedule == nil ? !trace.finished : stuck
    return Report(
      scenario: scenario.name, profile: system.config.profile.name, question: scenario.question,
      title: title ?? (schedule == nil ? "The deterministic schedule" : "The schedule"),
      schedule: path.description, tasks: (0..<system.taskCount).map(system.taskName),
      setup: setup, steps: steps, outcome: outcome,
      violated: violated,
      waitFor: blocked ? DeadlockReport(narrator: narrator).render(final) : nil)
  }

  /// The text of `fanmc explain`.
  public static func render(
    _ scenario: Scenario, system: KernelSystem, schedule: Schedule? = nil, title: String? = nil
  ) throws(ReplayError) -> String {
    text(try report(scenario, system: system, schedule: schedule, title: title))
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
