import Exploration
import KernelModel
import ListenerModels

/// `fanmc bench`: fixed scenario families parameterised by size, explored with the reductions
/// (persistent sets and symmetry) and, where it fits, without them, with throughput and memory
/// figures. Benchmarks measure; tests never time anything.
public enum Benchmark {
  /// One family member: applications × operations × pages, with or without a freezer.
  public struct Size: Hashable, Sendable, CustomStringConvertible {
    public var apps: Int
    public var operations: Int
    public var pages: Int
    public var freezer: Bool
    /// Also explore without persistent sets and symmetry (sizes where that fits in minutes).
    public var plain: Bool
    /// Byte-precise content at work: the file ends 1000 bytes into its last page, and each read
    /// and write starts inside a page, so writes split pages into runs.
    public var partial = false
    /// Each operation may also be an `ftruncate` whose length differs between applications
    /// (`Benchmark.truncateLength`), so their programs differ and symmetry folds nothing.
    public var truncating = false
    /// The state bound this member needs when it is above the default (`--max-states`: a
    /// larger one given there still wins).
    public var maxStates: Int? = nil

    public init(
      apps: Int, operations: Int, pages: Int, freezer: Bool, plain: Bool = true,
      partial: Bool = false, truncating: Bool = false, maxStates: Int? = nil
    ) {
      self.apps = apps
      self.operations = operations
      self.pages = pages
      self.freezer = freezer
      self.plain = plain
      self.partial = partial
      self.truncating = truncating
      self.maxStates = maxStates
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
    /// States and transitions of the reduced search (persistent sets and symmetry).
    public var states: Int
    public var transitions: Int
    /// States of the plain search (sleep sets only, which keep every state); nil if not run.
    public var plainStates: Int?
    /// Time to verdict of the reduced search.
    public var seconds: Double
    public var statesPerSecond: Double
    public var peakMemoryBytes: Int
    /// Bytes of the visited table per stored state (its slots, empty ones included).
    public var tableBytesPerState: Double

    public init(
      family: String, size: Size, verdict: String, states: Int, transitions: Int,
      plainStates: Int?, seconds: Double, statesPerSecond: Double, peakMemoryBytes: Int,
      tableBytesPerState: Double = 0
    ) {
      self.family = family
      self.size = size
      self.verdict = verdict
      self.states = states
      self.transitions = transitions
      self.plainStates = plainStates
      self.seconds = seconds
      self.statesPerSecond = statesPerSecond
      self.peakMemoryBytes = peakMemoryBytes
      self.tableBytesPerState = tableBytesPerState
    }

    /// Peak resident memory per stored state: an upper bound on what a state costs.
    public var bytesPerState: Int { states == 0 ? 0 : peakMemoryBytes / states }
    /// Plain states per reduced state.
    public var stateReduction: Double? {
      plainStates.map { states == 0 ? 1 : Double($0) / Double(states) }
    }
  }

  /// The families: HSM readers and writers, then the same with a freezer, then on a partial file,
  /// then two different applications that also truncate. The largest member of the first is the
  /// one SPIN needs more than a minute for.
  public static let families: [(name: String, sizes: [Size])] = [
    (
      "hsm-any-access",
      [
        Size(apps: 2, operations: 1, pages: 2, freezer: false),
        Size(apps: 2, operations: 2, pages: 2, freezer: false),
        Size(apps: 3, operations: 1, pages: 2, freezer: false),
        Size(apps: 3, operations: 2, pages: 2, freezer: false, plain: false),
        Size(apps: 4, operations: 1, pages: 2, freezer: false, plain: false),
        Size(apps: 4, operations: 1, pages: 3, freezer: false, plain: false),
      ]
    ),
    (
      "hsm-any-access-freeze",
      [
        Size(apps: 2, operations: 1, pages: 2, freezer: true),
        Size(apps: 2, operations: 2, pages: 2, freezer: true),
      ]
    ),
    (
      // The cost of byte-precise content: hsm-any-access's sizes on a partial file with
      // unaligned accesses (compare row by row).
      "hsm-partial-pages",
      [
        Size(apps: 2, operations: 1, pages: 2, freezer: false, partial: true),
        Size(apps: 2, operations: 2, pages: 2, freezer: false, partial: true),
        Size(apps: 3, operations: 1, pages: 2, freezer: false, partial: true),
        Size(apps: 3, operations: 2, pages: 2, freezer: false, plain: false, partial: true),
      ]
    ),
    (
      // Where symmetry cannot carry the result: two applications whose programs differ (each
      // truncates to its own length), each reading, writing or truncating a four-page file.
      "hsm-rw-truncate",
      [
        Size(apps: 2, operations: 1, pages: 4, freezer: false, truncating: true),
        Size(apps: 2, operations: 2, pages: 4, freezer: false, truncating: true),
        Size(
          apps: 2, operations: 3, pages: 4, freezer: false, plain: false, truncating: true,
          maxStates: 10_000_000),
      ]
    ),
  ]

