import Exploration

// Toy transition systems with known behaviour, shared by the test targets.
//
// Footprints name shared variables and locks by small object ids. A task's program counter and its
// private registers are not in footprints: only the task itself reads or writes them, and two
// steps of one task are never treated as independent.

// MARK: - Two-lock inversion

/// Two tasks take locks A and B in opposite orders, then release them: the classic ABBA deadlock.
///
/// Task 0: lock A, lock B, unlock B, unlock A. Task 1: lock B, lock A, unlock A, unlock B.
public struct TwoLockInversion: TransitionSystem {
  /// A lock; its raw value is its object id.
  public enum Lock: Int, Hashable, Sendable, CustomStringConvertible {
    case a = 0
    case b = 1

    public var description: String { self == .a ? "A" : "B" }
  }

  public enum Label: Hashable, Sendable, CustomStringConvertible {
    case lock(Lock)
    case unlock(Lock)

    public var description: String {
      switch self {
      case .lock(let lock): "lock(\(lock))"
      case .unlock(let lock): "unlock(\(lock))"
      }
    }
  }

  public struct State: Hashable, Sendable {
    /// Program counters; 4 = finished.
    public var pc: [UInt8] = [0, 0]
    /// The task holding each lock (indexed by `Lock.rawValue`), or -1.
    public var holder: [Int8] = [-1, -1]

    /// The initial state.
    public init() {}
  }

  static let programs: [[Label]] = [
    [.lock(.a), .lock(.b), .unlock(.b), .unlock(.a)],
    [.lock(.b), .lock(.a), .unlock(.a), .unlock(.b)],
  ]

  public init() {}

  public var taskCount: Int { 2 }
  public func taskName(_ task: Int) -> String { "T\(task)" }
  public func initialStates() -> [State] { [State()] }

  public func transitions(from state: State) -> [Transition<Label>] {
    var result: [Transition<Label>] = []
    for task in 0..<2 where state.pc[task] < 4 {
      let label = Self.programs[task][Int(state.pc[task])]
      switch label {
      case .lock(let lock):
        guard state.holder[lock.rawValue] == -1 else { continue }
        result.append(Transition(task: task, label: label, footprint: Self.footprint(lock)))
      case .unlock(let lock):
        result.append(Transition(task: task, label: label, footprint: Self.footprint(lock)))
      }
    }
    return result
  }

  public func apply(_ transition: Transition<Label>, to state: State) -> State {
    var next = state
    switch transition.label {
    case .lock(let lock): next.holder[lock.rawValue] = Int8(transition.task)
    case .unlock(let lock): next.holder[lock.rawValue] = -1
    }
    next.pc[transition.task] += 1
    return next
  }

  public func unfinishedTasks(in state: State) -> [Int] {
    (0..<2).filter { state.pc[$0] < 4 }
  }

  public func encode(_ state: State, into encoder: inout StateEncoder) {
    for pc in state.pc { encoder.append(pc) }
    for holder in state.holder { encoder.append(Int(holder)) }
  }

  public var properties: [Property<State>] { [] }

  private static func footprint(_ lock: Lock) -> Footprint {
    Footprint(writes: ObjectSet([lock.rawValue]))
  }
}

// MARK: - Peterson

/// Peterson's mutual exclusion for two processes that loop forever (the state graph has cycles).
///
/// Process i: `flag[i] = true` (pc 0→1); `turn = 1 - i` (1→2); wait until
/// `!flag[1 - i] || turn == i`, then enter the critical section (2→3); `flag[i] = false` and go
/// back (3→0). Properties: "mutex" (always: not both in the critical section) and "both-want"
/// (sometimes: both flags raised).
public struct Peterson: TransitionSystem {
  public enum Label: Hashable, Sendable, CustomStringConvertible {
    case raiseFlag
    case yieldTurn
    case enter
    case leave

