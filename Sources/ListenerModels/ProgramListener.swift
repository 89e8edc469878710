import KernelModel

/// A listener written as a program: a `listener NAME` block of a scenario, or an entry of the
/// built-in library (`ListenerLibrary`). Every listener is one. For each event it reads, the statements whose conditions hold become its
/// actions, in order. A program is pure like every listener model: what it does depends only on
/// the event (its mask, file, range and place in the group's sequence).
public struct ProgramListener: ListenerModel {
  /// What a statement's `if` tests about the event.
  public enum Condition: Hashable, Sendable {
    /// The event carries one of these bits.
    case mask(EventMask)
    /// The event is on this file.
    case file(Int)
    /// It is the group's n-th event (0: the first).
    case sequence(Int)
    /// Application task n caused it.
    case task(Int)
    /// Its range starts at this byte.
    case offset(Int)
    /// One of the daemon's own threads caused it (`metadata->pid == getpid()`).
    case own
    indirect case not(Condition)

    func holds(for event: ListenerEvent) -> Bool {
      switch self {
      case .mask(let m): return !event.mask.isDisjoint(with: m)
      case .file(let f): return event.file == f
      case .sequence(let n): return event.sequence == n
      case .task(let n): return event.task == n
      case .offset(let n): return event.range?.offset == n
      case .own: return event.causedByDaemon
      case .not(let c): return !c.holds(for: event)
      }
    }
  }

  /// One thing the listener does.
  public enum Operation: Hashable, Sendable {
    /// `pwrite(event_fd)` of the source content into the stub bytes of the event's range.
    case fill
    /// `write(fanotify_fd, {fd, word})`; when that write fails, the fallback's.
    case respond(UInt32, fallback: UInt32?)
    /// The n-th event gets the n-th word, later ones FAN_ALLOW (LTP's scripted listeners).
    case respondInOrder([UInt32])
    case closeEvent
    case closeGroup
    /// `pread(event_fd)` of the file's initial size: FMODE_NONOTIFY, emits nothing.
    case readEvent
    /// `ftruncate(event_fd, LENGTH)`, by default to the file's initial size (B14).
    case ftruncateEvent(length: Int?)
    /// `fallocate(event_fd, MODE, OFFSET, LENGTH)`.
    case fallocateEvent(mode: FallocateMode, offset: Int, length: Int)
    /// `open` + `pread` of the event's range + `close` of the event's own file through a normal
    /// fd: the listener's own access notifies its own group (D1).
    case reopen
    /// `open(FILE)` + `pread` + `close` through a normal fd: a backing file, say; by default the
    /// event's range (the first page for an event without one).
    case read(file: Int, offset: Int?, count: Int?)
    /// `open(FILE, O_WRONLY)` + `pwrite` + `close` through a normal fd.
    case write(file: Int, offset: Int?, count: Int?)
    /// `truncate(FILE, LENGTH)`.
    case truncate(file: Int, length: Int)
    /// `pthread_mutex_lock` / `pthread_mutex_unlock` of the daemon's mutex (an index into
    /// `mutexNames`), shared by the group's worker threads.
    case lock(Int)
    case unlock(Int)
    /// The statements after it run on an idle helper thread (`group … helpers N`), and this
    /// thread goes back to reading events.
    case spawn
  }

  /// An operation and the conditions (all must hold) under which it runs.
  public struct Statement: Hashable, Sendable {
    public var conditions: [Condition]
    public var operation: Operation

    public init(conditions: [Condition] = [], _ operation: Operation) {
      self.conditions = conditions
      self.operation = operation
    }
  }

  public var name: String
  public var summary: String
  public var statements: [Statement]
  public var answersLast: Bool
  public var mutexNames: [String]

  public init(
    name: String, summary: String, statements: [Statement], answersLast: Bool = false,
    mutexNames: [String] = []
  ) {
    self.name = name
    self.summary = summary
    self.statements = statements
    self.answersLast = answersLast
    self.mutexNames = mutexNames
  }

  /// The response word a scenario names: `ALLOW`, `DENY`, or an errno for `FAN_DENY_ERRNO`.
  public static func response(named text: String) -> UInt32? {
    switch text {
    case "ALLOW": return Fanotify.FAN_ALLOW
    case "DENY": return Fanotify.FAN_DENY
    default: return Errno(named: text).map { Fanotify.FAN_DENY_ERRNO($0) }
    }
  }

  /// The name of a response word, as scenarios write it.
  public static func word(_ response: UInt32) -> String {
    switch response {
    case Fanotify.FAN_ALLOW: return "ALLOW"
    case Fanotify.FAN_DENY: return "DENY"
    default: return Errno(rawValue: Int32(response >> 24)).name
    }
  }

  public var readsEventDetails: Bool {
    func details(_ c: Condition) -> Bool {
      switch c {
      case .mask, .sequence: return false
      case .file, .task, .offset, .own: return true
      case .not(let d): return details(d)
      }
    }
    return statements.contains { $0.conditions.contains(where: details) }
  }

  public func actions(for event: ListenerEvent) -> [ListenerAction] {
    let event_ = KernelSystem.listenerEventSlot
    var out: [ListenerAction] = []
    for s in statements where s.conditions.allSatisfy({ $0.holds(for: event) }) {
      switch s.operation {
      case .fill: out.append(.fillRange)
      case .respond(let word, nil): out.append(.respond(word))
      case .respond(let word, let fallback?): out.append(.respondElse(word, fallback: fallback))
      case .respondInOrder(let words):
        out.append(
          .respond(event.sequence < words.count ? words[event.sequence] : Fanotify.FAN_ALLOW))
      case .closeEvent: out.append(.closeEventFd)
      case .closeGroup: out.append(.closeGroup)
      case .readEvent: out.append(.readEventFd)
      case .ftruncateEvent(nil): out.append(.ftruncateEventFd)
      case .ftruncateEvent(let length?):
        out.append(.call(.syscall(.ftruncate(slot: event_, length: length))))
      case .fallocateEvent(let mode, let offset, let length):
        out.append(
          .call(.syscall(.fallocate(slot: event_, mode: mode, offset: offset, length: length))))
      case .reopen: out.append(.readThroughNormalFd)
      case .read(let f, let offset, let count):
        out.append(.readFile(f, offset: offset, count: count))
      case .write(let f, let offset, let count):
        out.append(.writeFile(f, offset: offset, count: count))
      case .truncate(let f, let length):
        out.append(.call(.syscall(.truncate(file: f, length: length))))
      case .lock(let m): out.append(.call(.lock(m)))
      case .unlock(let m): out.append(.call(.unlock(m)))
      case .spawn: out.append(.call(.spawn))
      }
    }
    return out
  }
}
