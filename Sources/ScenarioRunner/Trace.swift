import Exploration
import KernelModel

/// The deterministic schedule of a scenario and what it observes: tasks one after another in
/// file order, each listener answering every event at once as its model says.
public struct Trace: Sendable {
  /// One permission event and its answer.
  public struct Event: Hashable, Sendable {
    public var mask: String
    public var range: EventRange?
    public var task: String
    public var syscall: String
    public var group: String
    /// The response word as written, or nil if never answered.
    public var response: String?
    /// Set when the listener's response write failed (EINVAL, ENOENT).
    public var responseError: String?
    /// A notification event (FAN_ACCESS, FAN_MODIFY, …): nobody answers it.
    public var notification = false
  }

  /// One syscall and its result.
  public struct Call: Hashable, Sendable {
    public var task: String
    public var syscall: String
    public var result: SyscallResult
  }

  /// Events and calls in the order they happened.
  public enum Entry: Hashable, Sendable {
    case event(Int)
    case call(Call)
  }

  public var schedule: Schedule
  public var steps: [Narrator.Line]
  public var events: [Event]
  /// The same events as structured records (for conformance).
  public var eventRecords: [EventRecord]
  /// Every instruction of every application task: returned, blocked or never run.
  public var callRecords: [CallRecord]
  public var entries: [Entry]
  /// `finished`, or a description of why the schedule stopped.
  public var outcome: String
  public var finished: Bool
  public var finalState: KernelState

  /// Upper bound on trace length; programs are short, so hitting it means a livelock.
  public static let stepLimit = 100_000

