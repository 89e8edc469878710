import Exploration
import KernelModel
import ScenarioFormat

/// What makes two hunt findings the same bug: the property violated (or the deadlock's kind, I5
/// or I9), the kernel step where the violation shows (the kind of the step that violated it; for
/// a deadlock the steps the blocked tasks wait in), and the hook site (the syscall the task that
/// took that step was in; for a deadlock the blocked tasks' syscalls), as syzkaller
/// deduplicates crashes by their title.
public struct HuntSignature: Hashable, Sendable, Comparable, CustomStringConvertible, Codable {
  public var property: String
  public var step: String
  public var site: String

  public init(property: String, step: String, site: String) {
    self.property = property
    self.step = step
    self.site = site
  }

  public var description: String { "\(property) · \(step) · \(site)" }

  public static func < (a: Self, b: Self) -> Bool { a.description < b.description }

  /// Whether a violated property id is a finding: not a known gap, the size bound, an
  /// assertion or `returns` (hunt programs assert nothing).
  static func counts(_ id: String) -> Bool {
    !KernelSystem.reachabilityIDs.contains(id) && id != "returns" && !id.hasPrefix("A")
  }

  /// The signature of `v`, a violation found in `system`; nil when its path does not replay.
  init?(_ v: Violation<KernelStep>, system: KernelSystem) {
    guard let path = v.path, let replay = try? system.replay(path.schedule),
      let last = replay.states.last
    else { return nil }
    if v.kind == .deadlock {
      // The tasks of the cycle (or of the chain to a listener that never answers), each by the
      // step it sleeps in and its syscall: the same deadlock in two programs, whatever else
      // their tasks do.
      let graph = DeadlockReport(narrator: Narrator(system: system)).graph(last)
      let tasks = Set(graph.shown)
      let steps = tasks.map { t -> String in
        switch last.tasks[t].path.first {
        case .lock(let lock, _)?: return "lock(\(HuntCoverage.caseName(lock)))"
        case let step?: return HuntCoverage.caseName(step)
        case nil: return t < system.appTaskCount ? "syscallEntry" : "fanotifyRead"
        }
      }
      let sites = tasks.map { Self.syscallName(system, task: $0, in: last) }
      self.init(
        property: graph.cycle == nil ? "I9" : "I5",
        step: Set(steps).sorted().joined(separator: "+"),
        site: Set(sites).sorted().joined(separator: "+"))
      return
    }
    guard let step = replay.transitions.last else {
      self.init(property: v.propertyID, step: "initial", site: "none")
      return
    }
    let before = replay.states[replay.states.count - 2]
    self.init(
      property: v.propertyID, step: HuntCoverage.kind(step.label),
      site: Self.syscallName(system, task: step.task, in: before))
  }

  /// The syscall an application task is in (the case name of `Syscall`), or `listener`.
  static func syscallName(_ system: KernelSystem, task t: Int, in state: KernelState) -> String {
    guard t < system.appTaskCount else { return "listener" }
    let ts = state.tasks[t]
    let program = system.config.tasks[t].program
    guard ts.pc < program.count, ts.choice < program[ts.pc].choices.count else {
      return "syscall"
    }
    return HuntCoverage.caseName(program[ts.pc].choices[ts.choice])
  }
}

/// One kept finding of a hunt: its signature, where it was first found, how many programs hit
/// it, and (after `minimize`) the scenario file that shows it.
public struct HuntFinding: Sendable, Codable {
  public var signature: HuntSignature
  /// The index of the first program that found it, and whether that program was sampled.
  public var firstProgram: Int
  public var sampled: Bool
  /// How many programs hit it.
  public var programs = 1
  /// The signature the minimized scenario shows: findings with the same one are one bug.
  public var minimizedSignature: HuntSignature
  /// Signatures of the programs merged into this finding, besides its own.
  public var alsoSeenAs: [HuntSignature] = []
  /// The minimized scenario's lines after its `expect` lines.
  var body: [String] = []
  /// The file name, without `.scenario`: also the scenario's name.
  public var name = ""
  /// The minimized scenario, ready to commit; its expectations are what `fanmc check` finds.
  public var scenarioText = ""
  /// Its `expect` lines' findings: `violation I2`, `deadlock`, `gap I2-gap`.
  public var expectations: [String] = []
  /// Whether the written scenario meets its expectations under `fanmc check` (re-checked).
  public var met = false
  /// Syscall lines of the first program and of the minimized scenario; pages of `data` in each.
  public var linesFound = 0
  public var linesKept = 0
  public var pagesFound = 0
  public var pagesKept = 0
  /// Why minimization or the check fell short, if it did.
  public var note: String?

  init(signature: HuntSignature, firstProgram: Int, sampled: Bool) {
    self.signature = signature
    self.minimizedSignature = signature
    self.firstProgram = firstProgram
    self.sampled = sampled
  }