    public var description: String {
      switch self {
      case .raiseFlag: "flag[self]=1"
      case .yieldTurn: "turn=other"
      case .enter: "enter"
      case .leave: "flag[self]=0"
      }
    }
  }

  public struct State: Hashable, Sendable {
    public var pc: [UInt8] = [0, 0]
    public var flag: [Bool] = [false, false]
    public var turn: UInt8 = 0

    /// The initial state.
    public init() {}
  }

  /// Object ids: flag[0], flag[1], turn.
  static let turnObject = 2

  public init() {}

  public var taskCount: Int { 2 }
  public func taskName(_ task: Int) -> String { "P\(task)" }
  public func initialStates() -> [State] { [State()] }

  public func transitions(from state: State) -> [Transition<Label>] {
    var result: [Transition<Label>] = []
    for task in 0..<2 {
      let other = 1 - task
      switch state.pc[task] {
      case 0:
        result.append(
          Transition(task: task, label: .raiseFlag, footprint: Footprint(writes: ObjectSet([task])))
        )
      case 1:
        result.append(
          Transition(
            task: task, label: .yieldTurn,
            footprint: Footprint(writes: ObjectSet([Self.turnObject]))))
      case 2:
        if !state.flag[other] || state.turn == UInt8(task) {
          result.append(
            Transition(
              task: task, label: .enter,
              footprint: Footprint(reads: ObjectSet([other, Self.turnObject]))))
        }
      default:
        result.append(
          Transition(task: task, label: .leave, footprint: Footprint(writes: ObjectSet([task]))))
      }
    }
    return result
  }

  public func apply(_ transition: Transition<Label>, to state: State) -> State {
    var next = state
    let task = transition.task
    switch transition.label {
    case .raiseFlag:
      next.flag[task] = true
      next.pc[task] = 1
    case .yieldTurn:
      next.turn = UInt8(1 - task)
      next.pc[task] = 2
    case .enter:
      next.pc[task] = 3
    case .leave:
      next.flag[task] = false
      next.pc[task] = 0
    }
    return next
  }

  /// The processes loop forever; none must finish.
  public func unfinishedTasks(in state: State) -> [Int] { [] }

  public func encode(_ state: State, into encoder: inout StateEncoder) {
    for pc in state.pc { encoder.append(pc) }
    for flag in state.flag { encoder.append(flag) }
    encoder.append(state.turn)
  }

  public var properties: [Property<State>] {
    [
      .always("mutex", "at most one process is in its critical section") {
        !($0.pc[0] == 3 && $0.pc[1] == 3)
      },
      .sometimes("both-want", "both processes want to enter at once") {
        $0.flag[0] && $0.flag[1]
      },
    ]
  }
}

// MARK: - Dining philosophers

/// `n` philosophers around `n` forks; each takes its left fork, then its right one, eats, releases
/// the right fork, then the left one, and is done. Deadlocks when everyone holds a left fork.
///
/// Philosopher i's left fork is fork i (object id i), its right fork is fork (i + 1) % n. The state
/// packs the program counters, 4 bits each (0 thinking, 1 has left, 2 has both, 3 has eaten,
/// 4 released right, 5 done); fork ownership follows from them. Properties: "neighbours-eat"
/// (never: two neighbours hold both forks at once) and "all-done" (sometimes).
public struct DiningPhilosophers: TransitionSystem {
  public enum Label: UInt8, Hashable, Sendable, CustomStringConvertible {
    case takeLeft
    case takeRight
    case eat
    case releaseRight
    case releaseLeft

    public var description: String {
      switch self {
      case .takeLeft: "take-left"
      case .takeRight: "take-right"
      case .eat: "eat"
      case .releaseRight: "release-right"
      case .releaseLeft: "release-left"
      }
    }
  }

  public struct State: Hashable, Sendable {
    /// Program counter of philosopher i in bits 4i..<4i+4.
    public var pcs: UInt64 = 0

