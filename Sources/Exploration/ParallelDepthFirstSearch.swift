import Dispatch
import Synchronization

/// Depth-first search on `workers` threads sharing one visited set (`.dfs` with `workers` > 1).
///
/// One thread first explores breadth-first until there are `seedsPerWorker × workers` states
/// to expand. Each worker then takes seeds one at a time and searches depth-first from each,
/// storing states in the shared visited set (striped, one lock per stripe), so every reachable
/// state is stored and expanded exactly once: states and transitions are those of the
/// sequential search without reduction (`--reduce none`), whatever the timing. Each seed is
/// handed over as a copy of its own (`TransitionSystem.unshared`) and each worker works on a
/// replica of the system, so the threads share no reference-counted buffer: states derived from
/// one another share buffers copy-on-write, and two threads retaining the same buffers slow each
/// other down more than the second core gains (that is what limits parallel breadth-first
/// search, whose levels mix every thread's states).
///
/// Symmetry keys the shared visited set by each state's representative, as in the sequential
/// search, so the threads store one state per orbit: the sequential search's states and
/// transitions with symmetry alone.
///
/// Persistent sets: a state is expanded by the same persistent set as in the sequential search,
/// with the cycle proviso over every thread: a state is *open* from when it is stored until its
/// thread pops it (a seed until its worker has searched it), and a reduced state whose step
/// reaches an open state, on any thread's stack, is expanded fully. This is sound in any order
/// of the threads: in a cycle of reduced states, take the first one closed, s; its step to the
/// next state t was taken while s was open, and t was then new (and so pushed above s, and
/// closed before it), closed (before s), or open (and s was expanded fully). The counts differ
/// from the sequential search's, and vary with timing.
///
/// It is a proof engine. Which thread finds a counterexample first depends on timing, so when
/// any property is reported (a violation, a deadlock or a witness) the run is repeated by the
/// sequential search with the same reductions, and its deterministic result is returned. Sleep
/// sets are not used; compact storage is refused.
@usableFromInline
struct ParallelDepthFirstSearch<System: TransitionSystem>: Sendable {
  @usableFromInline
  typealias State = System.State
  @usableFromInline
  typealias Label = System.Label

  /// Seeds per worker: enough that a worker whose seeds run dry early finds more.
  @usableFromInline
  static var seedsPerWorker: Int { 64 }

  @usableFromInline
  let system: System
  @usableFromInline
  let config: ExplorationConfig
  @usableFromInline
  let initials: [State]

  @inlinable
  init(system: System, config: ExplorationConfig, initials: [State]) {
    self.system = system
    self.config = config
    self.initials = initials
  }

  /// What a worker (or the seeding phase) counted.
  @usableFromInline
  struct Tally: Sendable {
    @usableFromInline var states = 0
    @usableFromInline var transitions = 0
    @usableFromInline var maxDepth = 0
    @usableFromInline var found = false
    @usableFromInline var incomplete: Bound? = nil
    @usableFromInline var reducedStates = 0
    @usableFromInline var provisoExpansions = 0

    @inlinable init() {}
  }

  /// A state to search from, and its depth. (Named structs rather than tuples throughout: the
  /// compiler specializes them, while arrays of tuples go through the runtime's generic copies.)
  @usableFromInline
  struct Seed: Sendable {
    @usableFromInline var state: State
    @usableFromInline var depth: Int

    @inlinable init(_ state: State, depth: Int) {
      self.state = state
      self.depth = depth
    }
  }

  /// A state on a worker's stack: `enabled`, the steps to take (from `next` on); `rest`, a
  /// reduced frame's steps outside its persistent set, for the proviso; `key`, its fingerprint,
  /// to close it when it is popped (persistent sets only).
  @usableFromInline
  struct Frame {
    @usableFromInline var state: State
    @usableFromInline var key: Fingerprint
    @usableFromInline var enabled: [Transition<Label>]
    @usableFromInline var rest: [Transition<Label>]
    @usableFromInline var next = 0
    @usableFromInline var depth: Int