  /// The states SPIN stored at each size (as measured for the README, reduced and with
  /// -DNOREDUCE), so that `bench --vs-spin` sizes its hash table without a calibrating run; a
  /// size missing here, or a count that changed, is calibrated (`SpinComparison.run`).
  public static func spinStates(family: String, size: Size, reduction: Bool) -> Int? {
    let known: [String: (reduced: Int, unreduced: Int?)] = [
      "hsm-any-access 2x1x2": (4170, 5330), "hsm-any-access 2x2x2": (65282, 74982),
      "hsm-any-access 3x1x2": (205608, 341144), "hsm-any-access 3x2x2": (7_145_406, nil),
      "hsm-any-access 4x1x2": (9_060_938, nil), "hsm-any-access 4x1x3": (47_338_466, nil),
      "hsm-rw-truncate 2x1x4": (22385, 29412), "hsm-rw-truncate 2x2x4": (1_530_094, 1_800_817),
      "hsm-rw-truncate 2x3x4": (13_729_828, nil),
    ]
    let entry = known["\(family) \(size)"]
    return reduction ? entry?.reduced : entry?.unreduced
  }

  /// The Promela model of a family for `fanmc bench --vs-spin`, relative to the repository root
  /// (run with `spin -a -DAPPS= -DOPS= -DPAGES=`), or nil when it has none.
  public static func spinModel(family: String) -> String? {
    ["hsm-any-access", "hsm-rw-truncate"].contains(family)
      ? "Scenarios/benchmarks/\(family).pml" : nil
  }

  /// The length application `app` (from 0) truncates to in a truncating size: the first to
  /// half the file, a page boundary (the event has count 0: nothing to fill; the stubs past it
  /// are gone, and reads there return 0), every other one to half a page short of the initial
  /// size (the event reports the last page, which the listener fills before the truncate cuts
  /// its tail; after a shrink this extends the file with a hole, not a stub).
  public static func truncateLength(app: Int, pages: Int) -> Int {
    let page = Fanotify.pageSize
    return app == 0 ? pages / 2 * page : pages * page - page / 2
  }

  /// The kernel configuration of one size: one stub file of `pages` pages watched by a filling
  /// HSM; each application opens it and then, `operations` times, reads or writes any page (at
  /// its start, or for a partial size 1000 and 2000 bytes into it, the file 1000 bytes short of
  /// whole pages). In a truncating size each operation may instead `ftruncate` the file to the
  /// application's `truncateLength`.
  public static func config(_ size: Size) -> KernelConfig {
    let page = Fanotify.pageSize
    let (readAt, writeAt) = size.partial ? (1000, 2000) : (0, 0)
    var choices: [Syscall] = []
    for p in 0..<size.pages {
      choices.append(.pread(slot: 0, offset: p * page + readAt, count: 100))
      choices.append(.pwrite(slot: 0, offset: p * page + writeAt, count: 10))
    }
    var tasks = (0..<size.apps).map { a in
      let own =
        choices
        + (size.truncating
          ? [.ftruncate(slot: 0, length: truncateLength(app: a, pages: size.pages))] : [])
      return TaskSpec(
        name: "app\(a + 1)",
        program: [Instruction(.open(file: 0, flags: .O_RDWR, slot: 0))]
          + Array(
            repeating: Instruction(own[0], or: Array(own.dropFirst())), count: size.operations),
        fdNames: ["fd"])
    }
    if size.freezer {
      tasks.append(
        TaskSpec(
          name: "freezer", program: [Instruction(.freeze), Instruction(.thaw)], fdNames: []))
    }
    return KernelConfig(
      profile: .v6_18, filesystem: Filesystem.named("ext4")!,
      files: [
        FileSpec(
          name: "data", size: size.pages * page - (size.partial ? 1000 : 0),
          content: Array(repeating: .remote, count: size.pages))
      ],
      groups: [
        GroupSpec(name: "hsm", groupClass: .preContent, listener: ListenerLibrary.builtin("fill"))
      ],
      marks: [Mark(group: 0, object: .inode(file: 0), mask: .FAN_PRE_ACCESS)], tasks: tasks)
  }

