import Exploration
import KernelModel
import ScenarioFormat

/// The counterexample shown to a reader (`run`, `explain --violation`, `view`, `--format
/// chart`), made readable: among the shortest paths to a violation of the same property, the
/// one with the fewest context switches, in the scenario shrunk to the tasks and syscalls the
/// violation needs (delta debugging on the scenario's lines, re-checked after every drop).
///
/// A shrunk scenario is the original with some lines left out: the lines keep their numbers,
/// and `fanmc replay FILE --without LINES --schedule S` replays the result.
public enum Counterexample {
  /// What minimization found for one property.
  public struct Minimized: Sendable {
    /// The scenario without the lines in `without`.
    public var scenario: Scenario
    public var system: KernelSystem
    /// The 1-based lines left out, ascending.
    public var without: [Int]
    /// What was left out, for people: `line 22: thaw`, `lines 17-21: task reader`.
    public var leftOut: [String] = []
    public var schedule: Schedule
    /// The length and context switches of the path the search first found (nil when the
    /// search found none, as for `explain --violation`, which searches here directly).
    public var original: (steps: Int, switches: Int)?

    public var steps: Int { schedule.choices.count }
    public var switches: Int { Counterexample.contextSwitches(schedule) }
  }

  /// The most states one minimization search may store; above it the path is left as found.
  public static let maxStates = 200_000

  /// Whether violation `v` is a counterexample of `id`: its property, or any deadlock for `I5`,
  /// `I9` and `deadlock`.
  public static func matches(_ v: Violation<KernelStep>, _ id: String) -> Bool {
    v.propertyID == id || (v.kind == .deadlock && ["I5", "I9", "deadlock"].contains(id))
  }

  /// Whether `m`'s path ends in a violation of `id` (replaying it in `m`'s scenario).
  public static func shows(_ m: Minimized, _ id: String) -> Bool {
    guard let target = target(id, in: m.system), let replay = try? m.system.replay(m.schedule)
    else { return false }
    return target(replay.finalState, m.system.transitions(from: replay.finalState))
  }

  /// How many times the running task changes along `schedule`.
  public static func contextSwitches(_ schedule: Schedule) -> Int {
    zip(schedule.choices, schedule.choices.dropFirst()).filter { $0.task != $1.task }.count
  }

  /// The minimized counterexample of `id` in `scenario`; `.failure` says what was found
  /// instead. `shrink: false` keeps every line (fewest switches only).
  public static func find(_ id: String, in scenario: Scenario, shrink: Bool = true)
    throws(RunError) -> Result<Minimized, NotFound>
  {
    let system = try ScenarioRun.makeSystem(scenario)
    if let m = minimized(id, scenario, system, shrink: shrink) { return .success(m) }
    // Not a state property (an `eventually` assertion), or a large space: breadth-first.
    var bfs = ExplorationConfig()
    bfs.strategy = .bfs
    let report = try ScenarioRun.run(scenario, exploration: bfs)
    guard let path = report.violations.first(where: { matches($0, id) })?.path else {
      return .failure(NotFound(id: id, scenario: scenario.name, found: report.foundIDs))
    }
    return .success(
      Minimized(
        scenario: scenario, system: system, without: [], schedule: path.schedule, original: nil))
  }

  /// The minimized counterexample of each of `report`'s violations, by property id.
  public static func minimize(_ report: RunReport) -> [String: Minimized] {
    var out: [String: Minimized] = [:]
    for v in report.violations {
      guard let path = v.path else { continue }
      let id = v.kind == .deadlock ? (report.deadlockKind ?? "I5") : v.propertyID
      guard var m = minimized(id, report.scenario, report.system, shrink: true) else { continue }
      m.original = (path.transitions.count, contextSwitches(path.schedule))
      out[v.propertyID] = m
    }
    return out
  }

  /// The shortest path with the fewest switches to a violation of `id`, then (`shrink`) in the
  /// scenario shrunk; nil when `id` is no state property or none is found within `maxStates`.
  static func minimized(_ id: String, _ scenario: Scenario, _ system: KernelSystem, shrink: Bool)
    -> Minimized?
  {
    guard let target = target(id, in: system),
      let schedule = shortest(system, maxStates: maxStates, target: target)
    else { return nil }
    let found = Minimized(
      scenario: scenario, system: system, without: [], schedule: schedule, original: nil)
    return shrink ? shrunk(found, id: id) : found
  }

