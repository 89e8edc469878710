import KernelModel

/// One event as seen from outside the kernel: which group got it, what it reported, who caused
/// it and how it was answered (a notification event never is).
public struct EventRecord: Hashable, Sendable {
  public var group: Int
  /// Empty for an event the listener could not read (`fdError` without FAN_REPORT_FD_ERROR).
  public var mask: EventMask
  public var range: EventRange?
  /// The application task and instruction that caused it; nil for a listener's own access.
  public var task: Int?
  public var instruction: Int?
  /// The response word written (even when the write failed), nil if never answered.
  public var response: UInt32?
  /// The errno of a response write that failed.
  public var responseError: Errno?
  /// `create_fd`'s errno when the listener's event fd could not be opened (B20): the event came
  /// with it as a negative fd (FAN_REPORT_FD_ERROR), or the listener's `read` failed with it.
  public var fdError: Errno?

  public init(
    group: Int, mask: EventMask, range: EventRange?, task: Int?, instruction: Int?,
    response: UInt32?, responseError: Errno?, fdError: Errno? = nil
  ) {
    self.group = group
    self.mask = mask
    self.range = range
    self.task = task
    self.instruction = instruction
    self.response = response
    self.responseError = responseError
    self.fdError = fdError
  }

  /// What a listener of a group without FAN_REPORT_FD_ERROR observes of an event whose fd could
  /// not be created: only that its `read` failed with the errno.
  public func unreadable(_ error: Errno) -> EventRecord {
    EventRecord(
      group: group, mask: [], range: nil, task: nil, instruction: nil, response: nil,
      responseError: nil, fdError: error)
  }
}

/// What one instruction of an application task came to.
public struct CallRecord: Hashable, Sendable {
  public enum Outcome: Hashable, Sendable {
    case returned(SyscallResult)
    /// The task died during the call: `exec`'s segment mapping denied after the point of no
    /// return (SIGSEGV).
    case killed(signal: Errno)
    /// Still waiting when the schedule ended.
    case blocked
    /// Never started: an earlier call of the task blocked.
    case notRun
  }
  public var task: Int
  public var instruction: Int
  public var outcome: Outcome

  public init(task: Int, instruction: Int, outcome: Outcome) {
    self.task = task
    self.instruction = instruction
    self.outcome = outcome
  }
}

/// Compares the model's deterministic schedule with what the live kernel did (`fanmc conform`).
public enum Conformance {
  /// The differences between the model's trace and an observed run, as lines of text; empty
  /// when they agree. Events are compared group by group in order: the order within a group is
  /// the order its listener read them, which the kernel fixes (one queue); events of different
  /// groups are read by different listeners, so their relative order is not compared.
  /// Permission and notification events count alike. An event whose fd could not be created is,
  /// for a group without FAN_REPORT_FD_ERROR, only a failed read (`EventRecord.unreadable`).
  /// Calls are compared instruction by instruction. Opened fds count as equal whatever their
  /// numbers. Then each file the kernel's run was read back from (`observedFiles`, by file
  /// index) is compared with the model's final content, as a `FileSnapshot`.
  public static func differences(
    model: Trace, observedEvents: [EventRecord], observedCalls: [CallRecord], system: KernelSystem,
    deadlock: Bool = false, observedFiles: [Int: FileSnapshot] = [:]
  ) -> [String] {
    let narrator = Narrator(system: system)
    var out: [String] = []
    for g in system.config.groups.indices {
      let fdErrorReported = system.config.groups[g].initFlags.contains(.FAN_REPORT_FD_ERROR)
      let want = model.eventRecords.filter { $0.group == g }.map { e in
        e.fdError.map { fdErrorReported ? e : e.unreadable($0) } ?? e
      }
      let got = observedEvents.filter { $0.group == g }
      // Timing: the notification events one syscall queues on one file with nothing to wait
      // for between them (sendfile within a file: FAN_ACCESS, then FAN_MODIFY) merge unless the
      // listener reads the first in between. Either outcome agrees.
      if !deadlock && got != want && got == mergedWithinCalls(want) { continue }
      for i in 0..<max(want.count, got.count) {
        let w = i < want.count ? want[i] : nil
        let o = i < got.count ? got[i] : nil
        // The deadlock schedule: an event still queued when the cycle formed is never read
        // live (recovery's SIGKILL of its waiter removes it from the queue).
        if deadlock, let w, o == nil, w.response == nil { continue }
        if w != o {
          out.append(
            "\(narrator.groupName(g)) event \(i + 1): model \(text(w, narrator)); kernel \(text(o, narrator))"
          )
        }
      }
    }
    let observed = Dictionary(
      observedCalls.map { (CallKey(task: $0.task, instruction: $0.instruction), $0.outcome) },
      uniquingKeysWith: { a, _ in a })
    for call in model.callRecords {
      let o = observed[CallKey(task: call.task, instruction: call.instruction)] ?? .notRun
      if !same(
        call.outcome, o, syscall: system.config.tasks[call.task].program[call.instruction].syscall)
      {
        let name =
          "\(system.taskName(call.task)) \(narrator.syscallText(task: call.task, pc: call.instruction))"
        out.append("\(name): model \(text(call.outcome, narrator)); kernel \(text(o, narrator))")
      }
    }
    for (f, live) in observedFiles.sorted(by: { $0.key < $1.key }) where !deadlock {
      let mine = model.finalState.inodes[f].content.snapshot
      if mine != live {
        out.append(
          "file \(system.config.files[f].name) after the run: model \(text(mine)); kernel \(text(live))"
        )
      }
    }
    return out
  }