    /// The initial state.
    public init() {}

    public func pc(_ i: Int) -> Int { Int((pcs >> UInt64(4 * i)) & 0xF) }

    mutating func advance(_ i: Int) { pcs += 1 << UInt64(4 * i) }
  }

  public let n: Int

  public init(n: Int) {
    precondition(n >= 2 && n <= 16, "2...16 philosophers")
    self.n = n
  }

  public var taskCount: Int { n }
  public func taskName(_ task: Int) -> String { "phil\(task)" }
  public func initialStates() -> [State] { [State()] }

  /// True when philosopher i holds its left fork.
  private func holdsLeft(_ state: State, _ i: Int) -> Bool { (1...4).contains(state.pc(i)) }
  /// True when philosopher i holds its right fork.
  private func holdsRight(_ state: State, _ i: Int) -> Bool { (2...3).contains(state.pc(i)) }

  public func transitions(from state: State) -> [Transition<Label>] {
    var result: [Transition<Label>] = []
    result.reserveCapacity(n)
    for i in 0..<n {
      let left = i
      let right = (i + 1) % n
      let label: Label
      let fork: Int?
      switch state.pc(i) {
      case 0:
        guard !holdsRight(state, (i + n - 1) % n) else { continue }
        (label, fork) = (.takeLeft, left)
      case 1:
        guard !holdsLeft(state, right) else { continue }
        (label, fork) = (.takeRight, right)
      case 2: (label, fork) = (.eat, nil)
      case 3: (label, fork) = (.releaseRight, right)
      case 4: (label, fork) = (.releaseLeft, left)
      default: continue
      }
      let footprint = fork.map { Footprint(writes: ObjectSet([$0])) } ?? Footprint()
      result.append(Transition(task: i, label: label, footprint: footprint))
    }
    return result
  }

  public func apply(_ transition: Transition<Label>, to state: State) -> State {
    var next = state
    next.advance(transition.task)
    return next
  }

  public func unfinishedTasks(in state: State) -> [Int] {
    (0..<n).filter { state.pc($0) < 5 }
  }

  public func encode(_ state: State, into encoder: inout StateEncoder) {
    encoder.append(state.pcs)
  }

  public var properties: [Property<State>] {
    let n = self.n
    return [
      .never("neighbours-eat", "two neighbours hold both their forks at once") { state in
        (0..<n).contains {
          (2...3).contains(state.pc($0)) && (2...3).contains(state.pc(($0 + 1) % n))
        }
      },
      .sometimes("all-done", "every philosopher has eaten and released both forks") { state in
        (0..<n).allSatisfy { state.pc($0) == 5 }
      },
    ]
  }
}

// MARK: - Counters

/// Two tasks each increment a shared `x` as two steps, `tmp = x` then `x = tmp + 1`: an update
/// can be lost.
///
/// Property "lost-update" (never): both tasks are done and `x == 1`.
public struct RacyCounter: TransitionSystem {
  public enum Label: Hashable, Sendable, CustomStringConvertible {
    case read
    case write

    public var description: String { self == .read ? "tmp=x" : "x=tmp+1" }
  }

  public struct State: Hashable, Sendable {
    public var x: UInt8 = 0
    /// Each task's private register.
    public var tmp: [UInt8] = [0, 0]
    /// 0 before the read, 1 before the write, 2 done.
    public var pc: [UInt8] = [0, 0]

    /// The initial state.
    public init() {}
  }

  static let x = 0

  public init() {}

  public var taskCount: Int { 2 }
  public func taskName(_ task: Int) -> String { "T\(task)" }
  public func initialStates() -> [State] { [State()] }

  public func transitions(from state: State) -> [Transition<Label>] {
    var result: [Transition<Label>] = []
    for task in 0..<2 {
      switch state.pc[task] {
      case 0:
        result.append(
          Transition(task: task, label: .read, footprint: Footprint(reads: ObjectSet([Self.x]))))
      case 1:
        result.append(
          Transition(task: task, label: .write, footprint: Footprint(writes: ObjectSet([Self.x]))))
      default:
        break
      }
    }
    return result
  }

