/// A listener program: what a fanotify listener does with each permission event it reads.
///
/// Models are pure: the same event always yields the same actions, so the listener's whole
/// state is "which event, which action". Implementations live in `ListenerModels`.
public protocol ListenerModel: Sendable {
  /// The catalogue name (`fill`, `deny`, …), with arguments as written in scenarios.
  var name: String { get }
  /// One line for documentation and reports.
  var summary: String { get }
  /// The actions, in order, for one event read from the group.
  func actions(for event: ListenerEvent) -> [ListenerAction]
  /// In the deterministic schedule (`trace`, `explain`, `conform`), take events only when no
  /// application task can move. Exploration covers every timing regardless.
  var answersLast: Bool { get }
  /// The names of the daemon's own mutexes (`ListenerCall.lock(i)` takes the i-th).
  var mutexNames: [String] { get }
  /// What it does depends on the event's file, offset or cause, not only on its kind and
  /// place in the group's sequence (the live probe plans by kind and sequence).
  var readsEventDetails: Bool { get }
}

extension ListenerModel {
  public var answersLast: Bool { false }
  public var mutexNames: [String] { [] }
  public var readsEventDetails: Bool { false }
}

/// What a listener sees of an event: the metadata and the range record.
public struct ListenerEvent: Hashable, Sendable, Codable {
  public var mask: EventMask
  public var range: EventRange?
  public var file: Int
  public var groupClass: GroupClass
  /// How many events the group delivered before this one (0 for the first).
  public var sequence: Int
  /// The task that caused it (the metadata's pid), nil when unknown.
  public var task: Int? = nil
  /// Whether one of the listener's own threads caused it (`metadata->pid == getpid()`).
  public var causedByDaemon = false

  public init(
    mask: EventMask, range: EventRange?, file: Int, groupClass: GroupClass, sequence: Int = 0
  ) {
    self.mask = mask
    self.range = range
    self.file = file
    self.groupClass = groupClass
    self.sequence = sequence
  }
}

/// One thing a listener does, each a step (or a few) of the listener task.
public enum ListenerAction: Hashable, Sendable, Codable {
  /// `pwrite(event_fd, …)` of the source content for every stub page of the reported range
  /// (one step per page); the event fd is FMODE_NONOTIFY, so this emits nothing.
  case fillRange
  /// `write(fanotify_fd, {fd = event_fd, response})`.
  case respond(UInt32)
  /// `close(event_fd)`.
  case closeEventFd
  /// `ftruncate(event_fd, i_size)`: the truncate hook ignores the fd's mode (B14), so this
  /// emits FAN_PRE_ACCESS to the listener's own group.
  case ftruncateEventFd
  /// `open(path, O_RDONLY)` + `pread` of the event's range + `close`, through a normal fd: the
  /// listener's own accesses notify its own group (D1).
  case readThroughNormalFd
  /// `close(fanotify_fd)`: `fanotify_release` answers every pending event FAN_ALLOW.
  case closeGroup
  /// `pread(event_fd, …)` of the whole file (its initial size): an FMODE_NONOTIFY read that sees
  /// whatever the file holds (an indexer, a scanner).
  case readEventFd
  /// `write(fanotify_fd, {fd = event_fd, response})`, and when that write fails (EINVAL for a
  /// response the rules refuse, ENOENT), the same with `fallback`: the listener that falls back
  /// to FAN_ALLOW, as LTP's and real HSMs do.
  case respondElse(UInt32, fallback: UInt32)
  /// `open(FILE)` + `pread` + `close` through the listener's normal fd: a backing file, say;
  /// nil offset and count read the event's range (the first page for an event without one).
  case readFile(Int, offset: Int?, count: Int?)
  /// The same with `open(FILE, O_WRONLY)` + `pwrite`.
  case writeFile(Int, offset: Int?, count: Int?)
  /// One call of a listener program (`listener NAME` blocks): a syscall through the event fd
  /// (slot `KernelSystem.listenerEventSlot`) or the listener's normal fd (`listenerNormalSlot`).
  case call(ListenerCall)
}