    @inlinable
    init(
      _ state: State, key: Fingerprint, enabled: [Transition<Label>],
      rest: [Transition<Label>] = [], depth: Int
    ) {
      self.state = state
      self.key = key
      self.enabled = enabled
      self.rest = rest
      self.depth = depth
    }
  }

  @inlinable
  func run() throws(ExplorationError) -> ExplorationResult<Label> {
    let budget = SearchBudget(config: config)
    let shared = SharedVisitedSet(stripes: 64)
    var monitor = PropertyMonitor<System>(properties: system.properties)
    var seeding = Tally()
    var frontier: [Seed] = []
    for initial in initials where shared.insert(fingerprint(initial, system)) {
      seeding.states += 1
      if visit(initial, depth: 0, monitor: &monitor, system: system, tally: &seeding) != nil {
        frontier.append(Seed(initial, depth: 0))
      }
    }
    // Breadth-first until there are enough seeds (or nothing is left, or something is found).
    let wanted = Self.seedsPerWorker * config.workers
    while !frontier.isEmpty && frontier.count < wanted && !seeding.found
      && seeding.incomplete == nil
    {
      var next: [Seed] = []
      for seed in frontier {
        let (state, depth) = (seed.state, seed.depth)
        for step in system.transitions(from: state) {
          let successor = system.apply(step, to: state)
          seeding.transitions += 1
          guard shared.insert(fingerprint(successor, system)) else { continue }
          seeding.states += 1
          if seeding.states > config.maxStates { seeding.incomplete = .states }
          if visit(successor, depth: depth + 1, monitor: &monitor, system: system, tally: &seeding)
            != nil
          {
            next.append(Seed(successor, depth: depth + 1))
          }
        }
      }
      frontier = next
    }
    let seeds = frontier.map { Seed(system.unshared($0.state), depth: $0.depth) }
    // Seeds stay open until searched; every state the seeding expanded was expanded fully.
    if config.persistentSets {
      for seed in seeds { shared.setOpen(fingerprint(seed.state, system), true) }
    }

    var tallies = [seeding]
    shared.stored.store(seeding.states, ordering: .relaxed)
    if !seeding.found && seeding.incomplete == nil && !seeds.isEmpty {
      tallies += search(seeds: seeds, shared: shared)
    }
    if tallies.contains(where: \.found) {
      var sequential = config
      sequential.workers = 1
      sequential.sleepSets = false
      var search = DepthFirstSearch(system: system, config: sequential, initials: initials)
      return try search.run()
    }
    var stats = Statistics()
    stats.states = tallies.reduce(0) { $0 + $1.states }
    stats.transitions = tallies.reduce(0) { $0 + $1.transitions }
    stats.maxDepth = tallies.map(\.maxDepth).max() ?? 0
    stats.reducedStates = tallies.reduce(0) { $0 + $1.reducedStates }
    stats.provisoExpansions = tallies.reduce(0) { $0 + $1.provisoExpansions }
    stats.close(elapsedSeconds: budget.elapsedSeconds)
    stats.visitedBytes = shared.allocatedBytes
    stats.bytesPerState =
      stats.states == 0 ? 0 : Double(stats.visitedBytes) / Double(stats.states)
    stats.bytesPerEntry = Double(MemoryLayout<ExactKey>.stride)
    let incomplete = tallies.lazy.compactMap(\.incomplete).first
    return ExplorationResult(
      incomplete: incomplete,
      violations: monitor.finalViolations(complete: incomplete == nil), witnesses: [],
      stats: stats)
  }