  static func text(_ s: FileSnapshot) -> String {
    "\(s.size) bytes"
      + (s.pages.isEmpty ? "" : ", " + s.pages.map(\.rawValue).joined(separator: " "))
  }

  /// `events` with each run of notification events of one instruction merged into one.
  static func mergedWithinCalls(_ events: [EventRecord]) -> [EventRecord] {
    func notice(_ e: EventRecord) -> Bool {
      e.instruction != nil && e.range == nil && e.response == nil && e.fdError == nil
        && e.mask.isDisjoint(with: .permissionEvents) && !e.mask.contains(.FAN_Q_OVERFLOW)
    }
    var out: [EventRecord] = []
    for e in events {
      if let last = out.last, notice(last), notice(e), last.task == e.task,
        last.instruction == e.instruction
      {
        out[out.count - 1].mask.formUnion(e.mask)
      } else {
        out.append(e)
      }
    }
    return out
  }

  struct CallKey: Hashable {
    var task: Int
    var instruction: Int
  }

  static func same(_ a: CallRecord.Outcome, _ b: CallRecord.Outcome, syscall: Syscall) -> Bool {
    if case .returned(.value) = a, case .returned(.value) = b {
      if case .open = syscall { return true }  // fd numbers differ by design
    }
    return a == b
  }

  static func text(_ e: EventRecord?, _ narrator: Narrator) -> String {
    guard let e else { return "no event" }
    if e.mask.isEmpty, let err = e.fdError { return "read() = -\(err.name) (create_fd)" }
    var s = "\(e.mask) (\(narrator.rangeText(e.range)))"
    if let err = e.fdError { s += " fd -\(err.name)" }
    if let t = e.task, let pc = e.instruction {
      // The instruction's number too: a task may issue the same syscall twice.
      s +=
        " from \(narrator.system.taskName(t)) #\(pc + 1) \(narrator.syscallText(task: t, pc: pc))"
    } else {
      s += " from the listener"
    }
    s += " -> " + (e.response.map(ResponseValidation.describe) ?? "no answer")
    if let err = e.responseError { s += " (response write: -\(err.name))" }
    return s
  }

  static func text(_ o: CallRecord.Outcome, _ narrator: Narrator) -> String {
    switch o {
    case .returned(let r): return "= \(narrator.resultText(r))"
    case .killed(let signal): return "killed by \(signal.name)"
    case .blocked: return "blocked"
    case .notRun: return "not run"
    }
  }

  /// The kernel functions a live stack may show for each function the model's wait-for report
  /// names (`DeadlockReport.Wait.function`): `fanotify_get_response` is inlined into
  /// `fanotify_handle_event` on 6.18, `sb_wait_write` sleeps in `percpu_down_write` under
  /// `freeze_super`, `sb_start_write` in `percpu_rwsem_wait`.
  public static let liveFunctions: [String: [String]] = [
    "fanotify_get_response": ["fanotify_get_response", "fanotify_handle_event"],
    "sb_wait_write": ["sb_wait_write", "percpu_down_write", "freeze_super"],
    "freeze_super": ["freeze_super"],
    "sb_start_write": ["percpu_rwsem_wait", "__percpu_down_read", "sb_start_write"],
    "inode_lock": ["down_write", "rwsem_down_write_slowpath", "down_read"],
    "filemap_invalidate_lock": ["down_write", "down_read", "rwsem_down_read_slowpath"],
    "folio_lock": ["folio_wait_bit_common", "__folio_lock"],
  ]

  /// One row of the blocked-task comparison: a task or listener, where the model's wait-for
  /// report has it sleep, and where the live kernel's stack has it sleep.
  public struct BlockedRow: Hashable, Sendable {
    public var name: String
    public var model: String?
    public var kernel: [String]?
    /// Both blocked and, when the model's function has live names, the stack shows one.
    public var agrees: Bool
  }

  /// Compares the model's wait-for report at the end of the deadlock schedule (`trace`) with
  /// the tasks and listener threads the probe found blocked. Application tasks are indexed as in
  /// the scenario; listener `g` is the model's listener task of group `g`.
  public static func blockedRows(
    model trace: Trace, system: KernelSystem, taskSleepsIn: [Int: [String]],
    listenerSleepsIn: [Int: [String]]
  ) -> [BlockedRow] {
    let report = DeadlockReport(narrator: Narrator(system: system))
    var rows: [BlockedRow] = []
    func row(_ name: String, _ wait: DeadlockReport.Wait?, _ stack: [String]?) {
      guard wait != nil || stack != nil else { return }
      var agrees = wait != nil && stack != nil
      if agrees, let w = wait, let names = liveFunctions[w.function] {
        agrees = stack!.contains { names.contains($0) }
      }
      rows.append(BlockedRow(name: name, model: wait?.function, kernel: stack, agrees: agrees))
    }
    for t in 0..<system.appTaskCount {
      row(system.taskName(t), report.wait(of: t, in: trace.finalState), taskSleepsIn[t])
    }
    for g in system.config.groups.indices {
      guard let lt = system.listenerTasks(ofGroup: g).first else { continue }
      row(
        system.taskName(lt) + " (listener)", report.wait(of: lt, in: trace.finalState),
        listenerSleepsIn[g])
    }
    return rows
  }
}
