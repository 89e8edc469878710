import Exploration
import KernelModel
import ListenerModels

/// `fanmc bench`: fixed scenario families parameterised by size, explored with and without the
/// reduction, with throughput and memory figures. Benchmarks measure; tests never time anything.
public enum Benchmark {
  /// One family member: applications × operations × pages, with or without a freezer.
  public struct Size: Hashable, Sendable, CustomStringConvertible {
    public var apps: Int
    public var operations: Int
    public var pages: Int
    public var freezer: Bool

    public init(apps: Int, operations: Int, pages: Int, freezer: Bool) {
      self.apps = apps
      self.operations = operations
      self.pages = pages
      self.freezer = freezer
    }

    public var description: String {
      "\(apps)x\(operations)x\(pages)" + (freezer ? "+freeze" : "")
    }
  }

  /// What one size measured.
  public struct Row: Sendable {
    public var family: String
    public var size: Size
    public var verdict: String
    public var states: Int
    public var transitions: Int
    public var unreducedTransitions: Int
    public var seconds: Double
    public var statesPerSecond: Double
    public var peakMemoryBytes: Int

    /// Peak resident memory per stored state: an upper bound on what a state costs.
    public var bytesPerState: Int { states == 0 ? 0 : peakMemoryBytes / states }
    /// Transitions explored without sleep sets per transition explored with them.
    public var transitionReduction: Double {
      transitions == 0 ? 1 : Double(unreducedTransitions) / Double(transitions)
    }
  }

  /// The families: HSM readers and writers, then the same with a freezer.
  public static let families: [(name: String, sizes: [Size])] = [
    (
      "hsm-any-access",
      [
        Size(apps: 2, operations: 1, pages: 2, freezer: false),
        Size(apps: 2, operations: 2, pages: 2, freezer: false),
        Size(apps: 3, operations: 1, pages: 2, freezer: false),
      ]
    ),
    (
      "hsm-any-access-freeze",
      [
        Size(apps: 2, operations: 1, pages: 2, freezer: true),
        Size(apps: 2, operations: 2, pages: 2, freezer: true),
      ]
    ),
  ]

  /// The kernel configuration of one size: one stub file of `pages` pages watched by a filling
  /// HSM; each application opens it and then, `operations` times, reads or writes any page.
  public static func config(_ size: Size) -> KernelConfig {
    let page = Fanotify.pageSize
    var choices: [Syscall] = []
    for p in 0..<size.pages {
      choices.append(.pread(slot: 0, offset: p * page, count: 100))
      choices.append(.pwrite(slot: 0, offset: p * page, count: 10))
    }
    var tasks = (0..<size.apps).map { a in
      TaskSpec(
        name: "app\(a + 1)",
        program: [Instruction(.open(file: 0, flags: .O_RDWR, slot: 0))]
          + Array(
            repeating: Instruction(choices[0], or: Array(choices.dropFirst())),
            count: size.operations),
        fdNames: ["fd"])
    }
    if size.freezer {
      tasks.append(
        TaskSpec(
          name: "freezer", program: [Instruction(.freeze), Instruction(.thaw)], fdNames: []))
    }
    return KernelConfig(
      profile: .v6_18, filesystem: Filesystem.named("ext4")!,
      files: [FileSpec(name: "data", content: Array(repeating: .remote, count: size.pages))],
      groups: [GroupSpec(name: "hsm", groupClass: .preContent, listener: FillListener())],
      marks: [Mark(group: 0, object: .inode(file: 0), mask: .FAN_PRE_ACCESS)], tasks: tasks)
  }

  /// Explores one size with and without sleep sets.
  public static func measure(family: String, size: Size, config: ExplorationConfig) throws
    -> Row
  {
    let system = try KernelSystem(config: Self.config(size))
    var reduced = config
    reduced.sleepSets = true
    var unreduced = config
    unreduced.sleepSets = false
    let r = try Explorer(system: system, config: reduced).run()
    let u = try Explorer(system: system, config: unreduced).run()
    // Known gaps are `sometimes` properties: not reaching one is no violation.
    let found = r.violations.filter { !KernelSystem.gapPropertyIDs.contains($0.propertyID) }
    let verdict = !r.isComplete ? "incomplete" : found.isEmpty ? "no-violation" : "violation"
    return Row(
      family: family, size: size, verdict: verdict, states: r.stats.states,
      transitions: r.stats.transitions, unreducedTransitions: u.stats.transitions,
      seconds: r.stats.seconds, statesPerSecond: r.stats.statesPerSecond,
      peakMemoryBytes: max(r.stats.peakMemoryBytes, u.stats.peakMemoryBytes))
  }

