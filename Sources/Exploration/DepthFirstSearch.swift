/// Iterative depth-first search with a fingerprint visited set and sleep sets.
///
/// Sleep sets (Godefroid): a step that was explored from a state, or that was asleep there, and
/// that is independent of the step taken next, is put to sleep in the successor, which does not
/// take it again; the interleavings it would start are reached by the earlier order. With a
/// visited set this is only sound in its state-caching form: each stored state keeps the sleep set
/// it was explored with, Z. A later visit with sleep set Z' is skipped only when Z ⊆ Z'; otherwise
/// the steps of Z \ Z' are explored now (with Z' as the sleep set) and Z ∩ Z' is stored. So sleep
/// sets prune transitions, never states: every reachable state is still stored and checked.
///
/// With a compact storage (`.hashCompact`, `.bitstate`) there is no per-state payload, so the
/// search runs without sleep sets.
///
/// Symmetry: the visited set is keyed by the state's representative; stored sleep sets name
/// tasks by their ids in the representative, so a symmetric revisit compares like with like.
///
/// Persistent sets (without sleep sets): a state is expanded by the steps of a set of tasks
/// whose steps are independent of every step the other tasks may take while these wait
/// (`TransitionSystem.futureFootprint`); the smallest such set over all seeds is taken. A
/// reduced frame whose step reaches a state on the stack is then fully expanded (the cycle
/// proviso), so no step is ignored forever around a cycle.
///
/// Memory: the visited table (with `.exact`, 24-byte slots with sleep sets, else at most 23.7
/// bytes per state), the stored sleep sets (usually empty), and the
/// stack. Sleep sets of the frames on the stack live in one shared buffer, stored sleep sets in
/// another, so expanding a state allocates nothing beyond what the system itself returns.
@usableFromInline
struct DepthFirstSearch<System: TransitionSystem> {
  @usableFromInline
  typealias State = System.State
  @usableFromInline
  typealias Label = System.Label

  /// One state on the search stack.
  @usableFromInline
  struct Frame {
    @usableFromInline
    var state: State
    @usableFromInline
    var transitions: [Transition<Label>]
    /// Next position to consider: in `transitions` (first visit) or in the todo range (revisit).
    @usableFromInline
    var next = 0
    /// Position in `transitions` of the step that leads to the frame above.
    @usableFromInline
    var taken = 0
    /// Start of this frame's sleep set in `sleeping`; it ends where the frame above starts it.
    @usableFromInline
    var sleepStart: Int
    /// For a revisit, the positions to explore are `todo[todoStart..<todoEnd]`; -1 on a first
    /// visit (explore every position that is not asleep).
    @usableFromInline
    var todoStart = -1
    @usableFromInline
    var todoEnd = -1
    /// A first visit expanded by a persistent set: the cycle proviso may add the other steps.
    @usableFromInline
    var reduced = false

    @inlinable
    init(
      state: State, transitions: [Transition<Label>], sleepStart: Int, todoStart: Int = -1,
      todoEnd: Int = -1, reduced: Bool = false
    ) {
      self.state = state
      self.transitions = transitions
      self.sleepStart = sleepStart
      self.todoStart = todoStart
      self.todoEnd = todoEnd
      self.reduced = reduced
    }
  }

  /// A stored sleep-set member: a step is identified by its task and label.
  @usableFromInline
  struct SleepKey {
    @usableFromInline
    var task: Int
    @usableFromInline
    var label: Label

    @inlinable
    init(task: Int, label: Label) {
      self.task = task
      self.label = label
    }
  }

  /// Stored sleep sets are encoded in the visited table's payload as `offset << 24 | count`.
  @inlinable
  static var countBits: UInt64 { 24 }

  @usableFromInline
  let system: System
  @usableFromInline
  let config: ExplorationConfig
  @usableFromInline
  let initials: [State]
  /// `config.sleepSets`, but only with `.exact` storage: the state-caching sleep-set algorithm
  /// keeps each visited state's sleep set in the exact table's payload, which the compact
  /// storages do not have, and sleep sets without it would lose states.
  @usableFromInline
  let sleepSets: Bool
  /// `config.persistentSets`, when every property is stable.
  @usableFromInline
  let persistentSets: Bool
  /// Fingerprints of the states on the stack, for the cycle proviso (persistent sets only).
  @usableFromInline
  var onStack: Set<Fingerprint> = []
  @usableFromInline
  var stackFingerprints: [Fingerprint] = []