  /// Explores one size with persistent sets and symmetry (the time to verdict) and, if the size
  /// says so, with sleep sets alone (the plain state count).
  public static func measure(family: String, size: Size, config: ExplorationConfig) throws
    -> Row
  {
    let system = try KernelSystem(config: Self.config(size))
    // One thread: the reductions are sequential (`--workers` is for the parallel table).
    var reduced = config
    reduced.workers = 1
    reduced.persistentSets = true
    reduced.symmetry = true
    if let need = size.maxStates { reduced.maxStates = max(reduced.maxStates, need) }
    let r = try Explorer(system: system, config: reduced).run()
    var plainStates: Int? = nil
    if size.plain {
      var plain = reduced
      plain.persistentSets = false
      plain.symmetry = false
      let p = try Explorer(system: system, config: plain).run()
      plainStates = p.isComplete ? p.stats.states : nil
    }
    // Known gaps and the size bound are `sometimes` properties: not reaching one is no violation.
    let found = r.violations.filter { !KernelSystem.reachabilityIDs.contains($0.propertyID) }
    let verdict = !r.isComplete ? "incomplete" : found.isEmpty ? "no-violation" : "violation"
    return Row(
      family: family, size: size, verdict: verdict, states: r.stats.states,
      transitions: r.stats.transitions, plainStates: plainStates, seconds: r.stats.seconds,
      statesPerSecond: r.stats.statesPerSecond, peakMemoryBytes: r.stats.peakMemoryBytes,
      tableBytesPerState: r.stats.bytesPerState)
  }

