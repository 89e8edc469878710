import Exploration

/// The kernel model as a transition system: application tasks running syscall programs, one
/// listener task per group that has a listener model, and the kernel's own locks and queues.
///
/// Task ids: application tasks `0..<config.tasks.count` in scenario order, then one listener task
/// per group with a listener, in group order. Each task has at most one enabled step: the entry
/// of its next syscall, or the current step of its current path (`PathStep`).
public struct KernelSystem: TransitionSystem {
  public typealias State = KernelState
  public typealias Label = KernelStep

  /// What the system derives from its configuration, computed once, behind one reference: the
  /// engine passes and copies the system at every state, and as a struct of a dozen arrays it was
  /// a 300-byte copy each time. (Each search thread's `replica()` builds its own.)
  final class Parts: Sendable {
    let config: KernelConfig
    let deliveryOrder: [Int]
    let listenerThreads: [ListenerThread]
    let listenerGroups: [Int]
    let tasksOfGroup: [[Int]]
    let objects: ObjectLayout
    let symmetryClasses: [[Int]]
    let futureExtras: [[ObjectSet]]
    let watchedNotices: EventMask
    let execs: Bool
    /// The most steps a state can enable: one per task, or an application's most choices.
    let maxEnabled: Int

    init(
      config: KernelConfig, deliveryOrder: [Int], listenerThreads: [ListenerThread],
      tasksOfGroup: [[Int]], objects: ObjectLayout, symmetryClasses: [[Int]],
      futureExtras: [[ObjectSet]], watchedNotices: EventMask, execs: Bool
    ) {
      self.config = config
      self.deliveryOrder = deliveryOrder
      self.listenerThreads = listenerThreads
      listenerGroups = listenerThreads.map(\.group)
      self.tasksOfGroup = tasksOfGroup
      self.objects = objects
      self.symmetryClasses = symmetryClasses
      self.futureExtras = futureExtras
      self.watchedNotices = watchedNotices
      self.execs = execs
      maxEnabled = config.tasks.reduce(listenerThreads.count) { sum, task in
        sum + max(1, task.program.map(\.choices.count).max() ?? 1)
      }
    }
  }

  let parts: Parts

  public var config: KernelConfig { _read { yield parts.config } }
  /// Groups in `fsnotify()` delivery order: priority descending, then scenario order (which
  /// stands for the kernel's group-address tie break).
  public var deliveryOrder: [Int] { _read { yield parts.deliveryOrder } }
  /// Listener task `i` (counted from the first listener): group by group, a group's worker
  /// threads, then its helper threads.
  public var listenerThreads: [ListenerThread] { _read { yield parts.listenerThreads } }
  /// For listener task `i`, the group it serves.
  public var listenerGroups: [Int] { _read { yield parts.listenerGroups } }
  /// Per group, its listener tasks (worker threads, then helpers).
  var tasksOfGroup: [[Int]] { _read { yield parts.tasksOfGroup } }
  var objects: ObjectLayout { _read { yield parts.objects } }
  /// Interchangeable application tasks (`symmetryClasses(of:)`).
  public var symmetryClasses: [[Int]] { _read { yield parts.symmetryClasses } }
  /// Per application task and program position: see `futureExtras(of:objects:)`.
  var futureExtras: [[ObjectSet]] { _read { yield parts.futureExtras } }
  /// The notification events any mark of the scenario (set up, or added by a program) asks
  /// for: paths carry notification steps only for these.
  var watchedNotices: EventMask { parts.watchedNotices }
  /// Some program execs a file (so exec's write denial may fail an event fd's creation).
  var execs: Bool { parts.execs }

