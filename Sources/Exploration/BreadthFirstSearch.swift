import Dispatch

/// Level-order search: every state is first reached by a shortest path, so every counterexample
/// and witness is a shortest one.
///
/// Only the current and the next level's states are kept; for each stored state the search keeps
/// its parent and the position of the step in the parent's transition list (8 bytes), and
/// rebuilds a path by re-executing those steps from the initial state. Sleep sets are not used:
/// their soundness argument relies on the depth-first order of exploration.
///
/// With `workers` > 1, the enabled steps, successors and fingerprints of a chunk of the current
/// level are computed on that many threads first; the chunk is then merged exactly as one thread
/// would (same order of stores, bounds and property checks), so every count and counterexample is
/// the same as with one worker.
///
/// With symmetry, states are keyed by their representatives (`TransitionSystem.fingerprint(of:
/// symmetry:)`), so one state of each symmetry class is expanded.
@usableFromInline
struct BreadthFirstSearch<System: TransitionSystem> {
  @usableFromInline
  typealias State = System.State
  @usableFromInline
  typealias Label = System.Label

  @usableFromInline
  let system: System
  @usableFromInline
  let config: ExplorationConfig
  @usableFromInline
  let initials: [State]

  @usableFromInline
  var table: VisitedSet
  @usableFromInline
  var monitor: PropertyMonitor<System>
  @usableFromInline
  var budget: SearchBudget
  /// Per state id (discovery order): the parent's id, or `-1 - i` for initial state `i`.
  @usableFromInline
  var parent: [Int32] = []
  /// Per state id: the position of the step in the parent's transition list.
  @usableFromInline
  var position: [UInt32] = []
  @usableFromInline
  var current: [State] = []
  @usableFromInline
  var next: [State] = []
  @usableFromInline
  var level = 0
  /// One replica of the system per worker (parallel search only).
  @usableFromInline
  var replicas: [System] = []

  @usableFromInline
  var stats = Statistics()
  @usableFromInline
  var incomplete: Bound?
  @usableFromInline
  var stopped = false

  @inlinable
  init(system: System, config: ExplorationConfig, initials: [State]) {
    self.system = system
    self.config = config
    self.initials = initials
    monitor = PropertyMonitor(properties: system.properties)
    budget = SearchBudget(config: config)
    table = VisitedSet(storage: config.storage, payloads: false)
  }

  /// Runs the search to the end or to a bound.
  @inlinable
  mutating func run() throws(ExplorationError) -> ExplorationResult<Label> {
    for (index, initial) in initials.enumerated() where !stopped {
      store(initial, parent: Int32(-1 - index), position: 0)
    }
    swap(&current, &next)
    var levelStart = 0
    // Small chunks keep the extra memory low and let small levels (and tests) span several.
    let chunk = 64 * config.workers
    while !stopped && !current.isEmpty {
      // `expand` appends to `next` only, so `current` can be read in place.
      if config.workers > 1 {
        if replicas.isEmpty { replicas = (0..<config.workers).map { _ in system.replica() } }
        var start = 0
        while start < current.count && !stopped {
          let end = min(start + chunk, current.count)
          let expansions = expandInParallel(current[start..<end], replicas: replicas)
          for offset in start..<end where !stopped {
            try expand(current[offset], id: levelStart + offset, expansions[offset - start])
          }
          start = end
        }
      } else {
        for offset in current.indices where !stopped {
          try expand(current[offset], id: levelStart + offset)
        }
      }
      levelStart += current.count
      level += 1
      swap(&current, &next)
      next.removeAll(keepingCapacity: true)
    }
    return finish()
  }

  /// What expanding one state computes before it touches the visited set.
  @usableFromInline
  struct Expansion: Sendable {
    @usableFromInline var enabled: [Transition<Label>]
    @usableFromInline var successors: [State]
    @usableFromInline var fingerprints: [Fingerprint]

    @inlinable
    init(enabled: [Transition<Label>], successors: [State], fingerprints: [Fingerprint]) {
      self.enabled = enabled
      self.successors = successors
      self.fingerprints = fingerprints
    }
  }