  public func apply(_ transition: Transition<Label>, to state: State) -> State {
    var next = state
    let task = transition.task
    switch transition.label {
    case .read: next.tmp[task] = state.x
    case .write: next.x = state.tmp[task] + 1
    }
    next.pc[task] += 1
    return next
  }

  public func unfinishedTasks(in state: State) -> [Int] {
    (0..<2).filter { state.pc[$0] < 2 }
  }

  public func encode(_ state: State, into encoder: inout StateEncoder) {
    encoder.append(state.x)
    for tmp in state.tmp { encoder.append(tmp) }
    for pc in state.pc { encoder.append(pc) }
  }

  public var properties: [Property<State>] {
    [
      .never("lost-update", "both increments are done but x is 1") {
        $0.pc[0] == 2 && $0.pc[1] == 2 && $0.x == 1
      }
    ]
  }
}

/// `RacyCounter` with the increment inside a lock: lock, `tmp = x`, `x = tmp + 1`, unlock. No
/// update is lost.
public struct LockedCounter: TransitionSystem {
  public enum Label: Hashable, Sendable, CustomStringConvertible {
    case lock
    case read
    case write
    case unlock

    public var description: String {
      switch self {
      case .lock: "lock(L)"
      case .read: "tmp=x"
      case .write: "x=tmp+1"
      case .unlock: "unlock(L)"
      }
    }
  }

  public struct State: Hashable, Sendable {
    public var x: UInt8 = 0
    public var tmp: [UInt8] = [0, 0]
    /// 0 lock, 1 read, 2 write, 3 unlock, 4 done.
    public var pc: [UInt8] = [0, 0]
    /// The task holding L, or -1.
    public var holder: Int8 = -1

    /// The initial state.
    public init() {}
  }

  static let x = 0
  static let lock = 1

  public init() {}

  public var taskCount: Int { 2 }
  public func taskName(_ task: Int) -> String { "T\(task)" }
  public func initialStates() -> [State] { [State()] }

  public func transitions(from state: State) -> [Transition<Label>] {
    var result: [Transition<Label>] = []
    for task in 0..<2 {
      let step: (Label, Footprint)
      switch state.pc[task] {
      case 0:
        guard state.holder == -1 else { continue }
        step = (.lock, Footprint(writes: ObjectSet([Self.lock])))
      case 1: step = (.read, Footprint(reads: ObjectSet([Self.x])))
      case 2: step = (.write, Footprint(writes: ObjectSet([Self.x])))
      case 3: step = (.unlock, Footprint(writes: ObjectSet([Self.lock])))
      default: continue
      }
      result.append(Transition(task: task, label: step.0, footprint: step.1))
    }
    return result
  }

  public func apply(_ transition: Transition<Label>, to state: State) -> State {
    var next = state
    let task = transition.task
    switch transition.label {
    case .lock: next.holder = Int8(task)
    case .read: next.tmp[task] = state.x
    case .write: next.x = state.tmp[task] + 1
    case .unlock: next.holder = -1
    }
    next.pc[task] += 1
    return next
  }

  public func unfinishedTasks(in state: State) -> [Int] {
    (0..<2).filter { state.pc[$0] < 4 }
  }

  public func encode(_ state: State, into encoder: inout StateEncoder) {
    encoder.append(state.x)
    for tmp in state.tmp { encoder.append(tmp) }
    for pc in state.pc { encoder.append(pc) }
    encoder.append(Int(state.holder))
  }

  public var properties: [Property<State>] {
    [
      .never("lost-update", "both increments are done but x is 1") {
        $0.pc[0] == 4 && $0.pc[1] == 4 && $0.x == 1
      }
    ]
  }
}