  /// Runs the deterministic schedule of `system`. With `holdListeners`, the deadlock schedule
  /// instead (`fanmc conform` of a scenario that expects I5): tasks in file order, each until it
  /// returns or blocks, and listeners only when no task can move.
  public static func run(_ narrator: Narrator, holdListeners: Bool = false) -> Trace {
    let system = narrator.system
    var state = system.initialStates()[0]
    var taken: [Transition<KernelStep>] = []
    var steps: [Narrator.Line] = []
    var events: [Event] = []
    var entries: [Entry] = []
    var records: [EventRecord] = []
    var returned: [Int: [Int: SyscallResult]] = [:]
    var killed: [Int: (instruction: Int, signal: Errno)] = [:]
    var open: [Int: Int] = [:]  // waiter task -> index of its unanswered event
    var lastNotice: [Int: Int] = [:]  // group -> index of its latest notification event
    var noticeRecord: [[Int]: Int] = [:]  // [group, file, task] -> its latest notification event
    // FAN_Q_OVERFLOW, queued instead of an event `e` caused (records and events stay in step).
    func overflow(_ g: Int, _ e: StepExplanation) {
      records.append(
        EventRecord(
          group: g, mask: .FAN_Q_OVERFLOW, range: nil, task: nil, instruction: nil, response: nil,
          responseError: nil))
      entries.append(.event(events.count))
      var event = Event(
        mask: "FAN_Q_OVERFLOW", range: nil, task: system.taskName(e.task),
        syscall: narrator.callText(e), group: narrator.groupName(g), response: nil,
        responseError: nil)
      event.notification = true
      events.append(event)
    }
    while taken.count < stepLimit {
      let enabled = system.transitions(from: state)
      // Listeners answer at once, except those that answer last; then tasks in file order.
      func eager(_ t: Transition<KernelStep>) -> Bool {
        guard let g = system.listenerGroup(ofTask: t.task) else { return false }
        return !(system.config.groups[g].listener?.answersLast ?? false)
      }
      guard
        let next = (holdListeners ? nil : enabled.first(where: eager))
          ?? enabled.first(where: { $0.task < system.appTaskCount }) ?? enabled.first
      else { break }
      let e = system.explain(next, in: state)
      steps.append(narrator.narrate(e))
      switch e.effect {
      case .queued(let g, let mask, let range):
        open[e.task] = events.count
        records.append(
          EventRecord(
            group: g, mask: mask, range: range, task: e.instruction == nil ? nil : e.task,
            instruction: e.instruction, response: nil, responseError: nil))
        entries.append(.event(events.count))
        events.append(
          Event(
            mask: mask.description, range: range, task: system.taskName(e.task),
            syscall: narrator.callText(e), group: narrator.groupName(g), response: nil,
            responseError: nil))
      case .noticed(let mask, let file, let groups):
        // Each group gets the bits its marks ask for (fanotify_group_event_mask): the mask of
        // its queued event for this file and task once the step is taken.
        let after = system.apply(next, to: state)
        for g in groups {
          // A full queue drops it: the first drop queues FAN_Q_OVERFLOW, later ones nothing.
          if let limit = system.config.groups[g].queueLimit, state.groups[g].queue.count >= limit {
            if !state.groups[g].queue.contains(.overflow) { overflow(g, e) }
            continue
          }
          // An unread event of the same file and task took the bits (fanotify_merge): the
          // listener will read one event.
          let key = [g, file, e.task]
          let unread = state.groups[g].queue.contains {
            if case .notice(let n) = $0 { return n.file == file && n.pid == e.task }
            return false
          }
          if unread, let i = noticeRecord[key] {
            let queued = after.groups[g].queue.lazy.compactMap { q -> EventMask? in
              guard case .notice(let n) = q, n.file == file, n.pid == e.task else { return nil }
              return n.mask
            }.last
            records[i].mask.formUnion(queued.map { mask.intersection($0) } ?? mask)
            events[i].mask = records[i].mask.description
            continue
          }
          let queued = after.groups[g].queue.lazy.compactMap { q -> EventMask? in
            guard case .notice(let n) = q, n.file == file, n.pid == e.task else { return nil }
            return n.mask
          }.last
          let bits = queued.map { mask.intersection($0) } ?? mask
          lastNotice[g] = records.count
          noticeRecord[key] = records.count
          records.append(
            EventRecord(
              group: g, mask: bits, range: nil, task: e.instruction == nil ? nil : e.task,
              instruction: e.instruction, response: nil, responseError: nil))
          entries.append(.event(events.count))
          var event = Event(
            mask: bits.description, range: nil, task: system.taskName(e.task),
            syscall: narrator.callText(e), group: narrator.groupName(g), response: nil,
            responseError: nil)
          event.notification = true
          events.append(event)
        }
      case .responded(_, _, let word, let result, let waiter):
        if let w = waiter, let i = open.removeValue(forKey: w) {
          events[i].response = ResponseValidation.describe(word)
          records[i].response = word
        } else if case .error(let err) = result, let w = state.tasks[e.task].handling?.waiter,
          let i = open[w]
        {
          events[i].responseError = "write(\(ResponseValidation.describe(word))) = -\(err.name)"
          records[i].response = word
          records[i].responseError = err
        }
      case .eventFdFailed(let g, let waiter, _, let err):
        // create_fd failed when the listener read the event: a permission event is answered
        // FAN_DENY by the kernel, the listener gets the errno instead of an fd.
        let i = waiter.flatMap { open.removeValue(forKey: $0) } ?? lastNotice[g]
        if let i { records[i].fdError = err }
      case .overflowed(let g) where !state.groups[g].queue.contains(.overflow):
        overflow(g, e)
      case .execDeniedFatally where e.instruction != nil:
        killed[e.task] = (e.instruction!, .SIGSEGV)
      case .returned(let r, _) where e.instruction != nil:
        returned[e.task, default: [:]][e.instruction!] = r
        entries.append(
          .call(
            Call(
              task: system.taskName(e.task),
              syscall: narrator.callText(e), result: r)))
      default:
        break
      }
      taken.append(next)
      state = system.apply(next, to: state)
    }
    var calls: [CallRecord] = []
    for t in 0..<system.appTaskCount {
      for pc in system.config.tasks[t].program.indices {
        let outcome: CallRecord.Outcome
        if let r = returned[t]?[pc] {
          outcome = .returned(r)
        } else if let k = killed[t], k.instruction == pc {
          outcome = .killed(signal: k.signal)
        } else if pc == state.tasks[t].pc && !system.isFinished(t, in: state) {
          outcome = .blocked
        } else {
          outcome = .notRun
        }
        calls.append(CallRecord(task: t, instruction: pc, outcome: outcome))
      }
    }
    let unfinished = system.unfinishedTasks(in: state)
    let outcome: String
    if unfinished.isEmpty {
      outcome = "finished"
    } else if taken.count >= stepLimit {
      outcome = "stopped after \(stepLimit) steps"
    } else {
      outcome =
        "blocked: " + unfinished.map { system.taskName($0) }.joined(separator: ", ")
        + " cannot finish"
    }
    return Trace(
      schedule: system.schedule(initial: 0, of: taken), steps: steps, events: events,
      eventRecords: records, callRecords: calls,
      entries: entries, outcome: outcome, finished: unfinished.isEmpty, finalState: state)
  }
}