  /// A configuration the model cannot represent.
  public struct ConfigError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
  }

  /// A listener thread's fd slots: 0 for a normal fd it opens itself, 1 for its current event fd.
  public static let listenerNormalSlot = 0
  public static let listenerEventSlot = 1

  public init(config: KernelConfig) throws(ConfigError) {
    let deliveryOrder =
      config.profile.priorityOrder
      ? config.groups.indices.sorted {
        (config.groups[$0].groupClass.priority, -$0) > (config.groups[$1].groupClass.priority, -$1)
      } : Array(config.groups.indices)
    let threads = Self.listenerThreads(of: config.groups)
    let first = config.tasks.count
    let tasksOfGroup = config.groups.indices.map { g in
      threads.indices.filter { threads[$0].group == g }.map { first + $0 }
    }
    guard config.groups.count <= 32 else {
      throw ConfigError(message: "the model handles at most 32 groups")
    }
    if let task = config.tasks.first(where: {
      $0.fdSlots > FdSlots.limit || $0.mapSlots > MapSlots.limit
    }) {
      throw ConfigError(
        message: "task '\(task.name)' has more than \(FdSlots.limit) fd or \(MapSlots.limit)"
          + " mapping variables (fixed-size tables)")
    }
    guard
      let layout = ObjectLayout(
        config: config, taskCount: config.tasks.count + threads.count)
    else {
      throw ConfigError(
        message: "the scenario names more than \(ObjectSet.capacity) objects; use fewer pages")
    }
    var watched = config.marks.reduce(EventMask()) { $0.union($1.mask) }
    for task in config.tasks {
      for i in task.program {
        for case .fanotifyMark(let m, let flags) in i.choices {
          if flags.ignoreBits.isEmpty {
            watched.formUnion(m.mask)
          } else if !flags.contains(.FAN_MARK_IGNORED_SURV_MODIFY) {
            watched.insert(.FAN_MODIFY)  // FS_MODIFY clears the ignore mask
          }
        }
      }
    }
    if config.marks.contains(where: { !$0.ignore.isEmpty && !$0.ignoreSurvivesModify }) {
      watched.insert(.FAN_MODIFY)
    }
    let watchedNotices = watched.intersection(.notificationEvents)
    let execs = config.tasks.contains { task in
      task.program.contains { i in
        i.choices.contains { if case .exec = $0 { true } else { false } }
      }
    }
    parts = Parts(
      config: config, deliveryOrder: deliveryOrder, listenerThreads: threads,
      tasksOfGroup: tasksOfGroup, objects: layout,
      symmetryClasses: Self.symmetryClasses(of: config),
      futureExtras: Self.futureExtras(
        of: config, objects: layout, modifyWritesMarks: watchedNotices.contains(.FAN_MODIFY)),
      watchedNotices: watchedNotices, execs: execs)
  }

  public var appTaskCount: Int { config.tasks.count }
  public var taskCount: Int { config.tasks.count + listenerGroups.count }

  /// One listener task: the group it serves, whether it is a helper thread (it never reads the
  /// group fd), and its name: `GROUP` for a group's only thread, else `GROUP.1` … `GROUP.N`,
  /// then `GROUP.helper1` ….
  public struct ListenerThread: Hashable, Sendable {
    public var group: Int
    public var helper: Bool
    public var name: String
  }

  /// The listener tasks of `groups`, in task order (the scenario resolver names them the same
  /// way before the system exists).
  public static func listenerThreads(of groups: [GroupSpec]) -> [ListenerThread] {
    groups.indices.flatMap { g -> [ListenerThread] in
      let spec = groups[g]
      guard spec.listener != nil else { return [] }
      let workers = (1...spec.threads).map {
        ListenerThread(
          group: g, helper: false, name: spec.threads == 1 ? spec.name : "\(spec.name).\($0)")
      }
      let helpers = (0..<spec.helpers).map {
        ListenerThread(group: g, helper: true, name: "\(spec.name).helper\($0 + 1)")
      }
      return workers + helpers
    }
  }

  public func taskName(_ task: Int) -> String {
    task < appTaskCount ? config.tasks[task].name : listenerThreads[task - appTaskCount].name
  }

  /// Whether listener task `t` is a helper thread.
  public func isHelperTask(_ t: Int) -> Bool {
    t >= appTaskCount && listenerThreads[t - appTaskCount].helper
  }

  /// The group a listener task serves, or nil for an application task. A group with `threads N`
  /// has N listener tasks, named `GROUP.1` … `GROUP.N`.
  public func listenerGroup(ofTask task: Int) -> Int? {
    task < appTaskCount ? nil : listenerGroups[task - appTaskCount]
  }

  /// The listener tasks of group `g` (worker threads, then helpers), none for a group nobody
  /// reads.
  public func listenerTasks(ofGroup g: Int) -> [Int] { tasksOfGroup[g] }

  public func initialStates() -> [KernelState] {
    let idle = TaskState(
      pc: 0, path: [], fds: [], maps: [], eventFds: [], handling: nil, pending: nil, held: [],
      io: nil, allowedGroups: 0, implicitAllow: false, signalled: false, killed: false)
    var tasks: [TaskState] = config.tasks.map {
      var t = idle
      t.fds = FdSlots(repeating: nil, count: $0.fdSlots)
      t.maps = MapSlots(repeating: nil, count: $0.mapSlots)
      return t
    }
    for _ in listenerGroups {
      var t = idle
      t.fds = [nil, nil]
      tasks.append(t)
    }
    var s = KernelState(
      inodes: config.files.map {
        InodeState(
          content: $0.initialContent, cached: Array(repeating: false, count: $0.pageCapacity),
          iRwsem: RWSemaphore(), invalidateLock: RWSemaphore())
      },
      marks: [],
      groups: config.groups.map { _ in
        GroupState(queue: [], accessList: [], closed: false)
      },
      tasks: tasks, sb: SuperblockState(writers: [], freeze: .unfrozen), history: History(),
      observed: Array(repeating: 0, count: config.observations.count))
    for m in config.marks { s.addMark(m) }
    fillKeys(&s)
    return [s]
  }

  public func transitions(from state: KernelState) -> [Transition<KernelStep>] {
    var enabled: [Transition<KernelStep>] = []
    enabled.reserveCapacity(parts.maxEnabled)
    for t in 0..<taskCount { appendSteps(ofTask: t, in: state, to: &enabled) }
    return enabled
  }

  public func apply(_ transition: Transition<KernelStep>, to state: consuming KernelState)
    -> KernelState
  {
    take(transition, in: &state)
    return state
  }

  public func apply(
    _ transition: Transition<KernelStep>, to state: KernelState, into successor: inout KernelState
  ) {
    successor.overwrite(with: state)
    take(transition, in: &successor)
  }

  /// `apply`'s work, on the successor in place.
  func take(_ transition: Transition<KernelStep>, in s: inout KernelState) {
    let t = transition.task
    switch transition.label {
    case .syscallEntry(let pc, let choice):
      s.tasks[t].choice = choice
      enter(config.tasks[t].program[pc].choices[choice], task: t, in: &s)
    case .fanotifyRead:
      applyFanotifyRead(task: t, group: listenerGroup(ofTask: t)!, in: &s)
    case .step(let step):
      s.tasks[t].path.removeFirst()
      perform(step, task: t, in: &s)
    }
    if s.tasks[t].path.isEmpty, listenerGroup(ofTask: t) != nil {
      startNextListenerCall(task: t, in: &s)
    }
    fillKeys(&s)
  }

  public func unfinishedTasks(in state: KernelState) -> [Int] {
    (0..<appTaskCount).filter { !isFinished($0, in: state) }
  }

  /// Whether an application task has finished its program (or was killed).
  public func isFinished(_ task: Int, in state: KernelState) -> Bool {
    state.tasks[task].killed || state.tasks[task].stoppedAtBound
      || (state.tasks[task].path.isEmpty
        && state.tasks[task].pc >= config.tasks[task].program.count)
  }

  /// Appends the steps task `t` can take in `s`: none, one, or one per choice of a syscall entry.
  func appendSteps(
    ofTask t: Int, in s: KernelState, to enabled: inout [Transition<KernelStep>]
  ) {
    if s.tasks[t].killed || s.tasks[t].stoppedAtBound { return }
    if let current = s.tasks[t].path.first {
      guard isEnabled(current, task: t, in: s) else { return }
      var footprint = footprint(of: current, task: t, in: s)
      // A group with helpers: which helper takes a hand-off depends on every thread's progress.
      if let g = listenerGroup(ofTask: t), config.groups[g].helpers > 0 {
        footprint.writes.insert(objects.group(g))
      }
      enabled.append(Transition(task: t, label: .step(current), footprint: footprint))
      return
    }
    if let g = listenerGroup(ofTask: t) {
      guard !isHelperTask(t), s.tasks[t].handling == nil, !s.groups[g].closed,
        let head = s.groups[g].queue.first
      else {
        return
      }
      var writes = ObjectSet(objects.group(g))
      if let waiter = head.waiter { writes.insert(objects.event(ofTask: waiter)) }
      // create_fd of a writable event fd reads i_writecount (exec's write denial, B20).
      var reads = ObjectSet()
      if execs && config.groups[g].eventFlags.canWrite, let event = readable(head, in: s) {
        reads.insert(objects.size(file: event.file))
      }
      enabled.append(
        Transition(
          task: t, label: .fanotifyRead, footprint: Footprint(reading: reads, writing: writes)))
      return
    }
    guard s.tasks[t].pc < config.tasks[t].program.count else { return }
    for choice in config.tasks[t].program[s.tasks[t].pc].choices.indices {
      enabled.append(
        Transition(
          task: t, label: .syscallEntry(pc: s.tasks[t].pc, choice: choice),
          footprint: entryFootprint(task: t, choice: choice, in: s)))
    }
  }
}