  /// Runs the workers over `seeds`; returns what each counted.
  @inlinable
  func search(seeds: [Seed], shared: SharedVisitedSet) -> [Tally] {
    let workers = config.workers
    let replicas = (0..<workers).map { _ in system.replica() }
    let tallies = ParallelSlots<Tally>(count: workers)
    let nextSeed = Atomic<Int>(0)
    let stop = Atomic<Bool>(false)
    let config = self.config
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
      let system = replicas[worker]
      var monitor = PropertyMonitor<System>(properties: system.properties)
      var tally = Tally()
      var budget = SearchBudget(config: config)
      // One line for the whole search: the first worker reports every thread's stored states
      // and the seeds not yet taken as the frontier.
      budget.reportsProgress = worker == 0
      var stack: [Frame] = []
      let proviso = config.persistentSets
      func push(_ state: State, _ key: Fingerprint, _ enabled: [Transition<Label>], depth: Int) {
        guard proviso, let chosen = system.persistentSet(state, enabled) else {
          stack.append(Frame(state, key: key, enabled: enabled, depth: depth))
          return
        }
        tally.reducedStates += 1
        var inSet = [Bool](repeating: false, count: enabled.count)
        for k in chosen { inSet[k] = true }
        let rest = enabled.indices.filter { !inSet[$0] }.map { enabled[$0] }
        stack.append(
          Frame(state, key: key, enabled: chosen.map { enabled[$0] }, rest: rest, depth: depth))
      }
      // Reads the top frame in place (`stack[top].field` copies the whole frame).
      func onTop<T>(_ read: (Frame) -> T) -> T {
        stack.withUnsafeBufferPointer { read($0[$0.count - 1]) }
      }
      func pop() {
        if proviso { shared.setOpen(stack.removeLast().key, false) } else { stack.removeLast() }
      }
      while !stop.load(ordering: .relaxed) {
        let k = nextSeed.wrappingAdd(1, ordering: .relaxed).oldValue
        guard k < seeds.count else { break }
        let seed = seeds[k]
        push(
          seed.state, fingerprint(seed.state, system), system.transitions(from: seed.state),
          depth: seed.depth)
        // Each successor is written into this one value (as in `DepthFirstSearch.run`).
        var successor = seed.state
        while let top = stack.indices.last {
          if stop.load(ordering: .relaxed) {
            stack.removeAll()
            break
          }
          guard let step = onTop({ $0.next < $0.enabled.count ? $0.enabled[$0.next] : nil }) else {
            pop()
            continue
          }
          stack[top].next += 1
          if let bound = budget.expanded(
            (
              shared.stored.load(ordering: .relaxed), stack.count,
              max(0, seeds.count - nextSeed.load(ordering: .relaxed))
            ))
          {
            tally.incomplete = bound
            stop.store(true, ordering: .relaxed)
            break
          }
          stack.withUnsafeBufferPointer {
            system.apply(step, to: $0[$0.count - 1].state, into: &successor)
          }
          tally.transitions += 1
          let key = fingerprint(successor, system)
          switch shared.insert(key, open: proviso) {
          case .inserted: break
          case .closed: continue
          case .open:
            // The cycle proviso: a reduced frame reached an open state.
            if !onTop({ $0.rest.isEmpty }) {
              stack[top].enabled += stack[top].rest
              stack[top].rest = []
              tally.provisoExpansions += 1
            }
            continue
          }
          tally.states += 1
          if shared.stored.add(1, ordering: .relaxed).newValue > config.maxStates {
            tally.incomplete = .states
            stop.store(true, ordering: .relaxed)
            break
          }
          if let bound = budget.stored() {
            tally.incomplete = bound
            stop.store(true, ordering: .relaxed)
            break
          }
          let depth = onTop { $0.depth } + 1
          guard
            let enabled = visit(
              successor, depth: depth, monitor: &monitor, system: system, tally: &tally)
          else {
            if proviso { shared.setOpen(key, false) }
            guard tally.found else { continue }
            stop.store(true, ordering: .relaxed)
            break
          }
          push(successor, key, enabled, depth: depth)
        }
        stack.removeAll()
      }
      tallies.set(worker, tally)
    }
    return tallies.values()
  }

  /// The key of `state` in the shared visited set: its representative's fingerprint with
  /// symmetry.
  @inlinable
  func fingerprint(_ state: State, _ system: System) -> Fingerprint {
    system.fingerprint(of: state, symmetry: config.symmetry).0
  }

  /// Checks a newly stored state; returns its steps when it is to be expanded. Whatever the
  /// sequential search would report or throw on there (a property, a deadlock, a step naming no
  /// task) sets `found`, and the sequential rerun then reports it with its path.
  @inlinable
  func visit(
    _ state: State, depth: Int, monitor: inout PropertyMonitor<System>, system: System,
    tally: inout Tally
  ) -> [Transition<Label>]? {
    tally.maxDepth = max(tally.maxDepth, depth)
    let enabled = system.transitions(from: state)
    if !monitor.reports(in: state, summary: system.propertySummary(of: state)).isEmpty
      || (enabled.isEmpty && !system.unfinishedTasks(in: state).isEmpty)
      || enabled.contains(where: { $0.task < 0 || $0.task >= system.taskCount })
    {
      tally.found = true
      return nil
    }
    guard !enabled.isEmpty else { return nil }
    if depth >= config.maxDepth {
      if tally.incomplete == nil { tally.incomplete = .depth }
      return nil
    }
    return enabled
  }
}