/// `RacyCounter` whose steps all claim an empty footprint, which is a lie: a read and the other
/// task's write do not commute. `checkIndependence` must catch it.
public struct LyingRacyCounter: TransitionSystem {
  public typealias State = RacyCounter.State
  public typealias Label = RacyCounter.Label

  private let honest = RacyCounter()

  public init() {}

  public var taskCount: Int { honest.taskCount }
  public func taskName(_ task: Int) -> String { honest.taskName(task) }
  public func initialStates() -> [State] { honest.initialStates() }

  public func transitions(from state: State) -> [Transition<Label>] {
    honest.transitions(from: state).map {
      Transition(task: $0.task, label: $0.label, footprint: Footprint())
    }
  }

  public func apply(_ transition: Transition<Label>, to state: State) -> State {
    honest.apply(transition, to: state)
  }

  public func unfinishedTasks(in state: State) -> [Int] { honest.unfinishedTasks(in: state) }

  public func encode(_ state: State, into encoder: inout StateEncoder) {
    honest.encode(state, into: &encoder)
  }

  public var properties: [Property<State>] { honest.properties }
}

// MARK: - Nondeterministic choice

/// A writer that nondeterministically stores 1 or 2 into `x` (two alternatives of one step), and a
/// reader that copies `x` into `y`.
///
/// Property "copied-two" (never): `y == 2`, violated by schedule `0.1,1`. Property "x-is-one"
/// (sometimes): `x == 1`.
public struct NondeterministicWriter: TransitionSystem {
  public enum Label: Hashable, Sendable, CustomStringConvertible {
    case write(UInt8)
    case copy

    public var description: String {
      switch self {
      case .write(let value): "x=\(value)"
      case .copy: "y=x"
      }
    }
  }

  public struct State: Hashable, Sendable {
    public var x: UInt8 = 0
    public var y: UInt8 = 0
    public var writerDone = false
    public var readerDone = false

    /// The initial state.
    public init() {}
  }

  static let x = 0
  static let y = 1

  public init() {}

  public var taskCount: Int { 2 }
  public func taskName(_ task: Int) -> String { task == 0 ? "writer" : "reader" }
  public func initialStates() -> [State] { [State()] }

  public func transitions(from state: State) -> [Transition<Label>] {
    var result: [Transition<Label>] = []
    if !state.writerDone {
      for value: UInt8 in [1, 2] {
        result.append(
          Transition(
            task: 0, label: .write(value), footprint: Footprint(writes: ObjectSet([Self.x]))))
      }
    }
    if !state.readerDone {
      result.append(
        Transition(
          task: 1, label: .copy,
          footprint: Footprint(reads: ObjectSet([Self.x]), writes: ObjectSet([Self.y]))))
    }
    return result
  }

  public func apply(_ transition: Transition<Label>, to state: State) -> State {
    var next = state
    switch transition.label {
    case .write(let value):
      next.x = value
      next.writerDone = true
    case .copy:
      next.y = state.x
      next.readerDone = true
    }
    return next
  }

  public func unfinishedTasks(in state: State) -> [Int] {
    [state.writerDone ? nil : 0, state.readerDone ? nil : 1].compactMap { $0 }
  }

  public func encode(_ state: State, into encoder: inout StateEncoder) {
    encoder.append(state.x)
    encoder.append(state.y)
    encoder.append(state.writerDone)
    encoder.append(state.readerDone)
  }

  public var properties: [Property<State>] {
    [
      .never("copied-two", "the reader copied the value 2") { $0.y == 2 },
      .sometimes("x-is-one", "x holds 1") { $0.x == 1 },
    ]
  }
}

// MARK: - Random shared-variable programs

/// A small deterministic pseudo-random generator (SplitMix64), so generated systems are the same
/// in every run.
public struct SplitMix64: RandomNumberGenerator, Sendable {
  private var state: UInt64