  /// The text table of `fanmc bench`.
  public static func render(_ rows: [Row]) -> String {
    var out = [
      "family                 size            verdict       states  transitions  unreduced  "
        + "reduction  states/s   seconds  peak MiB  B/state"
    ]
    for r in rows {
      let mib = Double(r.peakMemoryBytes) / 1_048_576
      out.append(
        r.family.rightPadded(to: 23) + r.size.description.rightPadded(to: 16)
          + r.verdict.rightPadded(to: 13) + "\(r.states)".leftPadded(to: 7, with: " ")
          + "\(r.transitions)".leftPadded(to: 13, with: " ")
          + "\(r.unreducedTransitions)".leftPadded(to: 11, with: " ")
          + fixed(r.transitionReduction, 2).leftPadded(to: 10, with: " ") + "x"
          + "\(Int(r.statesPerSecond))".leftPadded(to: 10, with: " ")
          + fixed(r.seconds, 3).leftPadded(to: 10, with: " ")
          + fixed(mib, 1).leftPadded(to: 10, with: " ")
          + "\(r.bytesPerState)".leftPadded(to: 9, with: " "))
    }
    out.append("")
    out.append(
      "reduction: transitions explored without sleep sets per transition with them (sleep sets "
        + "keep every state); B/state: peak RSS per stored state (an upper bound).")
    return out.joined(separator: "\n")
  }

  static func fixed(_ x: Double, _ digits: Int) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let v = (x * scale).rounded() / scale
    let whole = Int(v)
    var frac = "\(Int(((v - Double(whole)) * scale).rounded()))"
    while frac.count < digits { frac = "0" + frac }
    return "\(whole).\(frac)"
  }

  /// fanmc and SPIN on the same size.
  public struct Comparison: Sendable {
    public var fanmc: Row
    public var spin: SpinComparison.Result

    public init(fanmc: Row, spin: SpinComparison.Result) {
      self.fanmc = fanmc
      self.spin = spin
    }

    /// SPIN's time to verdict (build and search) divided by fanmc's: above 1, fanmc is faster.
    public var speedup: Double { fanmc.seconds == 0 ? 0 : spin.seconds / fanmc.seconds }
    /// SPIN's search alone divided by fanmc's search.
    public var searchSpeedup: Double {
      fanmc.seconds == 0 ? 0 : spin.searchSeconds / fanmc.seconds
    }
  }

  /// The side-by-side table of `fanmc bench --vs-spin`.
  public static func render(_ comparisons: [Comparison]) -> String {
    var out = [
      "vs SPIN 6 (spin -a; gcc -O2 -DSAFETY; pan, SPIN's partial-order reduction on). SPIN's time to",
      "verdict = build (spin -a + gcc) + search; ratios above 1 mean fanmc reached the verdict sooner.",
      "family          size        fanmc states  fanmc s   spin states  build s  search s  total ratio  search ratio",
    ]
    for c in comparisons {
      out.append(
        c.fanmc.family.rightPadded(to: 16) + c.fanmc.size.description.rightPadded(to: 12)
          + "\(c.fanmc.states)".leftPadded(to: 12, with: " ")
          + fixed(c.fanmc.seconds, 3).leftPadded(to: 10, with: " ")
          + "\(c.spin.states)".leftPadded(to: 14, with: " ")
          + fixed(c.spin.buildSeconds, 3).leftPadded(to: 9, with: " ")
          + fixed(c.spin.searchSeconds, 3).leftPadded(to: 10, with: " ")
          + fixed(c.speedup, 2).leftPadded(to: 12, with: " ") + "x"
          + fixed(c.searchSpeedup, 2).leftPadded(to: 13, with: " ") + "x")
    }
    return out.joined(separator: "\n")
  }

  struct JSONRow: Codable {
    var family: String
    var size: String
    var verdict: String
    var states: Int
    var transitions: Int
    var unreducedTransitions: Int
    var transitionReduction: Double
    var seconds: Double
    var statesPerSecond: Double
    var peakMemoryBytes: Int
    var bytesPerState: Int
  }

  struct JSONSide: Codable {
    var seconds: Double
    var states: Int
    var searchSeconds: Double?
  }

  struct JSONComparison: Codable {
    var family: String
    var size: String
    var fanmc: JSONSide
    var spin: JSONSide
  }

  /// The JSON of `fanmc bench --format json`: `{"families": [...], "comparisons": [...]}`.
  public static func json(_ rows: [Row], _ comparisons: [Comparison] = []) -> String {
    struct Output: Codable {
      var families: [JSONRow]
      var comparisons: [JSONComparison]
    }
    return JSONRenderer.encode(
      Output(
        families: rows.map {
          JSONRow(
            family: $0.family, size: $0.size.description, verdict: $0.verdict,
            states: $0.states, transitions: $0.transitions,
            unreducedTransitions: $0.unreducedTransitions,
            transitionReduction: $0.transitionReduction, seconds: $0.seconds,
            statesPerSecond: $0.statesPerSecond, peakMemoryBytes: $0.peakMemoryBytes,
            bytesPerState: $0.bytesPerState)
        },
        comparisons: comparisons.map {
          JSONComparison(
            family: $0.fanmc.family, size: $0.fanmc.size.description,
            fanmc: JSONSide(seconds: $0.fanmc.seconds, states: $0.fanmc.states, searchSeconds: nil),
            spin: JSONSide(
              seconds: $0.spin.seconds, states: $0.spin.states,
              searchSeconds: $0.spin.searchSeconds))
        }))
  }
}