/// A visited set several threads insert into: `stripes` dense fingerprint tables, each behind
/// its own lock, chosen by the fingerprint's high word (the tables probe on the low word), with
/// the stripe's open states (persistent sets' cycle proviso) in a small set beside it.
/// (`@unchecked`: the stripes are only touched under their locks.)
@usableFromInline
final class SharedVisitedSet: @unchecked Sendable {
  @usableFromInline
  struct Stripe {
    @usableFromInline var keys = DenseKeyTable<ExactKey>()
    /// Stored states not yet closed: on a thread's stack, or seeds not yet searched.
    @usableFromInline var open: Set<Fingerprint> = []

    @usableFromInline init() {}
  }

  @usableFromInline let stripes: UnsafeMutablePointer<Mutex<Stripe>>
  @usableFromInline let count: Int
  /// States stored by the workers (for the states bound).
  @usableFromInline let stored = Atomic<Int>(0)

  @inlinable
  init(stripes count: Int) {
    self.count = count
    stripes = .allocate(capacity: count)
    for i in 0..<count { (stripes + i).initialize(to: Mutex(Stripe())) }
  }

  deinit {
    stripes.deinitialize(count: count)
    stripes.deallocate()
  }

  /// Stores `fingerprint`; true when it was new.
  @inlinable
  func insert(_ fingerprint: Fingerprint) -> Bool {
    insert(fingerprint, open: false) == .inserted
  }

  @usableFromInline
  enum Insertion { case inserted, open, closed }

  /// Stores `fingerprint`, open when `open`; says whether it was new, or else whether it is
  /// open.
  @inlinable
  func insert(_ fingerprint: Fingerprint, open: Bool) -> Insertion {
    let stripe = Int(truncatingIfNeeded: fingerprint.high % UInt64(count))
    return stripes[stripe].withLock { s in
      switch s.keys.insert(ExactKey(fingerprint), limit: .max) {
      case .inserted:
        if open { s.open.insert(fingerprint) }
        return .inserted
      case .found: return s.open.contains(fingerprint) ? .open : .closed
      case .full: return .closed
      }
    }
  }

  /// Marks the stored `fingerprint` open or closed.
  @inlinable
  func setOpen(_ fingerprint: Fingerprint, _ open: Bool) {
    let stripe = Int(truncatingIfNeeded: fingerprint.high % UInt64(count))
    stripes[stripe].withLock { s in
      if open { s.open.insert(fingerprint) } else { s.open.remove(fingerprint) }
    }
  }

  /// Bytes of every stripe's slot array.
  @usableFromInline
  var allocatedBytes: Int {
    (0..<count).reduce(0) { sum, i in sum + stripes[i].withLock { $0.keys.allocatedBytes } }
  }
}