  /// The expansions of `states`, computed on `config.workers` threads, each on a contiguous
  /// share (siblings share buffers, so they stay on one thread) with its own replica of the
  /// system. Pure: it reads only the system.
  @inlinable
  func expandInParallel(_ states: ArraySlice<State>, replicas: [System]) -> [Expansion] {
    let slots = ParallelSlots<Expansion>(count: states.count)
    let workers = replicas.count
    let symmetry = config.symmetry
    let base = states.startIndex
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
      let system = replicas[worker]
      for i in (states.count * worker / workers)..<(states.count * (worker + 1) / workers) {
        let state = states[base + i]
        let enabled = system.transitions(from: state)
        let successors = enabled.map { system.apply($0, to: state) }
        slots.set(
          i,
          Expansion(
            enabled: enabled, successors: successors,
            fingerprints: successors.map { system.fingerprint(of: $0, symmetry: symmetry).0 }))
      }
    }
    return slots.values()
  }

  @inlinable
  mutating func expand(_ state: State, id: Int, _ expansion: Expansion? = nil)
    throws(ExplorationError)
  {
    let enabled = expansion?.enabled ?? system.transitions(from: state)
    if let bad = system.stepNamingNoTask(in: enabled) {
      throw system.invalidTransition(bad, schedule: path(to: id).schedule)
    }
    if enabled.isEmpty {
      let unfinished = system.unfinishedTasks(in: state)
      if !unfinished.isEmpty {
        stats.deadlockStates += 1
        monitor.recordDeadlock(path: path(to: id), unfinishedTasks: unfinished)
        if config.stopAtFirstViolation { stop(.violation) }
      }
      return
    }
    if level >= config.maxDepth {
      if incomplete == nil { incomplete = .depth }
      return
    }
    if config.checkIndependence {
      try system.verifyIndependence(
        at: state, enabled: enabled, schedule: { path(to: id).schedule })
    }
    if let bound = budget.expanded((stats.states, level, next.count)) {
      stop(bound)
      return
    }
    for (index, transition) in enabled.enumerated() where !stopped {
      let successor = expansion?.successors[index] ?? system.apply(transition, to: state)
      stats.transitions += 1
      store(
        successor, fingerprint: expansion?.fingerprints[index], parent: Int32(id),
        position: UInt32(index))
    }
  }

  /// Stores `state` if it is new, checks its properties, and queues it for the next level.
  @inlinable
  mutating func store(
    _ state: State, fingerprint: Fingerprint? = nil, parent: Int32, position: UInt32
  ) {
    let key = fingerprint ?? system.fingerprint(of: state, symmetry: config.symmetry).0
    switch table.insert(key, limit: config.maxStates) {
    case .found:
      return
    case .full:
      stop(.states)
      return
    case .inserted:
      break
    }
    let id = self.parent.count
    self.parent.append(parent)
    self.position.append(position)
    stats.states += 1
    let depth = parent < 0 ? 0 : level + 1
    stats.maxDepth = max(stats.maxDepth, depth)
    if let bound = budget.stored() { stop(bound) }
    let reports = monitor.reports(in: state, summary: system.propertySummary(of: state))
    if !reports.isEmpty && monitor.record(reports, path: path(to: id))
      && config.stopAtFirstViolation
    {
      stop(.violation)
    }
    next.append(state)
  }

  /// Rebuilds the path to state `id` by re-executing the recorded steps from its initial state.
  @inlinable
  func path(to id: Int) -> Path<Label> {
    var positions: [Int] = []
    var node = id
    while parent[node] >= 0 {
      positions.append(Int(position[node]))
      node = Int(parent[node])
    }
    let initial = Int(-1 - parent[node])
    var state = initials[initial]
    var choices: [Schedule.Choice] = []
    var taken: [Transition<Label>] = []
    for index in positions.reversed() {
      let enabled = system.transitions(from: state)
      let step = enabled[index]
      choices.append(Schedule.Choice(taking: index, in: enabled))
      taken.append(step)
      state = system.apply(step, to: state)
    }
    return Path(schedule: Schedule(initial: initial, choices: choices), transitions: taken)
  }

  /// Ends the run; the first bound that ends it is the one reported (it replaces `.depth`).
  @inlinable
  mutating func stop(_ bound: Bound) {
    guard !stopped else { return }
    incomplete = bound
    stopped = true
  }

  @inlinable
  func finish() -> ExplorationResult<Label> {
    monitor.result(incomplete: incomplete, stats: stats, budget: budget, table: table)
  }
}

/// Write-once result slots that worker threads fill at distinct indices.
@usableFromInline
final class ParallelSlots<Value: Sendable>: @unchecked Sendable {
  @usableFromInline let base: UnsafeMutablePointer<Value?>
  @usableFromInline let count: Int

  @inlinable
  init(count: Int) {
    self.count = count
    base = .allocate(capacity: count)
    base.initialize(repeating: nil, count: count)
  }

  deinit {
    base.deinitialize(count: count)
    base.deallocate()
  }

  /// Sets slot `index`; each index is written by one thread only, before `values()`.
  @inlinable
  func set(_ index: Int, _ value: Value) { base[index] = value }

  /// Every slot, after the threads that fill them have finished.
  @inlinable
  func values() -> [Value] { (0..<count).map { base[$0]! } }
}