  /// The file name for `signature` under `profile`: `hunt-PROFILE-ID-STEP-SITE`.
  static func fileName(_ signature: HuntSignature, profile: String) -> String {
    let raw = "hunt-\(profile)-\(signature.property)-\(signature.step)-\(signature.site)"
    let mapped: [Character] = raw.lowercased().map { c in
      c.isLetter || c.isNumber || c == "." ? c : "-"
    }
    let words: [String] = String(mapped).split(separator: "-").map { String($0) }
    return words.joined(separator: "-")
  }

  /// The property id `Counterexample` minimizes for.
  var propertyID: String { signature.property }

  /// Minimizes `program` (the first that found the finding): fewer pages of `data` while the
  /// signature still shows, then `Counterexample`'s shortest path and line shrinking (fewest
  /// tasks and syscall lines, a freezer's `thaw` kept with its `freeze`). Sets `body` and the
  /// signature the minimized scenario shows (`minimizedSignature`), by which findings of one
  /// bug are merged.
  mutating func minimize(_ program: HuntProgram, config: HuntConfig) {
    linesFound = program.lineCount
    pagesFound = program.layout.count
    var p = Self.shrunk(program, signature, config: config)
    while p.layout.count > 1 {
      var fewer = p
      fewer.layout.removeLast()
      guard Self.shows(fewer, signature, config: config) else { break }
      p = fewer
    }
    pagesKept = p.layout.count
    let rendered = p.render(name: "hunt", profile: config.profile, switches: config.switchPairs)
    var lines = rendered.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if let scenario = try? ScenarioResolver.resolve(
      SourceFile(path: "hunt.scenario", text: rendered)),
      case .success(let m)? = try? Counterexample.find(propertyID, in: scenario)
    {
      var without = Set(m.without.map { $0 - 1 })
      for (i, line) in lines.enumerated() where line == "  thaw" && !without.contains(i - 1) {
        without.remove(i)
      }
      lines = lines.enumerated().filter { !without.contains($0.offset) }.map(\.element)
    } else {
      note = "not minimized: no shortest counterexample within \(Counterexample.maxStates) states"
    }
    // The second file goes with the last line that used it.
    if !lines.contains(where: { $0.hasPrefix("  ") && $0.contains(" fo") }) {
      lines.removeAll { $0.hasPrefix("file other ") }
    }
    body = Self.tidy(
      lines.filter {
        !$0.hasPrefix("scenario ") && !$0.hasPrefix("question ") && !$0.hasPrefix("expect ")
      })
    linesKept =
      body.filter { $0.hasPrefix("  ") && !$0.hasPrefix("  summary") }.count
      - Self.opens(body) - Self.listenerStatements(body)
    minimizedSignature = Self.signature(of: body, id: propertyID, config: config) ?? signature
  }

  /// The signature of `id` that the scenario `body` shows, if it shows one.
  static func signature(of body: [String], id: String, config: HuntConfig) -> HuntSignature? {
    let text =
      (["scenario hunt", "question \"?\"", "expect no-violation"] + body)
      .joined(separator: "\n") + "\n"
    guard
      let scenario = try? ScenarioResolver.resolve(SourceFile(path: "hunt.scenario", text: text)),
      let system = try? ScenarioRun.makeSystem(scenario)
    else { return nil }
    var exploration = ExplorationConfig()
    exploration.maxStates = config.maxStates
    exploration.timeLimitSeconds = .infinity
    guard let result = try? Explorer(system: system, config: exploration).run() else { return nil }
    return result.violations.compactMap { HuntSignature($0, system: system) }
      .first { $0.property == id }
  }

  /// Runs the minimized body, writes the expectations it meets under the name `name`, and
  /// checks them again.
  mutating func judge(config: HuntConfig) {
    var exploration = ExplorationConfig()
    exploration.maxStates = 200_000
    exploration.timeLimitSeconds = .infinity
    let draft = header(config: config, expectations: ["expect no-violation"]) + body
    guard
      let scenario = try? ScenarioResolver.resolve(
        SourceFile(path: name + ".scenario", text: draft.joined(separator: "\n") + "\n")),
      let report = try? ScenarioRun.run(scenario, exploration: exploration)
    else {
      note = "the minimized scenario does not resolve or explore"
      scenarioText = draft.joined(separator: "\n") + "\n"
      return
    }
    var expect: [String] = []
    let found = Set(report.foundIDs.filter(HuntSignature.counts))
    for id in found.sorted() where id != "I5" && id != "I9" && id != "deadlock" {
      expect.append("violation \(id)")
    }
    if report.violations.contains(where: { $0.kind == .deadlock }) { expect.append("deadlock") }
    for id in Set(report.gaps.map(\.propertyID)).sorted() { expect.append("gap \(id)") }
    expectations = expect
    let lines = header(config: config, expectations: expect.map { "expect " + $0 }) + body
    scenarioText = lines.joined(separator: "\n") + "\n"
    guard
      let final = try? ScenarioResolver.resolve(
        SourceFile(path: name + ".scenario", text: scenarioText)),
      let check = try? ScenarioRun.run(final, exploration: exploration)
    else {
      note = "the written scenario does not resolve or explore"
      return
    }
    met = check.expectationsMet
    if !met { note = check.expectationProblems.joined(separator: "; ") }
  }