  public init(seed: UInt64) { state = seed }
  public init(state: UInt64) { self.state = state }

  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A value in `0..<bound`.
  public mutating func next(below bound: Int) -> Int {
    Int(next() % UInt64(bound))
  }
}

/// A few tasks running short programs over a few shared variables, generated from a seed: the
/// family of systems on which a reduction must agree exactly with the unreduced search.
///
/// Programs may block (await, acquire), deadlock, choose nondeterministically and loop (jumps),
/// so the state graphs have cycles and several alternatives per task. Footprints are honest by
/// construction. With `stableProperties`, the properties read ghost flags that a step sets from
/// what it did itself (it wrote 2 into variable 0 or 1, task 0 finished), so they are stable and
/// independent steps still commute; persistent sets then apply, with the union of a task's whole
/// program's footprints as its future footprint.
public struct RandomProgram: TransitionSystem {
  /// One instruction; variables hold values `0..<RandomProgram.values`.
  public enum Instruction: Hashable, Sendable {
    case assign(variable: Int, value: Int)
    case increment(variable: Int)
    case copy(from: Int, to: Int)
    /// Blocks until the variable holds the value.
    case await(variable: Int, value: Int)
    /// Blocks until the variable is 0, then sets it to the task's number + 1.
    case acquire(variable: Int)
    case release(variable: Int)
    /// Jumps to either target (two alternatives).
    case choose(Int, Int)
    case jump(Int)
  }

  /// A step: the task's program counter and, for `choose`, which branch.
  public struct Label: Hashable, Sendable, CustomStringConvertible {
    public var pc: Int
    public var branch: Int

    public var description: String { branch == 0 ? "pc\(pc)" : "pc\(pc).\(branch)" }
  }

  /// Variables and program counters, 4 bits each.
  public struct State: Hashable, Sendable {
    public var variables: UInt32 = 0
    public var pcs: UInt32 = 0
    /// With `stableProperties`: bit i set once property i's condition held.
    public var seen: UInt8 = 0

    /// The initial state.
    public init() {}

    public func variable(_ v: Int) -> Int { Int((variables >> UInt32(4 * v)) & 0xF) }
    public func pc(_ task: Int) -> Int { Int((pcs >> UInt32(4 * task)) & 0xF) }

    mutating func setVariable(_ v: Int, _ value: Int) {
      variables = variables & ~(0xF << UInt32(4 * v)) | UInt32(value) << UInt32(4 * v)
    }

    mutating func setPC(_ task: Int, _ value: Int) {
      pcs = pcs & ~(0xF << UInt32(4 * task)) | UInt32(value) << UInt32(4 * task)
    }
  }

  public static let values = 3

  public let seed: UInt64
  public let variableCount: Int
  public let programs: [[Instruction]]
  public let stableProperties: Bool

  /// Generates 2 or 3 tasks of 2 to 5 instructions over 2 or 3 variables.
  public init(seed: UInt64, stableProperties: Bool = false) {
    self.stableProperties = stableProperties
    var random = SplitMix64(seed: seed)
    let taskCount = 2 + random.next(below: 2)
    let variableCount = 2 + random.next(below: 2)
    var programs: [[Instruction]] = []
    for _ in 0..<taskCount {
      let length = 2 + random.next(below: 4)
      var program: [Instruction] = []
      for _ in 0..<length {
        let v = random.next(below: variableCount)
        let value = random.next(below: Self.values)
        switch random.next(below: 9) {
        case 0: program.append(.assign(variable: v, value: value))
        case 1: program.append(.increment(variable: v))
        case 2: program.append(.copy(from: v, to: random.next(below: variableCount)))
        case 3: program.append(.await(variable: v, value: value))
        case 4, 5:
          program.append(.acquire(variable: v))
        case 6: program.append(.release(variable: v))
        case 7:
          program.append(.choose(random.next(below: length + 1), random.next(below: length + 1)))
        default: program.append(.jump(random.next(below: length + 1)))
        }
      }
      programs.append(program)
    }
    self.seed = seed
    self.variableCount = variableCount
    self.programs = programs
  }

