import Exploration
import KernelModel

/// Turns steps into text in kernel terms: the one place model values become words.
public struct Narrator: Sendable {
  public let system: KernelSystem

  public init(system: KernelSystem) { self.system = system }

  /// One narrated step.
  public struct Line: Hashable, Sendable {
    public var task: String
    public var kernelFunction: String
    public var description: String
    public var locksHeld: [String]
  }

  /// Narrates every step of a replayed path.
  public func narrate(_ replay: Replay<KernelSystem>) -> [Line] {
    zip(replay.transitions, replay.states).map { t, s in narrate(system.explain(t, in: s)) }
  }

  public func narrate(_ e: StepExplanation) -> Line {
    Line(
      task: system.taskName(e.task), kernelFunction: e.kernelFunction,
      description: describe(e), locksHeld: e.locksHeld.names)
  }

  var config: KernelConfig { system.config }

  func fileName(_ f: Int) -> String { config.files[f].name }
  func groupName(_ g: Int) -> String { config.groups[g].name }

  /// The C-like text of instruction `pc` of task `t`: `read(fd, 4096)`.
  public func syscallText(task t: Int, pc: Int) -> String {
    let spec = config.tasks[t]
    func fd(_ slot: Int) -> String { spec.fdNames[slot] }
    switch spec.program[pc].syscall {
    case .open(let file, let flags, _): return "openat(\(fileName(file)), \(flags))"
    case .read(let slot, let count): return "read(\(fd(slot)), \(count))"
    case .pread(let slot, let offset, let count): return "pread64(\(fd(slot)), \(count), \(offset))"
    case .close(let slot): return "close(\(fd(slot)))"
    case .fanotifyMark(let m): return markText(m)
    }
  }

  func markText(_ m: Mark) -> String {
    switch m.object {
    case .inode(let file):
      return "fanotify_mark(\(groupName(m.group)), FAN_MARK_ADD, \(m.mask), \(fileName(file)))"
    }
  }

  public func rangeText(_ r: EventRange?) -> String {
    r.map { "offset \($0.offset) count \($0.count)" } ?? "no range"
  }

  public func resultText(_ r: SyscallResult) -> String {
    switch r {
    case .value(let v): return "\(v)"
    case .error(let e): return "-\(e.name)"
    }
  }

  func modeText(_ m: NotifyMode) -> String {
    switch m {
    case .none: return "FMODE_NONOTIFY (no events)"
    case .noPerm: return "FMODE_NONOTIFY_PERM (no permission events)"
    case .hsm: return "FMODE_NONOTIFY_HSM (pre-content events)"
    case .allPerm: return "mode 0 (pre-content and FAN_ACCESS_PERM)"
    }
  }

  func outcomeText(_ o: ResponseValidation.WaiterOutcome) -> String {
    switch o {
    case .allow: return "allowed"
    case .deny(let e): return "denied with \(e.name)"
    }
  }

  func describe(_ e: StepExplanation) -> String {
    let call = e.instruction.map { syscallText(task: e.task, pc: $0) } ?? ""
    switch e.effect {
    case .entered:
      return call
    case .openModeDecided(let mode):
      return "\(call): \(modeText(mode))"
    case .queued(let g, let mask, let range):
      return "\(mask) (\(rangeText(range))) queued to \(groupName(g)); waits"
    case .notificationSkipped:
      return "no group watches any more; goes on"
    case .woke(let g, let outcome):
      return "wakes: \(groupName(g)) \(outcomeText(outcome))"
    case .folioRead(let f, let page, let content):
      return "reads page \(page) of \(fileName(f)) into the page cache (\(content.rawValue))"
    case .copied(let f, let page, let content, let exempt):
      let what = "copies page \(page) of \(fileName(f)) to user space"
      guard content == .remote else { return "\(what) (\(content.rawValue))" }
      return exempt
        ? "\(what): STUB content; file not in HSM mode (known gap I2(c))"
        : "\(what): STUB content the listener never filled (I2)"
    case .returned(let r, let expected):
      var text = "\(call) = \(resultText(r))"
      if let x = expected, !x.matches(r) { text += " (scenario expects \(x))" }
      return text
    case .eventRead(_, let waiter, let fd, let mask, let range):
      return
        "reads \(mask) of \(system.taskName(waiter)) (\(rangeText(range))) as event fd \(fd)"
    case .filled(let f, let page):
      return "pwrite(event fd) fills page \(page) of \(fileName(f))"
    case .responded(_, let fd, let word, let result, _):
      let answer = "write({fd \(fd), \(ResponseValidation.describe(word))})"
      if case .error(let err) = result { return "\(answer) fails: \(err.name)" }
      return answer
    case .eventFdClosed(let fd):
      return "close(event fd \(fd))"
    }
  }
}