  /// The text table of `fanmc bench`.
  public static func render(_ rows: [Row]) -> String {
    var out = [
      "family                 size            verdict        states  transitions  plain states  "
        + "reduction  states/s   seconds  peak MiB  B/state  table B/state"
    ]
    for r in rows {
      let mib = Double(r.peakMemoryBytes) / 1_048_576
      out.append(
        r.family.rightPadded(to: 23) + r.size.description.rightPadded(to: 16)
          + r.verdict.rightPadded(to: 13) + "\(r.states)".leftPadded(to: 8, with: " ")
          + "\(r.transitions)".leftPadded(to: 13, with: " ")
          + (r.plainStates.map { "\($0)" } ?? "-").leftPadded(to: 14, with: " ")
          + (r.stateReduction.map { fixed($0, 2) + "x" } ?? "-").leftPadded(to: 11, with: " ")
          + "\(Int(r.statesPerSecond))".leftPadded(to: 10, with: " ")
          + fixed(r.seconds, 3).leftPadded(to: 10, with: " ")
          + fixed(mib, 1).leftPadded(to: 10, with: " ")
          + "\(r.bytesPerState)".leftPadded(to: 9, with: " ")
          + fixed(r.tableBytesPerState, 1).leftPadded(to: 15, with: " "))
    }
    out.append("")
    out.append(
      "states, transitions, states/s, seconds: with persistent sets and symmetry (--reduce "
        + "persistent,symmetry); plain states: with sleep sets only, which keep every state "
        + "(- where that takes too long); reduction: plain states per reduced state; peak MiB: "
        + "the process's peak RSS so far; B/state: peak RSS per stored state (an upper bound); "
        + "table B/state: bytes of the visited table per stored state.")
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

  /// The side-by-side table of `fanmc bench --vs-spin`: time to verdict, each with its
  /// reductions.
  public static func render(_ comparisons: [Comparison]) -> String {
    var out = [
      "vs SPIN 6, time to verdict. fanmc: persistent sets and symmetry, one thread. SPIN: spin -a;",
      "gcc -O2 -DSAFETY -DCOLLAPSE; pan -mSTACK -wBITS, sized to the search (its partial-order",
      "reduction on); time to verdict = build (spin -a + gcc) + search. Ratios above 1: fanmc sooner.",
      "family          size        fanmc states  fanmc s  fanmc st/s   spin states     -m  -w  build s  "
        + "search s  spin st/s  total ratio  search ratio",
    ]
    for c in comparisons {
      out.append(
        c.fanmc.family.rightPadded(to: 16) + c.fanmc.size.description.rightPadded(to: 12)
          + "\(c.fanmc.states)".leftPadded(to: 12, with: " ")
          + fixed(c.fanmc.seconds, 3).leftPadded(to: 9, with: " ")
          + "\(Int(c.fanmc.statesPerSecond))".leftPadded(to: 12, with: " ")
          + "\(c.spin.states)".leftPadded(to: 14, with: " ")
          + "\(c.spin.stack)".leftPadded(to: 7, with: " ")
          + "\(c.spin.hashBits)".leftPadded(to: 4, with: " ")
          + fixed(c.spin.buildSeconds, 3).leftPadded(to: 9, with: " ")
          + fixed(c.spin.searchSeconds, 3).leftPadded(to: 10, with: " ")
          + "\(Int(c.spin.statesPerSecond))".leftPadded(to: 11, with: " ")
          + (fixed(c.speedup, 2) + "x").leftPadded(to: 13, with: " ")
          + (fixed(c.searchSpeedup, 2) + "x").leftPadded(to: 14, with: " "))
    }
    return out.joined(separator: "\n")
  }

  /// One size explored without any reduction by fanmc (`--reduce none`, one thread) and by SPIN
  /// (-DNOREDUCE): the cost of a state.
  public struct Unreduced: Codable, Sendable {
    public var family: String
    public var size: String
    public var fanmcStates: Int
    public var fanmcSeconds: Double
    public var spinStates: Int
    public var spinSeconds: Double

    public init(
      family: String, size: String, fanmcStates: Int, fanmcSeconds: Double, spinStates: Int,
      spinSeconds: Double
    ) {
      self.family = family
      self.size = size
      self.fanmcStates = fanmcStates
      self.fanmcSeconds = fanmcSeconds
      self.spinStates = spinStates
      self.spinSeconds = spinSeconds
    }

    public var fanmcRate: Double { fanmcSeconds == 0 ? 0 : Double(fanmcStates) / fanmcSeconds }
    public var spinRate: Double { spinSeconds == 0 ? 0 : Double(spinStates) / spinSeconds }
    /// fanmc's states per second over SPIN's: above 1, fanmc handles a state faster.
    public var rateRatio: Double { spinRate == 0 ? 0 : fanmcRate / spinRate }
  }

  /// Explores one size with no reduction on one thread (fanmc's side of `Unreduced`).
  public static func measureUnreduced(size: Size, config: ExplorationConfig) throws -> (
    states: Int, seconds: Double
  ) {
    var none = config
    none.workers = 1
    none.sleepSets = false
    none.persistentSets = false
    none.symmetry = false
    let r = try Explorer(system: try KernelSystem(config: Self.config(size)), config: none).run()
    guard r.isComplete else { throw RunError.internal("\(size): the unreduced run hit a bound") }
    return (r.stats.states, r.stats.seconds)
  }

  /// The per-state table of `fanmc bench --vs-spin`.
  public static func render(_ unreduced: [Unreduced]) -> String {
    var out = [
      "per state, without reduction (fanmc --reduce none, one thread; SPIN -DNOREDUCE -DCOLLAPSE,",
      "sized as above): search time only. Ratio above 1: fanmc stores states faster than SPIN.",
      "family          size        fanmc states  fanmc s  fanmc st/s   spin states   spin s  "
        + "spin st/s  rate ratio",
    ]
    for u in unreduced {
      out.append(
        u.family.rightPadded(to: 16) + u.size.rightPadded(to: 12)
          + "\(u.fanmcStates)".leftPadded(to: 12, with: " ")
          + fixed(u.fanmcSeconds, 3).leftPadded(to: 9, with: " ")
          + "\(Int(u.fanmcRate))".leftPadded(to: 12, with: " ")
          + "\(u.spinStates)".leftPadded(to: 14, with: " ")
          + fixed(u.spinSeconds, 3).leftPadded(to: 9, with: " ")
          + "\(Int(u.spinRate))".leftPadded(to: 11, with: " ")
          + (fixed(u.rateRatio, 2) + "x").leftPadded(to: 12, with: " "))
    }
    return out.joined(separator: "\n")
  }

  struct JSONRow: Codable {
    var family: String
    var size: String
    var verdict: String
    var states: Int
    var transitions: Int
    var plainStates: Int?
    var stateReduction: Double?
    var seconds: Double
    var statesPerSecond: Double
    var peakMemoryBytes: Int
    var bytesPerState: Int
    var tableBytesPerState: Double
  }

  struct JSONSide: Codable {
    var seconds: Double
    var states: Int
    var searchSeconds: Double?
    var statesPerSecond: Double
    /// SPIN's sized `pan -m` and `-w`, and how many runs calibrated them.
    var stack: Int?
    var hashBits: Int?
    var calibrations: Int?
  }

  struct JSONComparison: Codable {
    var family: String
    var size: String
    var fanmc: JSONSide
    var spin: JSONSide
  }

  /// The JSON of `fanmc bench --format json`: `{"families": [...], "comparisons": [...]}`.
  public static func json(
    _ rows: [Row], _ parallel: [ParallelRow] = [], _ comparisons: [Comparison] = [],
    _ unreduced: [Unreduced] = []
  ) -> String {
    struct Output: Codable {
      var families: [JSONRow]
      var parallel: [ParallelRow]
      var comparisons: [JSONComparison]
      var unreduced: [Unreduced]
    }
    return JSONRenderer.encode(
      Output(
        families: rows.map {
          JSONRow(
            family: $0.family, size: $0.size.description, verdict: $0.verdict,
            states: $0.states, transitions: $0.transitions, plainStates: $0.plainStates,
            stateReduction: $0.stateReduction, seconds: $0.seconds,
            statesPerSecond: $0.statesPerSecond, peakMemoryBytes: $0.peakMemoryBytes,
            bytesPerState: $0.bytesPerState, tableBytesPerState: $0.tableBytesPerState)
        },
        parallel: parallel,
        comparisons: comparisons.map {
          JSONComparison(
            family: $0.fanmc.family, size: $0.fanmc.size.description,
            fanmc: JSONSide(
              seconds: $0.fanmc.seconds, states: $0.fanmc.states, searchSeconds: nil,
              statesPerSecond: $0.fanmc.statesPerSecond),
            spin: JSONSide(
              seconds: $0.spin.seconds, states: $0.spin.states,
              searchSeconds: $0.spin.searchSeconds, statesPerSecond: $0.spin.statesPerSecond,
              stack: $0.spin.stack, hashBits: $0.spin.hashBits,
              calibrations: $0.spin.calibrations))
        }, unreduced: unreduced))
  }

  /// One size explored by depth-first search with one set of reductions, on one thread and on
  /// `workers`.
  public struct ParallelRow: Codable, Sendable {
    public var family: String
    public var size: String
    /// `none`, `symmetry` or `persistent,symmetry`.
    public var reduction: String
    public var workers: Int
    /// States and transitions on one thread, and on `workers`.
    public var states: Int
    public var transitions: Int
    public var parallelStates: Int
    public var parallelTransitions: Int
    public var sequentialSeconds: Double
    public var parallelSeconds: Double
    /// Both runs stored the same states and took the same transitions.
    public var exact: Bool { states == parallelStates && transitions == parallelTransitions }

    public var speedup: Double { parallelSeconds == 0 ? 0 : sequentialSeconds / parallelSeconds }
  }

  /// The sizes and reductions the parallel speed-up is measured on: without reduction at
  /// moderate sizes, and with symmetry and with persistent sets and symmetry (the time to
  /// verdict) at larger ones.
  public static let parallelSizes: [(family: String, size: Size, reduction: String)] = [
    ("hsm-any-access", Size(apps: 3, operations: 1, pages: 2, freezer: false), "none"),
    ("hsm-any-access-freeze", Size(apps: 2, operations: 2, pages: 2, freezer: true), "none"),
    ("hsm-any-access", Size(apps: 3, operations: 2, pages: 2, freezer: false), "symmetry"),
    (
      "hsm-any-access", Size(apps: 3, operations: 2, pages: 2, freezer: false),
      "persistent,symmetry"
    ),
    (
      "hsm-any-access", Size(apps: 4, operations: 1, pages: 3, freezer: false),
      "persistent,symmetry"
    ),
    (
      "hsm-any-access-freeze", Size(apps: 2, operations: 2, pages: 2, freezer: true),
      "persistent,symmetry"
    ),
  ]

  /// Explores one size with `reduction` on one thread, then on `workers`.
  public static func measureParallel(
    family: String, size: Size, reduction: String, workers: Int, config: ExplorationConfig
  ) throws -> ParallelRow {
    let system = try KernelSystem(config: Self.config(size))
    var sequential = config
    sequential.sleepSets = false
    sequential.persistentSets = reduction.contains("persistent")
    sequential.symmetry = reduction.contains("symmetry")
    sequential.workers = 1
    var parallel = sequential
    parallel.workers = workers
    let one = try Explorer(system: system, config: sequential).run()
    let many = try Explorer(system: system, config: parallel).run()
    guard one.isComplete && many.isComplete else {
      throw RunError.internal("\(family) \(size): a parallel benchmark run hit a bound")
    }
    return ParallelRow(
      family: family, size: size.description, reduction: reduction, workers: workers,
      states: one.stats.states, transitions: one.stats.transitions,
      parallelStates: many.stats.states, parallelTransitions: many.stats.transitions,
      sequentialSeconds: one.stats.seconds, parallelSeconds: many.stats.seconds)
  }

  /// The parallel table of `fanmc bench`.
  public static func render(_ parallel: [ParallelRow]) -> String {
    var out = [
      "parallel depth-first search (--workers N), sleep sets off:",
      "family                 size            reduction            workers   states  "
        + "N-thread states  1 thread s  N threads s  speed-up",
    ]
    for p in parallel {
      let states =
        p.exact
        ? "same"
        : "\(p.parallelStates) (+"
          + fixed(
            Double(p.parallelStates - p.states) * 100 / Double(max(p.states, 1)), 1) + "%)"
      out.append(
        p.family.rightPadded(to: 23) + p.size.rightPadded(to: 16)
          + p.reduction.rightPadded(to: 19)
          + "\(p.workers)".leftPadded(to: 9, with: " ")
          + "\(p.states)".leftPadded(to: 9, with: " ")
          + states.leftPadded(to: 17, with: " ")
          + fixed(p.sequentialSeconds, 3).leftPadded(to: 12, with: " ")
          + fixed(p.parallelSeconds, 3).leftPadded(to: 13, with: " ")
          + (fixed(p.speedup, 2) + "x").leftPadded(to: 10, with: " "))
    }
    out.append(
      "same: the same states and transitions on one thread and on N. With symmetry a few more "
        + "states may be stored on N threads (a state's representative depends on which member "
        + "of its orbit is met first); with persistent sets, a reduced state whose step reaches "
        + "a state open on any thread is expanded fully (the cycle proviso over every thread).")
    return out.joined(separator: "\n")
  }
}