  public var taskCount: Int { programs.count }
  public func taskName(_ task: Int) -> String { "T\(task)" }
  public func initialStates() -> [State] { [State()] }

  public func transitions(from state: State) -> [Transition<Label>] {
    var result: [Transition<Label>] = []
    for (task, program) in programs.enumerated() {
      let pc = state.pc(task)
      guard pc < program.count else { continue }
      let label = Label(pc: pc, branch: 0)
      let footprint = Self.footprint(of: program[pc])
      switch program[pc] {
      case .assign, .increment, .release, .copy, .jump:
        result.append(Transition(task: task, label: label, footprint: footprint))
      case .await(let v, let value):
        if state.variable(v) == value {
          result.append(Transition(task: task, label: label, footprint: footprint))
        }
      case .acquire(let v):
        if state.variable(v) == 0 {
          result.append(Transition(task: task, label: label, footprint: footprint))
        }
      case .choose:
        result.append(Transition(task: task, label: label, footprint: footprint))
        result.append(
          Transition(task: task, label: Label(pc: pc, branch: 1), footprint: footprint))
      }
    }
    return result
  }

  static func footprint(of instruction: Instruction) -> Footprint {
    switch instruction {
    case .assign(let v, _), .increment(let v), .release(let v), .acquire(let v):
      return Footprint(writes: ObjectSet([v]))
    case .copy(let from, let to):
      return Footprint(reads: ObjectSet([from]), writes: ObjectSet([to]))
    case .await(let v, _):
      return Footprint(reads: ObjectSet([v]))
    case .choose, .jump:
      return Footprint()
    }
  }

  /// Every footprint of the task's program (jumps may reach any instruction); none once done.
  public func futureFootprint(ofTask task: Int, in state: State, frozen: [Int]) -> Footprint? {
    guard stableProperties else { return nil }
    guard state.pc(task) < programs[task].count else { return Footprint() }
    return programs[task].reduce(Footprint()) {
      let f = Self.footprint(of: $1)
      return Footprint(reads: $0.reads.union(f.reads), writes: $0.writes.union(f.writes))
    }
  }

  public func apply(_ transition: Transition<Label>, to state: State) -> State {
    var next = state
    let task = transition.task
    let pc = transition.label.pc
    var target = pc + 1
    switch programs[task][pc] {
    case .assign(let v, let value): next.setVariable(v, value)
    case .increment(let v): next.setVariable(v, (state.variable(v) + 1) % Self.values)
    case .copy(let from, let to): next.setVariable(to, state.variable(from))
    case .await: break
    case .acquire(let v): next.setVariable(v, min(task + 1, Self.values - 1))
    case .release(let v): next.setVariable(v, 0)
    case .choose(let first, let second): target = transition.label.branch == 0 ? first : second
    case .jump(let destination): target = destination
    }
    next.setPC(task, target)
    if stableProperties {
      let written = Self.footprint(of: programs[task][pc]).writes
      for v in 0..<2 where written.contains(v) && next.variable(v) == 2 {
        next.seen |= 1 << UInt8(v)
      }
      if task == 0 && target >= programs[0].count { next.seen |= 4 }
    }
    return next
  }

  public func unfinishedTasks(in state: State) -> [Int] {
    programs.indices.filter { state.pc($0) < programs[$0].count }
  }

  public func encode(_ state: State, into encoder: inout StateEncoder) {
    encoder.append(UInt64(state.variables))
    encoder.append(UInt64(state.pcs))
    encoder.append(state.seen)
  }

