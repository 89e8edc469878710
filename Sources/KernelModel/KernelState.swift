/// The whole dynamic state of a modelled system: one value, `Hashable`, made of small integers.
public struct KernelState: Hashable, Sendable {
  /// Per file of `KernelConfig.files`: content and page cache.
  public var inodes: [InodeState]
  /// Active marks, in the order they were added (a mark added twice merges its mask in place).
  public var marks: [Mark]
  /// Per group of `KernelConfig.groups`.
  public var groups: [GroupState]
  /// Per application task of `KernelConfig.tasks`.
  public var tasks: [TaskState]
  /// Per group, the state of the listener serving it (idle for a group without a listener).
  public var listeners: [ListenerState]
  /// Ghost variables the invariants read; transitions only ever set them.
  public var history: History
}

/// One regular file: per-page content and page cache.
public struct InodeState: Hashable, Sendable {
  /// What each page of the file holds (the authoritative content).
  public var content: [PageContent]
  /// The page cache: nil = no folio; otherwise an uptodate folio with the content it was read
  /// or written with.
  public var cache: [PageContent?]
}

/// A group's notification queue and access list (§5.1).
public struct GroupState: Hashable, Sendable {
  /// Tasks whose permission event is queued (INIT), oldest first.
  public var queue: [Int]
  /// Events the listener read (REPORTED): the event fd number handed out and the waiting task.
  public var accessList: [AccessEntry]
}

/// An entry of a group's access list.
public struct AccessEntry: Hashable, Sendable {
  public var fd: Int
  public var waiter: Int
}

/// An open file description held in a task's fd slot.
public struct OpenFile: Hashable, Sendable {
  public var file: Int
  public var flags: OpenFlags
  /// Decided once at open; never changes (I0).
  public var mode: NotifyMode
  public var pos: Int
}

/// The permission event a task waits on; a task has at most one at a time.
public struct PendingEvent: Hashable, Sendable {
  public enum Status: Hashable, Sendable {
    /// On the group's notification queue (INIT).
    case queued
    /// Read by the listener, on the access list under this event fd number (REPORTED).
    case reported(fd: Int)
    /// Answered; the waiter wakes with this outcome (ANSWERED).
    case answered(ResponseValidation.WaiterOutcome)
  }
  public var group: Int
  public var mask: EventMask
  public var range: EventRange?
  public var file: Int
  public var status: Status
}

/// Where an application task is.
public struct TaskState: Hashable, Sendable {
  /// The index of the current (or next) instruction.
  public var pc: Int
  public var phase: TaskPhase
  /// The task's fd slots (scenario fd variables).
  public var fds: [OpenFile?]
  /// The file being opened, between `do_dentry_open` and `fd_install`.
  public var opening: OpenFile?
  public var pending: PendingEvent?
  /// The read in progress: fd slot, position and requested count.
  public var io: IORequest?
  /// Locks held, by kernel class name.
  public var held: LockSet
}

/// The position and length of the read in progress.
public struct IORequest: Hashable, Sendable {
  public var slot: Int
  public var pos: Int
  public var count: Int
  /// Whether the file position advances (read) or not (pread).
  public var usesFilePosition: Bool
}

/// The state machine of the syscall a task is in.
public enum TaskPhase: Hashable, Sendable {
  /// In user space, about to issue instruction `pc` (or finished if `pc` is past the program).
  case user
  /// In `fsnotify()`: the next group to queue the event to, by position in delivery order.
  case notify(Notification)
  /// In `fanotify_get_response()`, waiting for the answer of the current group.
  case waiting(Notification)
  /// In `filemap_read()`: the next page to copy, the last page, and the byte count to return.
  case reading(page: Int, endPage: Int, bytes: Int)
  /// About to return to user space with this result.
  case returning(SyscallResult)
}

/// One permission-event walk over the groups (`fsnotify()` for one mask).
public struct Notification: Hashable, Sendable {
  public var mask: EventMask
  public var range: EventRange?
  public var file: Int
  /// Position in `KernelSystem.deliveryOrder` of the next (or current) group.
  public var cursor: Int
}

/// A listener task's progress through the actions of its current event.
public enum ListenerState: Hashable, Sendable {
  case idle(openEventFds: [Int])
  case handling(Handling, openEventFds: [Int])

  public var openEventFds: [Int] {
    switch self {
    case .idle(let fds), .handling(_, let fds): return fds
    }
  }
}

/// The event a listener is handling and where it is in the model's actions.
public struct Handling: Hashable, Sendable {
  public var waiter: Int
  public var fd: Int
  public var event: ListenerEvent
  public var action: Int
  /// Within a `fillRange` action: the next page to consider.
  public var page: Int
}

/// Ghost variables: facts about the past that invariants check.
public struct History: Hashable, Sendable {
  /// A read copied stub content to user space through an HSM-mode file (I2 violated).
  public var unnotifiedRead = false
  /// A read copied stub content through a file exempt from I2 (§8 I2(c): a known gap).
  public var gapRead = false
  /// A waiter woke with an answer the response rules forbid (I6 violated).
  public var answerDiscipline = false
  /// A syscall returned something other than the scenario's `-> RESULT`.
  public var resultMismatch = false
}

/// Kernel locks by class name, as a bitset.
public struct LockSet: OptionSet, Hashable, Sendable, CustomStringConvertible {
  public var rawValue: UInt16
  public init(rawValue: UInt16) { self.rawValue = rawValue }

  public static let f_pos_lock = LockSet(rawValue: 1 << 0)
  public static let sb_writers = LockSet(rawValue: 1 << 1)
  public static let i_rwsem = LockSet(rawValue: 1 << 2)
  public static let invalidate_lock = LockSet(rawValue: 1 << 3)
  public static let folio_lock = LockSet(rawValue: 1 << 4)
  public static let mmap_lock = LockSet(rawValue: 1 << 5)

  public static let named: [(String, LockSet)] = [
    ("f_pos_lock", .f_pos_lock), ("sb_writers", .sb_writers), ("i_rwsem", .i_rwsem),
    ("invalidate_lock", .invalidate_lock), ("folio_lock", .folio_lock), ("mmap_lock", .mmap_lock),
  ]

  public var names: [String] { Self.named.filter { contains($0.1) }.map(\.0) }
  public var description: String { names.isEmpty ? "none" : names.joined(separator: ", ") }
}
