/// Random-walk sampling for `.random` and `.swarm`: many bounded walks, each a path of random
/// enabled steps from an initial state, checking properties on every state it visits.
///
/// A walk ends when no step is enabled (a deadlock is checked there), after `min(walkDepth,
/// maxDepth)` steps, or when a bound stops the run. The visited set only measures coverage:
/// revisited states are checked and walked through again, so a compact storage can undercount
/// coverage but never hides a violation on a visited state. Every counterexample is the walk's
/// own prefix, so its schedule replays exactly.
///
/// A swarm runs `swarmMembers` members one after another, each with its own seed (member 0 uses
/// `seed`, so it is the `.random` run; the others take successive SplitMix64 outputs of `seed`),
/// its own visited set (the swarm's states are the sum of its members') and, for members after
/// the first, a bias: each task gets a weight 2^j, j uniform in 0...4, and a step is chosen with
/// probability proportional to its task's weight. Members are independent, so a shard may run
/// only the members at `swarmShardIndex` - 1 modulo `swarmShardCount` and shards combine into
/// the whole swarm (`Statistics.foundByMember` says which member found each property first). The run is deterministic
/// (the generator is xoshiro256**, never the system's) and always incomplete: `Bound.sampling`
/// unless an earlier bound (states, time, memory, first violation) stopped it.
@usableFromInline
struct RandomWalkSearch<System: TransitionSystem> {
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
  @usableFromInline
  var stats = Statistics()
  @usableFromInline
  var incomplete: Bound?
  @usableFromInline
  var stopped = false
  /// The current walk: its initial state and the choices and steps taken so far.
  @usableFromInline
  var initialIndex = 0
  @usableFromInline
  var choices: [Schedule.Choice] = []
  @usableFromInline
  var taken: [Transition<Label>] = []
  /// The swarm member being run.
  @usableFromInline
  var member = 0

  @inlinable
  init(system: System, config: ExplorationConfig, initials: [State]) {
    self.system = system
    self.config = config
    self.initials = initials
    monitor = PropertyMonitor(properties: system.properties)
    budget = SearchBudget(config: config)
    table = VisitedSet(storage: config.storage, payloads: false)
  }

  /// Runs every member's walks, or until a bound stops the run.
  @inlinable
  mutating func run() throws(ExplorationError) -> ExplorationResult<Label> {
    let members = config.strategy == .swarm ? config.swarmMembers : 1
    var seeder = config.seed
    for member in 0..<members where !stopped {
      let seed = member == 0 ? config.seed : WalkRandom.splitMix(&seeder)
      // A shard runs its own members; each member keeps its own coverage, so that members
      // run anywhere add up to the same swarm.
      guard member % config.swarmShardCount == config.swarmShardIndex - 1 else { continue }
      self.member = member
      if config.strategy == .swarm { table = VisitedSet(storage: config.storage, payloads: false) }
      stats.seeds.append(seed)
      var random = WalkRandom(seed: seed)
      // Empty weights: uniform choice.
      var weights: [Int] = []
      if member > 0 {
        for _ in 0..<system.taskCount { weights.append(1 << random.next(below: 5)) }
      }
      for _ in 0..<config.walks where !stopped {
        try walk(&random, weights: weights)
        stats.walks += 1
      }
    }
    return finish()
  }

  /// One walk from a random initial state.
  @inlinable
  mutating func walk(_ random: inout WalkRandom, weights: [Int]) throws(ExplorationError) {
    initialIndex = initials.count == 1 ? 0 : random.next(below: initials.count)
    choices.removeAll(keepingCapacity: true)
    taken.removeAll(keepingCapacity: true)
    let length = min(config.walkDepth, config.maxDepth)
    var state = initials[initialIndex]
    while true {
      let enabled = system.transitions(from: state)
      if let bad = system.stepNamingNoTask(in: enabled) {
        throw system.invalidTransition(bad, schedule: currentPath().schedule)
      }
      try visit(state, enabled: enabled)
      guard !stopped, !enabled.isEmpty, choices.count < length else { return }
      if let bound = budget.expanded((stats.states, choices.count, 0)) {
        stop(bound)
        return
      }
      let position = choose(in: enabled, weights: weights, &random)
      let step = enabled[position]
      choices.append(Schedule.Choice(taking: position, in: enabled))
      taken.append(step)
      state = system.apply(step, to: state)
      stats.transitions += 1
    }
  }