  public var properties: [Property<State>] {
    if stableProperties {
      return [
        Property.never("v0-written-2", "a step wrote 2 into variable 0") { $0.seen & 1 != 0 }
          .stable(),
        Property.always("v1-not-written-2", "no step wrote 2 into variable 1") {
          $0.seen & 2 == 0
        }.stable(),
        Property.sometimes("t0-done", "task 0 finished") { $0.seen & 4 != 0 }.stable(),
      ]
    }
    let firstLength = programs[0].count
    return [
      .never("v0-is-2-and-v1-is-1", "variable 0 holds 2 while variable 1 holds 1") {
        $0.variable(0) == 2 && $0.variable(1) == 1
      },
      .always("v1-not-2", "variable 1 never holds 2") { $0.variable(1) != 2 },
      .sometimes("t0-done-v0-1", "task 0 finished with variable 0 holding 1") {
        $0.pc(0) == firstLength && $0.variable(0) == 1
      },
    ]
  }

  private static func writes(_ v: Int) -> Footprint {
    Footprint(writes: ObjectSet([v]))
  }
}

/// `RacyCounter` with `n` identical tasks: each does `tmp = x`, then `x = tmp + 1`. Tasks are
/// interchangeable, so a state's representative sorts the tasks by (pc, tmp); its one property
/// is stable (it speaks of final states), so persistent sets apply as well.
public struct Incrementers: TransitionSystem {
  public typealias Label = RacyCounter.Label

  public struct State: Hashable, Sendable {
    public var x: UInt8 = 0
    public var tmp: [UInt8]
    /// 0 before the read, 1 before the write, 2 done.
    public var pc: [UInt8]
  }

  public let n: Int

  public init(n: Int) { self.n = n }

  public var taskCount: Int { n }
  public func taskName(_ task: Int) -> String { "T\(task)" }
  public func initialStates() -> [State] {
    [State(tmp: Array(repeating: 0, count: n), pc: Array(repeating: 0, count: n))]
  }

  public func transitions(from state: State) -> [Transition<Label>] {
    (0..<n).compactMap { task in
      switch state.pc[task] {
      case 0: Transition(task: task, label: .read, footprint: Footprint(reads: ObjectSet([0])))
      case 1: Transition(task: task, label: .write, footprint: Footprint(writes: ObjectSet([0])))
      default: nil
      }
    }
  }

  public func apply(_ transition: Transition<Label>, to state: State) -> State {
    var next = state
    let task = transition.task
    switch transition.label {
    case .read: next.tmp[task] = state.x
    case .write: next.x = state.tmp[task] &+ 1
    }
    next.pc[task] += 1
    return next
  }

  public func unfinishedTasks(in state: State) -> [Int] {
    (0..<n).filter { state.pc[$0] < 2 }
  }

  public func encode(_ state: State, into encoder: inout StateEncoder) {
    encoder.append(state.x)
    for tmp in state.tmp { encoder.append(tmp) }
    for pc in state.pc { encoder.append(pc) }
  }

  public func encodeRepresentative(_ state: State, into encoder: inout StateEncoder) -> [Int]? {
    let order = (0..<n).sorted {
      (state.pc[$0], state.tmp[$0], $0) < (state.pc[$1], state.tmp[$1], $1)
    }
    var permutation = Array(0..<n)
    for (rank, task) in order.enumerated() { permutation[task] = rank }
    encoder.append(state.x)
    for task in order { encoder.append(state.tmp[task]) }
    for task in order { encoder.append(state.pc[task]) }
    return permutation
  }

  /// A task that has not finished may still read and write x.
  public func futureFootprint(ofTask task: Int, in state: State, frozen: [Int]) -> Footprint? {
    state.pc[task] < 2 ? Footprint(reads: ObjectSet([0]), writes: ObjectSet([0])) : Footprint()
  }

  public var properties: [Property<State>] {
    let n = self.n
    return [
      Property.never("lost-update", "every increment is done but x is below the task count") {
        $0.pc.allSatisfy { $0 == 2 } && Int($0.x) < n
      }.stable()
    ]
  }
}