  /// The comment header, `scenario`, `question` and `expect` lines.
  func header(config: HuntConfig, expectations: [String]) -> [String] {
    let sets = config.switches.map { " --set \($0.name)=\($0.value)" }.joined()
    let p = signature.property
    let sites = signature.site.split(separator: "+").joined(separator: ", ")
    let steps = signature.step.split(separator: "+").joined(separator: ", ")
    let what: String
    let question: String
    switch p {
    case "I5", "I9":
      what =
        p == "I5"
        ? "Deadlock (I5): a wait-for cycle" : "Hang (I9): a task waits for a listener forever"
      question = "On \(config.profile), can \(sites) \(p == "I5" ? "deadlock" : "hang") (\(p))?"
    default:
      what = "Violation of \(p)" + (Self.summaries[p].map { " (\($0))" } ?? "")
      question = "On \(config.profile), can \(sites) violate \(p) (\(Self.summaries[p] ?? p))?"
    }
    let place =
      p == "I5" || p == "I9"
      ? "# Blocked in \(steps); syscalls: \(sites)."
      : "# At kernel step \(steps), in \(sites)."
    return [
      "# Found by fanmc hunt --profile \(config.profile)\(sets) --seed \(config.seed):",
      "# program \(firstProgram) (\(sampled ? "sampled" : "enumerated")) first showed it.",
      "# \(what).", place,
      "# Minimized: \(linesKept) of \(linesFound) syscall lines kept, \(pagesKept) of "
        + "\(pagesFound) pages of data.",
      "scenario \(name)",
      "question \"\(question)\"",
    ] + expectations + [""]
  }

  /// The properties' one-line meanings (README, Properties).
  static let summaries: [String: String] = [
    "I1": "syscall coverage", "I2": "no unnotified page", "I2-h": "historical I2",
    "I3": "lock-free emission", "I4": "listener silence", "I6": "answer discipline",
    "I7": "default mode", "I8": "group ordering", "I10": "exec write-deny balance",
    "I11": "range soundness", "I12": "no events for directories", "dispatch": "fault dispatch",
    "spurious": "no spurious fault event", "retry": "fault protocol",
  ]

  /// `lines` without runs of blank lines, and without a blank line at the end.
  static func tidy(_ lines: [String]) -> [String] {
    var out: [String] = []
    for line in lines where !(line.isEmpty && (out.last?.isEmpty ?? true)) { out.append(line) }
    while out.last?.isEmpty == true { out.removeLast() }
    return out
  }

  /// The tasks' `open` lines (not counted as syscall lines of the program).
  static func opens(_ body: [String]) -> Int {
    body.filter { $0.hasPrefix("  ") && $0.contains(" = open ") && !$0.contains("O_TRUNC") }
      .count
  }

  /// Statements of listener blocks.
  static func listenerStatements(_ body: [String]) -> Int {
    var count = 0
    var inListener = false
    for line in body {
      if !line.hasPrefix("  ") { inListener = line.hasPrefix("listener ") }
      if inListener && line.hasPrefix("  ") && !line.hasPrefix("  summary") { count += 1 }
    }
    return count
  }

  /// `program` without every task, operation and decoration (a second group, notification
  /// bits, another mark, filesystem or DAX) whose absence still shows `signature`, under the
  /// hunt's own bounded search: cheap steps that leave `Counterexample` a small scenario.
  static func shrunk(_ program: HuntProgram, _ signature: HuntSignature, config: HuntConfig)
    -> HuntProgram
  {
    var p = program
    var changed = true
    while changed {
      changed = false
      var candidates: [HuntProgram] = []
      for t in p.tasks.indices.reversed() where p.tasks.count > 1 {
        var c = p
        c.tasks.remove(at: t)
        candidates.append(c)
      }
      for t in p.tasks.indices.reversed() where p.tasks[t].count > 1 {
        for i in p.tasks[t].indices.reversed() {
          var c = p
          c.tasks[t].remove(at: i)
          candidates.append(c)
        }
      }
      var plain = p
      (plain.contentGroup, plain.notifications, plain.markKind) = (false, false, "inode")
      (plain.openPerm, plain.filesystem, plain.dax) = (false, "ext4", false)
      if plain != p { candidates.append(plain) }
      let resets: [(inout HuntProgram) -> Void] = [
        { $0.contentGroup = false }, { $0.notifications = false }, { $0.markKind = "inode" },
        { $0.openPerm = false }, { $0.filesystem = "ext4" }, { $0.dax = false },
      ]
      for reset in resets {
        var c = p
        reset(&c)
        if c != p && c != plain { candidates.append(c) }
      }
      for c in candidates where shows(c, signature, config: config) {
        p = c
        changed = true
        break
      }
    }
    return p
  }

  /// Whether `program` still shows `signature` (under the hunt's state bound).
  static func shows(_ program: HuntProgram, _ signature: HuntSignature, config: HuntConfig) -> Bool
  {
    Hunt.explore(program, index: 0, config: config).signatures.contains(signature)
  }
}