  /// A position in `enabled`: uniform without weights, else proportional to the task's weight.
  @inlinable
  func choose(
    in enabled: [Transition<Label>], weights: [Int], _ random: inout WalkRandom
  ) -> Int {
    guard !weights.isEmpty else { return random.next(below: enabled.count) }
    var total = 0
    for transition in enabled { total += weights[transition.task] }
    var remaining = random.next(below: total)
    for (position, transition) in enabled.enumerated() {
      remaining -= weights[transition.task]
      if remaining < 0 { return position }
    }
    return enabled.count - 1
  }

  /// Records `state` in the coverage set and checks its properties and deadlock freedom.
  @inlinable
  mutating func visit(_ state: State, enabled: [Transition<Label>]) throws(ExplorationError) {
    var isNew = false
    switch table.insert(system.fingerprint(of: state), limit: config.maxStates) {
    case .full:
      stop(.states)
      return
    case .found:
      break
    case .inserted:
      isNew = true
      stats.states += 1
      if let bound = budget.stored() { stop(bound) }
    }
    stats.maxDepth = max(stats.maxDepth, choices.count)
    let (violations, witnesses) = (monitor.violations.count, monitor.witnesses.count)
    let reports = monitor.reports(in: state, summary: system.propertySummary(of: state))
    if !reports.isEmpty && monitor.record(reports, path: currentPath())
      && config.stopAtFirstViolation
    {
      stop(.violation)
    }
    if enabled.isEmpty {
      let unfinished = system.unfinishedTasks(in: state)
      if !unfinished.isEmpty {
        if isNew { stats.deadlockStates += 1 }
        if !monitor.hasDeadlock {
          monitor.recordDeadlock(path: currentPath(), unfinishedTasks: unfinished)
          if config.stopAtFirstViolation { stop(.violation) }
        }
      }
    }
    for v in monitor.violations[violations...] { stats.foundByMember[v.propertyID] = member }
    for w in monitor.witnesses[witnesses...] { stats.foundByMember[w.propertyID] = member }
    if isNew && config.checkIndependence && !enabled.isEmpty {
      try system.verifyIndependence(
        at: state, enabled: enabled, schedule: { currentPath().schedule })
    }
  }

  /// The current walk as a path.
  @inlinable
  func currentPath() -> Path<Label> {
    Path(schedule: Schedule(initial: initialIndex, choices: choices), transitions: taken)
  }

  /// Ends the run; the first bound that ends it is the one reported.
  @inlinable
  mutating func stop(_ bound: Bound) {
    guard !stopped else { return }
    incomplete = bound
    stopped = true
  }

  @inlinable
  func finish() -> ExplorationResult<Label> {
    // A sample is never complete, so `sometimes` properties are never judged unreached.
    monitor.result(incomplete: incomplete ?? .sampling, stats: stats, budget: budget, table: table)
  }
}

/// xoshiro256** (Blackman and Vigna), seeded by SplitMix64: the sampling strategies' generator.
///
/// Fixed algorithms, so the same seed gives the same walks on every platform and run.
@usableFromInline
struct WalkRandom {
  @usableFromInline
  var s0: UInt64
  @usableFromInline
  var s1: UInt64
  @usableFromInline
  var s2: UInt64
  @usableFromInline
  var s3: UInt64

  /// The state expanded from `seed` by four SplitMix64 outputs (never all zero).
  @inlinable
  init(seed: UInt64) {
    var state = seed
    s0 = Self.splitMix(&state)
    s1 = Self.splitMix(&state)
    s2 = Self.splitMix(&state)
    s3 = Self.splitMix(&state)
  }

  /// The next SplitMix64 output of `state` (Steele, Lea and Flood), advancing it.
  @inlinable
  static func splitMix(_ state: inout UInt64) -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// The next 64 random bits.
  @inlinable
  mutating func next() -> UInt64 {
    let result = rotate(s1 &* 5, 7) &* 9
    let t = s1 << 17
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = rotate(s3, 45)
    return result
  }

  /// A value in `0..<bound` (`bound` > 0), by Lemire's multiply-high (bias below bound/2⁶⁴).
  @inlinable
  mutating func next(below bound: Int) -> Int {
    Int(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(bound)).high)
  }

  @inlinable
  func rotate(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
}