  @usableFromInline
  var table: VisitedSet
  @usableFromInline
  var monitor: PropertyMonitor<System>
  @usableFromInline
  var budget: SearchBudget
  @usableFromInline
  var stack: [Frame] = []
  /// Sleep sets of the frames on the stack, bottom to top, each a contiguous range.
  @usableFromInline
  var sleeping: [Transition<Label>] = []
  /// Sleep sets stored with visited states; ranges are addressed by the table payload.
  @usableFromInline
  var storedSleep: [SleepKey] = []
  /// Positions still to explore for revisited frames, bottom to top.
  @usableFromInline
  var todo: [Int] = []
  @usableFromInline
  var initialIndex = 0
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
    persistentSets =
      config.persistentSets && system.properties.allSatisfy(\.isStable)
    sleepSets = config.sleepSets && config.storage == .exact && !persistentSets
    monitor = PropertyMonitor(properties: system.properties)
    budget = SearchBudget(config: config)
    table = VisitedSet(storage: config.storage, payloads: sleepSets)
  }

  /// Runs the search to the end or to a bound.
  @inlinable
  mutating func run() throws(ExplorationError) -> ExplorationResult<Label> {
    for (index, initial) in initials.enumerated() where !stopped {
      initialIndex = index
      _ = try arrive(at: initial, sleepStart: sleeping.count)
      // Each successor is written into this one value: one already visited leaves its buffers
      // to the next (no allocation), a stored one shares them with its frame until changed.
      var successor = initial
      while !stopped, let top = stack.indices.last {
        guard let position = nextPosition(top) else {
          pop()
          continue
        }
        let step = frame(top) { $0.transitions[position] }
        stack[top].taken = position
        // Not through `frame`: a closure that captures the search costs 4% more here.
        stack.withUnsafeBufferPointer { system.apply(step, to: $0[top].state, into: &successor) }
        stats.transitions += 1
        let childStart = sleeping.count
        if sleepSets {
          for k in frame(top, { $0.sleepStart })..<childStart {
            let sleeper = sleeping[k]
            if sleeper.task != step.task && sleeper.footprint.isIndependent(of: step.footprint) {
              sleeping.append(sleeper)
            }
          }
        }
        if try !arrive(at: successor, sleepStart: childStart) {
          closeChild(of: top, childStart: childStart)
        }
      }
    }
    if stopped { stack.removeAll() }
    return finish()
  }

  // MARK: - Stack

  /// Reads frame `i` in place. (Reading a field as `stack[i].field` copied the whole frame, its
  /// state and steps, in the specialized search: a copy and a dozen reference counts a step.)
  @inlinable @inline(__always)
  func frame<T>(_ i: Int, _ read: (Frame) -> T) -> T {
    stack.withUnsafeBufferPointer { read($0[i]) }
  }

  /// The next position of the top frame to explore, advancing the frame past it; nil when done.
  @inlinable
  mutating func nextPosition(_ top: Int) -> Int? {
    let (todoStart, todoEnd, next) = frame(top) { ($0.todoStart, $0.todoEnd, $0.next) }
    if todoStart >= 0 {
      let k = todoStart + next
      guard k < todoEnd else { return nil }
      stack[top].next += 1
      return todo[k]
    }
    var position = next
    let count = frame(top) { $0.transitions.count }
    if sleepSets {
      let start = frame(top) { $0.sleepStart }
      while position < count && frame(top, { isAsleep($0.transitions[position], from: start) }) {
        position += 1
      }
    }
    guard position < count else { return nil }
    stack[top].next = position + 1
    return position
  }

  /// Pops the top frame; its step becomes asleep for the parent's later steps.
  @inlinable
  mutating func pop() {
    let frame = stack.removeLast()
    if persistentSets { onStack.remove(stackFingerprints.removeLast()) }
    if frame.todoStart >= 0 { todo.removeLast(todo.count - frame.todoStart) }
    if let parent = stack.indices.last {
      closeChild(of: parent, childStart: frame.sleepStart)
    } else {
      sleeping.removeLast(sleeping.count - frame.sleepStart)
    }
  }

  /// Discards the child's sleep set and puts the step the parent just explored to sleep.
  @inlinable
  mutating func closeChild(of parent: Int, childStart: Int) {
    sleeping.removeLast(sleeping.count - childStart)
    if sleepSets {
      sleeping.append(frame(parent) { $0.transitions[$0.taken] })
    }
  }

  @inlinable
  func isAsleep(_ transition: Transition<Label>, from start: Int) -> Bool {
    for k in start..<sleeping.count
    where sleeping[k].task == transition.task && sleeping[k].label == transition.label {
      return true
    }
    return false
  }

  /// Replaces the sleep set `sleeping[start...]` by its members enabled in `enabled` (with the
  /// footprints they have there) and returns its size.
  @inlinable
  mutating func restrictSleep(from start: Int, to enabled: [Transition<Label>]) -> Int {
    var kept = start
    for k in start..<sleeping.count {
      let sleeper = sleeping[k]
      if let match = enabled.first(where: { $0.task == sleeper.task && $0.label == sleeper.label })
      {
        sleeping[kept] = match
        kept += 1
      }
    }
    sleeping.removeLast(sleeping.count - kept)
    return kept - start
  }

  // MARK: - Arrival

  /// Handles arriving at `state` with the sleep set `sleeping[sleepStart...]`; returns true when
  /// a frame was pushed for it (the caller otherwise discards the sleep set).
  @inlinable
  mutating func arrive(at state: State, sleepStart: Int) throws(ExplorationError) -> Bool {
    let (fingerprint, permutation) = system.fingerprint(of: state, symmetry: config.symmetry)
    switch table.insert(fingerprint, limit: config.maxStates) {
    case .full:
      stop(.states)
      return false
    case .found(let slot):
      if persistentSets && onStack.contains(fingerprint) { expandFully() }
      guard sleepSets else { return false }
      return revisit(state, slot: slot, sleepStart: sleepStart, permutation: permutation)
    case .inserted(let slot):
      let pushed = try firstVisit(
        state, slot: slot, sleepStart: sleepStart, permutation: permutation)
      if pushed && persistentSets {
        onStack.insert(fingerprint)
        stackFingerprints.append(fingerprint)
      }
      return pushed
    }
  }

  /// The cycle proviso: the top frame's step reached a state on the stack, so if the frame was
  /// reduced, its other steps are explored too.
  @inlinable
  mutating func expandFully() {
    guard let top = stack.indices.last, stack[top].reduced else { return }
    stack[top].reduced = false
    var inSet = [Bool](repeating: false, count: stack[top].transitions.count)
    for k in stack[top].todoStart..<stack[top].todoEnd { inSet[todo[k]] = true }
    for position in inSet.indices where !inSet[position] { todo.append(position) }
    stats.provisoExpansions += 1
    stack[top].todoEnd = todo.count
  }

  /// The task id of `task` in the representative (itself without symmetry).
  @inlinable
  static func renamed(_ task: Int, _ permutation: [Int]?) -> Int {
    permutation?[task] ?? task
  }

  @inlinable
  mutating func firstVisit(
    _ state: State, slot: Int, sleepStart: Int, permutation: [Int]?
  ) throws(ExplorationError) -> Bool {
    let depth = stack.count
    stats.states += 1
    stats.maxDepth = max(stats.maxDepth, depth)
    if let bound = budget.stored() { stop(bound) }

    let enabled = system.transitions(from: state)
    if let bad = system.stepNamingNoTask(in: enabled) {
      throw system.invalidTransition(bad, schedule: currentPath().schedule)
    }
    if sleepSets && sleeping.count > sleepStart {
      let asleep = restrictSleep(from: sleepStart, to: enabled)
      if asleep > 0 {
        table[payload: slot] =
          UInt64(storedSleep.count) << Self.countBits | UInt64(asleep)
        for k in sleepStart..<sleeping.count {
          storedSleep.append(
            SleepKey(
              task: Self.renamed(sleeping[k].task, permutation), label: sleeping[k].label))
        }
        stats.sleptTransitions += asleep
      }
    }

    let reports = monitor.reports(in: state, summary: system.propertySummary(of: state))
    if !reports.isEmpty && monitor.record(reports, path: currentPath())
      && config.stopAtFirstViolation
    {
      stop(.violation)
    }
    if enabled.isEmpty {
      let unfinished = system.unfinishedTasks(in: state)
      if !unfinished.isEmpty {
        stats.deadlockStates += 1
        monitor.recordDeadlock(path: currentPath(), unfinishedTasks: unfinished)
        if config.stopAtFirstViolation { stop(.violation) }
      }
    }
    guard !stopped, !enabled.isEmpty else { return false }
    if depth >= config.maxDepth {
      if incomplete == nil { incomplete = .depth }
      return false
    }
    if config.checkIndependence {
      try system.verifyIndependence(
        at: state, enabled: enabled, schedule: { currentPath().schedule })
      if persistentSets {
        try system.verifyFutureFootprints(
          at: state, enabled: enabled, schedule: { currentPath().schedule })
      }
    }
    if let bound = budget.expanded((stats.states, stack.count, todo.count)) {
      stop(bound)
      return false
    }
    if persistentSets, let chosen = system.persistentSet(state, enabled) {
      let todoStart = todo.count
      todo.append(contentsOf: chosen)
      stats.reducedStates += 1
      stack.append(
        Frame(
          state: state, transitions: enabled, sleepStart: sleepStart, todoStart: todoStart,
          todoEnd: todo.count, reduced: true))
      return true
    }
    stack.append(Frame(state: state, transitions: enabled, sleepStart: sleepStart))
    return true
  }

  /// A visited state reached again with sleep set Z': explores the stored Z \ Z', stores Z ∩ Z'.
  @inlinable
  mutating func revisit(_ state: State, slot: Int, sleepStart: Int, permutation: [Int]?) -> Bool {
    let payload = table[payload: slot]
    let count = Int(payload & (1 << Self.countBits - 1))
    guard count > 0 else { return false }
    let offset = Int(payload >> Self.countBits)
    // Move the members of Z that are also in Z' to the front of Z's range.
    var kept = 0
    for k in offset..<(offset + count)
    where isAsleep(storedSleep[k], from: sleepStart, permutation: permutation) {
      storedSleep.swapAt(k, offset + kept)
      kept += 1
    }
    guard kept < count else { return false }
    if stack.count >= config.maxDepth {
      if incomplete == nil { incomplete = .depth }
      return false
    }
    table[payload: slot] = UInt64(offset) << Self.countBits | UInt64(kept)

    let enabled = system.transitions(from: state)
    _ = restrictSleep(from: sleepStart, to: enabled)
    let todoStart = todo.count
    for (position, transition) in enabled.enumerated() {
      for k in (offset + kept)..<(offset + count)
      where storedSleep[k].task == Self.renamed(transition.task, permutation)
        && storedSleep[k].label == transition.label
      {
        todo.append(position)
        break
      }
    }
    guard todo.count > todoStart else { return false }
    stats.sleptTransitions -= todo.count - todoStart
    if let bound = budget.expanded((stats.states, stack.count, todo.count)) {
      todo.removeLast(todo.count - todoStart)
      stop(bound)
      return false
    }
    stack.append(
      Frame(
        state: state, transitions: enabled, sleepStart: sleepStart, todoStart: todoStart,
        todoEnd: todo.count))
    return true
  }

  @inlinable
  func isAsleep(_ key: SleepKey, from start: Int, permutation: [Int]?) -> Bool {
    for k in start..<sleeping.count
    where Self.renamed(sleeping[k].task, permutation) == key.task
      && sleeping[k].label == key.label
    {
      return true
    }
    return false
  }

  // MARK: - Results

  /// The path from the initial state to the state being arrived at (the stack's taken steps).
  @inlinable
  func currentPath() -> Path<Label> {
    var choices: [Schedule.Choice] = []
    var taken: [Transition<Label>] = []
    choices.reserveCapacity(stack.count)
    taken.reserveCapacity(stack.count)
    for frame in stack {
      choices.append(Schedule.Choice(taking: frame.taken, in: frame.transitions))
      taken.append(frame.transitions[frame.taken])
    }
    return Path(schedule: Schedule(initial: initialIndex, choices: choices), transitions: taken)
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
