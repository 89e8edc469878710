import KernelModel

/// One permission event as seen from outside the kernel: which group got it, what it reported,
/// who caused it and how it was answered.
public struct EventRecord: Hashable, Sendable {
  public var group: Int
  public var mask: EventMask
  public var range: EventRange?
  /// The application task and instruction that caused it; nil for a listener's own access.
  public var task: Int?
  public var instruction: Int?
  /// The response word written (even when the write failed), nil if never answered.
  public var response: UInt32?
  /// The errno of a response write that failed.
  public var responseError: Errno?

  public init(
    group: Int, mask: EventMask, range: EventRange?, task: Int?, instruction: Int?,
    response: UInt32?, responseError: Errno?
  ) {
    self.group = group
    self.mask = mask
    self.range = range
    self.task = task
    self.instruction = instruction
    self.response = response
    self.responseError = responseError
  }
}

/// What one instruction of an application task came to.
public struct CallRecord: Hashable, Sendable {
  public enum Outcome: Hashable, Sendable {
    case returned(SyscallResult)
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
  /// when they agree. Events are compared group by group in order; calls instruction by
  /// instruction. Opened fds count as equal whatever their numbers.
  public static func differences(
    model: Trace, observedEvents: [EventRecord], observedCalls: [CallRecord], system: KernelSystem
  ) -> [String] {
    let narrator = Narrator(system: system)
    var out: [String] = []
    for g in system.config.groups.indices {
      let want = model.eventRecords.filter { $0.group == g }
      let got = observedEvents.filter { $0.group == g }
      for i in 0..<max(want.count, got.count) {
        let w = i < want.count ? want[i] : nil
        let o = i < got.count ? got[i] : nil
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
    var s = "\(e.mask) (\(narrator.rangeText(e.range)))"
    if let t = e.task, let pc = e.instruction {
      s += " from \(narrator.system.taskName(t)) \(narrator.syscallText(task: t, pc: pc))"
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
    case .blocked: return "blocked"
    case .notRun: return "not run"
    }
  }
}