  /// The states that violate `id` in `system`, given the state and its enabled steps; nil for
  /// a property that is not a state property (an `eventually` assertion) or unknown.
  static func target(_ id: String, in system: KernelSystem)
    -> ((KernelState, [Transition<KernelStep>]) -> Bool)?
  {
    if ["I5", "I9", "deadlock"].contains(id) {
      let report = DeadlockReport(narrator: Narrator(system: system))
      return { state, enabled in
        guard enabled.isEmpty, !system.unfinishedTasks(in: state).isEmpty else { return false }
        return id == "deadlock" || report.hasCycle(state) == (id == "I5")
      }
    }
    guard let p = system.properties.first(where: { $0.id == id && $0.kind != .sometimes })
    else { return nil }
    return { state, _ in p.isReported(in: state) }
  }

  /// Among the shortest paths from an initial state to a `target` state, the first with the
  /// fewest context switches; nil when there is none within `maxStates` states.
  ///
  /// Breadth-first, level by level. A state lies on a shortest path to the target only at its
  /// own breadth-first depth, so each level keeps, per state and last task to run, the fewest
  /// switches to get there.
  static func shortest(
    _ system: KernelSystem, maxStates: Int,
    target: (KernelState, [Transition<KernelStep>]) -> Bool
  ) -> Schedule? {
    struct Node {
      var state: Int
      var last: Int  // -1 before the first step
      var switches: Int
      var parent: Int  // -1 for an initial state, whose `initial` is then its index
      var step: Transition<KernelStep>?
      var initial: Int
    }
    var index: [KernelState: Int] = [:]
    var states: [KernelState] = []
    var nodes: [Node] = []
    var level: [Int] = []
    for (i, s) in system.initialStates().enumerated() where index[s] == nil {
      index[s] = states.count
      states.append(s)
      nodes.append(Node(state: states.count - 1, last: -1, switches: 0, parent: -1, initial: i))
      level.append(nodes.count - 1)
    }
    while !level.isEmpty {
      var enabled: [Int: [Transition<KernelStep>]] = [:]
      for n in level where enabled[nodes[n].state] == nil {
        enabled[nodes[n].state] = system.transitions(from: states[nodes[n].state])
      }
      let hits = level.filter { target(states[nodes[$0].state], enabled[nodes[$0].state]!) }
      if let best = hits.min(by: { nodes[$0].switches < nodes[$1].switches }) {
        var taken: [Transition<KernelStep>] = []
        var at = best
        while let step = nodes[at].step {
          taken.append(step)
          at = nodes[at].parent
        }
        return system.schedule(initial: nodes[at].initial, of: taken.reversed())
      }
      let firstNew = states.count
      var next: [Int] = []
      var slot: [[Int]: Int] = [:]  // (state, last) of this level → node
      for n in level {
        let node = nodes[n]
        for step in enabled[node.state]! {
          let successor = system.apply(step, to: states[node.state])
          let s: Int
          if let known = index[successor] {
            guard known >= firstNew else { continue }  // reached at a smaller depth
            s = known
          } else {
            guard states.count < maxStates else { return nil }
            index[successor] = states.count
            states.append(successor)
            s = states.count - 1
          }
          let switches = node.switches + (node.last >= 0 && node.last != step.task ? 1 : 0)
          if let k = slot[[s, step.task]] {
            if switches < nodes[k].switches {
              nodes[k].switches = switches
              nodes[k].parent = n
              nodes[k].step = step
            }
            continue
          }
          nodes.append(
            Node(
              state: s, last: step.task, switches: switches, parent: n, step: step,
              initial: node.initial))
          slot[[s, step.task]] = nodes.count - 1
          next.append(nodes.count - 1)
        }
      }
      level = next
    }
    return nil
  }

  /// `found` with every task and syscall line dropped whose absence still leaves a violation of
  /// `id` no longer to reach (tasks first, then lines, last first, until nothing more can go).
  static func shrunk(_ found: Minimized, id: String) -> Minimized {
    let source = found.scenario.source
    let lines = source.lines.map(String.init)
    // Task blocks: a `task` line and the indented lines after it.
    var tasks: [[Int]] = []
    var steps: [Int] = []
    var i = 0
    while i < lines.count {
      guard lines[i].hasPrefix("task ") else {
        i += 1
        continue
      }
      var block = [i]
      i += 1
      while i < lines.count, lines[i].first == " " || lines[i].first == "\t" {
        let trimmed = lines[i].trimmingCharacters(in: .whitespaces)
        if !trimmed.isEmpty && !trimmed.hasPrefix("#") {
          block.append(i)
          steps.append(i)
        }
        i += 1
      }
      tasks.append(block)
    }
    var best = found
    var dropped = Set<Int>()
    var changed = true
    while changed {
      changed = false
      for unit in tasks.reversed() + steps.reversed().map({ [$0] })
      where dropped.isDisjoint(with: unit) {
        let candidate = dropped.union(unit)
        // A drop must not lengthen the path: fewer lines, never more steps.
        guard let m = attempt(source, lines, without: candidate, id: id), m.steps <= best.steps
        else { continue }
        best = m
        dropped = candidate
        changed = true
      }
    }
    return best
  }

