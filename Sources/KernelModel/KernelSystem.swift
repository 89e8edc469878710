import Exploration

/// The kernel model as a transition system: application tasks running syscall programs and one
/// listener task per group that has a listener model.
///
/// Task ids: application tasks `0..<config.tasks.count` in scenario order, then one listener task
/// per group with a listener, in group order.
public struct KernelSystem: TransitionSystem {
  public typealias State = KernelState
  public typealias Label = KernelStep

  public let config: KernelConfig
  /// Groups in `fsnotify()` delivery order: priority descending, then scenario order (which
  /// stands for the kernel's group-address tie break).
  public let deliveryOrder: [Int]
  /// For listener task `i` (counted from the first listener), the group it serves.
  public let listenerGroups: [Int]
  let objects: ObjectLayout

  /// A configuration the model cannot represent.
  public struct ConfigError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
  }

  public init(config: KernelConfig) throws(ConfigError) {
    self.config = config
    deliveryOrder = config.groups.indices.sorted {
      (config.groups[$0].groupClass.priority, -$0) > (config.groups[$1].groupClass.priority, -$1)
    }
    listenerGroups = config.groups.indices.filter { config.groups[$0].listener != nil }
    guard let layout = ObjectLayout(config: config) else {
      throw ConfigError(
        message: "the scenario names more than \(ObjectSet.capacity) objects; use fewer pages")
    }
    objects = layout
  }

  public var appTaskCount: Int { config.tasks.count }
  public var taskCount: Int { config.tasks.count + listenerGroups.count }

  public func taskName(_ task: Int) -> String {
    if task < appTaskCount { return config.tasks[task].name }
    return config.groups[listenerGroups[task - appTaskCount]].name
  }

  /// The group a listener task serves, or nil for an application task.
  public func listenerGroup(ofTask task: Int) -> Int? {
    task < appTaskCount ? nil : listenerGroups[task - appTaskCount]
  }

  public func initialStates() -> [KernelState] {
    [
      KernelState(
        inodes: config.files.map {
          InodeState(content: $0.content, cache: Array(repeating: nil, count: $0.pageCount))
        },
        marks: [],
        groups: config.groups.map { _ in GroupState(queue: [], accessList: []) },
        tasks: config.tasks.map {
          TaskState(
            pc: 0, phase: .user, fds: Array(repeating: nil, count: $0.fdSlots), opening: nil,
            pending: nil, io: nil, held: [])
        },
        listeners: config.groups.map { _ in .idle(openEventFds: []) },
        history: History()
      ).addingInitialMarks(config.marks)
    ]
  }

  public func transitions(from state: KernelState) -> [Transition<KernelStep>] {
    var result: [Transition<KernelStep>] = []
    for task in 0..<appTaskCount {
      if let t = appStep(task: task, in: state) { result.append(t) }
    }
    for (i, group) in listenerGroups.enumerated() {
      if let t = listenerStep(task: appTaskCount + i, group: group, in: state) {
        result.append(t)
      }
    }
    return result
  }

  public func apply(_ transition: Transition<KernelStep>, to state: KernelState) -> KernelState {
    var s = state
    if let group = listenerGroup(ofTask: transition.task) {
      applyListener(transition.label, group: group, to: &s)
    } else {
      applyApp(transition.label, task: transition.task, to: &s)
    }
    return s
  }

  public func unfinishedTasks(in state: KernelState) -> [Int] {
    (0..<appTaskCount).filter {
      !(state.tasks[$0].phase == .user && state.tasks[$0].pc >= config.tasks[$0].program.count)
    }
  }

  /// Whether an application task has finished its program.
  public func isFinished(_ task: Int, in state: KernelState) -> Bool {
    state.tasks[task].phase == .user && state.tasks[task].pc >= config.tasks[task].program.count
  }
}

extension KernelState {
  fileprivate func addingInitialMarks(_ marks: [Mark]) -> KernelState {
    var s = self
    for m in marks { s.addMark(m) }
    return s
  }

  /// `fanotify_add_mark()`: merge into an existing mark of the same group and object, or append.
  mutating func addMark(_ mark: Mark) {
    if let i = marks.firstIndex(where: { $0.group == mark.group && $0.object == mark.object }) {
      marks[i].mask.formUnion(mark.mask)
    } else {
      marks.append(mark)
    }
  }
}