extension KernelState {
  /// Adds a set-up mark: merged into an existing mark of the same group and object, or appended.
  mutating func addMark(_ mark: Mark) {
    if let i = marks.firstIndex(where: { $0.group == mark.group && $0.object == mark.object }) {
      marks[i].mask.formUnion(mark.mask)
      marks[i].ignore.formUnion(mark.ignore)
      marks[i].ignoreSurvivesModify = marks[i].ignoreSurvivesModify || mark.ignoreSurvivesModify
      marks[i].ignoreFlagsAPI = marks[i].ignoreFlagsAPI || mark.ignoreFlagsAPI
    } else {
      marks.append(mark)
    }
  }

  /// `fanotify_add_mark()` / `fanotify_remove_mark()` for request `req` (its `mask` goes to the
  /// mark's mask, or to its ignore mask with the ignore flags); a mark left with nothing in
  /// either mask is destroyed.
  public mutating func applyMark(_ req: Mark, flags: MarkFlags) {
    let ignore = !flags.ignoreBits.isEmpty
    guard let i = marks.firstIndex(where: { $0.group == req.group && $0.object == req.object })
    else {
      if flags.contains(.FAN_MARK_REMOVE) { return }
      var m = Mark(group: req.group, object: req.object, mask: [])
      if ignore { m.ignore = req.mask } else { m.mask = req.mask }
      m.ignoreSurvivesModify = ignore && flags.contains(.FAN_MARK_IGNORED_SURV_MODIFY)
      m.ignoreFlagsAPI = flags.contains(.FAN_MARK_IGNORE)
      marks.append(m)
      return
    }
    if flags.contains(.FAN_MARK_REMOVE) {
      if ignore { marks[i].ignore.subtract(req.mask) } else { marks[i].mask.subtract(req.mask) }
      if marks[i].mask.isEmpty && marks[i].ignore.isEmpty { marks.remove(at: i) }
      return
    }
    if ignore {
      marks[i].ignore.formUnion(req.mask)
      if flags.contains(.FAN_MARK_IGNORED_SURV_MODIFY) { marks[i].ignoreSurvivesModify = true }
      if flags.contains(.FAN_MARK_IGNORE) { marks[i].ignoreFlagsAPI = true }
    } else {
      marks[i].mask.formUnion(req.mask)
    }
  }
}