  /// The minimized path in `source` without the lines `without` (0-based), if that scenario
  /// still resolves and still violates `id`.
  static func attempt(_ source: SourceFile, _ lines: [String], without: Set<Int>, id: String)
    -> Minimized?
  {
    guard let scenario = try? leavingOut(without, of: source, lines: lines),
      let system = try? ScenarioRun.makeSystem(scenario),
      let target = target(id, in: system),
      let schedule = shortest(system, maxStates: maxStates, target: target)
    else { return nil }
    return Minimized(
      scenario: scenario, system: system, without: without.sorted().map { $0 + 1 },
      leftOut: describe(without, lines: lines), schedule: schedule, original: nil)
  }

  /// `without` (0-based lines) for people: a task's block as one entry.
  static func describe(_ without: Set<Int>, lines: [String]) -> [String] {
    var out: [String] = []
    var i = 0
    let sorted = without.sorted()
    while i < sorted.count {
      let n = sorted[i]
      var end = i
      if lines[n].hasPrefix("task ") {
        while end + 1 < sorted.count, sorted[end + 1] == sorted[end] + 1,
          !lines[sorted[end + 1]].hasPrefix("task ")
        {
          end += 1
        }
      }
      let text = lines[n].trimmingCharacters(in: .whitespaces)
      out.append(
        end == i ? "line \(n + 1): \(text)" : "lines \(n + 1)-\(sorted[end] + 1): \(text)")
      i = end + 1
    }
    return out
  }

  /// `source` resolved with the lines in `without` (0-based) left blank, so that every other
  /// line keeps its number.
  static func leavingOut(_ without: Set<Int>, of source: SourceFile, lines: [String])
    throws(Diagnostic) -> Scenario
  {
    let text = lines.enumerated().map { without.contains($0) ? "" : $1 }
      .joined(separator: "\n")
    return try ScenarioResolver.resolve(SourceFile(path: source.path, text: text))
  }

  /// `scenario` without the 1-based lines `without` (`--without`); a task's header line leaves
  /// out its whole block.
  public static func leavingOut(_ without: [Int], of scenario: Scenario) throws(Diagnostic)
    -> Scenario
  {
    try leftOut(without, of: scenario).scenario
  }

  /// `leavingOut` and what it left out, for people.
  public static func leftOut(_ without: [Int], of scenario: Scenario) throws(Diagnostic) -> (
    scenario: Scenario, leftOut: [String]
  ) {
    let lines = scenario.source.lines.map(String.init)
    var blank = Set(without.map { $0 - 1 })
    for n in blank where n >= 0 && n < lines.count && lines[n].hasPrefix("task ") {
      var i = n + 1
      while i < lines.count, lines[i].first == " " || lines[i].first == "\t" {
        blank.insert(i)
        i += 1
      }
    }
    return (
      try leavingOut(blank, of: scenario.source, lines: lines),
      describe(blank.filter { $0 >= 0 && $0 < lines.count }, lines: lines)
    )
  }

  /// `lines` as `--without` takes them: `17-21,23`.
  public static func lineList(_ lines: [Int]) -> String {
    var parts: [String] = []
    var i = 0
    let sorted = Array(Set(lines)).sorted()
    while i < sorted.count {
      var end = i
      while end + 1 < sorted.count, sorted[end + 1] == sorted[end] + 1 { end += 1 }
      parts.append(end == i ? "\(sorted[i])" : "\(sorted[i])-\(sorted[end])")
      i = end + 1
    }
    return parts.joined(separator: ",")
  }

  /// No counterexample of `id`.
  public struct NotFound: Error, Sendable, CustomStringConvertible {
    public var id: String
    public var scenario: String
    public var found: [String]
    public var description: String {
      "no counterexample of \(id) in \(scenario) (found: "
        + (found.isEmpty ? "none" : found.joined(separator: ", ")) + ")"
    }
  }
}
