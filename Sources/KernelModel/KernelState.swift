import Exploration

/// The whole dynamic state of a modelled system: one value, `Hashable`, made of small integers.
public struct KernelState: Hashable, Sendable, Codable {
  /// Per file of `KernelConfig.files`: size, content and page cache.
  public var inodes: [InodeState] { didSet { sharedKey.invalidate() } }
  /// Active marks, in the order they were added (a mark added twice merges its mask in place).
  public var marks: [Mark] { didSet { sharedKey.invalidate() } }
  /// Per group of `KernelConfig.groups`.
  public var groups: [GroupState] { didSet { sharedKey.invalidate() } }
  /// Per task: application tasks, then listeners (see `KernelSystem`).
  public var tasks: [TaskState]
  /// The superblock's freeze protection (`sb_writers`).
  public var sb: SuperblockState { didSet { sharedKey.invalidate() } }
  /// Ghost variables the invariants read; transitions only ever set them.
  public var history: History
  /// One value per `KernelConfig.observations` (empty without assertions that need them).
  public var observed: [Int] = [] { didSet { sharedKey.invalidate() } }
  /// The fingerprint of the shared parts (inodes, marks, groups, `sb`, observations) without
  /// their task ids (`KernelSystem.encodeShared`), kept so that a step that changes only tasks
  /// does not re-encode them; each of those fields forgets it when set.
  public var sharedKey = CachedKey()
}

extension KernelState {
  /// Makes this state equal to `source`, copying the arrays' elements into this state's own
  /// buffers where their sizes match (`KernelSystem.apply(_:to:into:)`): a successor reuses a
  /// discarded state's storage instead of allocating its own.
  mutating func overwrite(with source: KernelState) {
    inodes.overwrite(with: source.inodes)
    marks.overwrite(with: source.marks)
    groups.overwrite(with: source.groups)
    tasks.overwrite(with: source.tasks)
    sb = source.sb
    history = source.history
    observed = source.observed
    sharedKey = source.sharedKey
  }
}

extension Array {
  /// Makes this array equal to `source`: element by element into its own buffer when the
  /// counts match (no allocation once the buffer is unique), else by sharing `source`'s.
  @inline(__always)
  mutating func overwrite(with source: [Element]) {
    let same = withUnsafeBufferPointer { mine in
      source.withUnsafeBufferPointer { $0.baseAddress == mine.baseAddress }
    }
    guard !same else { return }
    guard count == source.count else { return self = source }
    withUnsafeMutableBufferPointer { mine in
      source.withUnsafeBufferPointer {
        mine.baseAddress!.update(from: $0.baseAddress!, count: $0.count)
      }
    }
  }
}

/// One regular file: its bytes, page cache and inode locks.
public struct InodeState: Hashable, Sendable, Codable {
  /// The authoritative content of every byte below `i_size` (design §3.2).
  public var content: FileContent
  /// The page cache, one slot per page the file may span: whether an uptodate folio is cached.
  /// A cached folio always holds what `content` holds for its page (every write goes through
  /// both), so only its presence is recorded.
  public var cached: [Bool]
  /// `i_size` in bytes.
  public var size: Int { content.size }
  /// `inode->i_rwsem`.
  public var iRwsem: RWSemaphore
  /// `mapping->invalidate_lock`.
  public var invalidateLock: RWSemaphore
  /// `i_writecount` split in its two signs: open files with write access, and exec write
  /// denials (`exe_file_deny_write_access`) of running images.
  public var writers = 0
  public var execDenials = 0
}

/// A reader/writer semaphore: one exclusive holder or any number of shared holders (task ids).
public struct RWSemaphore: Hashable, Sendable, Codable {
  public var writer: Int?
  public var readers: [Int]

  public init() {
    writer = nil
    readers = []
  }

  public func isAvailable(exclusive: Bool) -> Bool {
    writer == nil && (!exclusive || readers.isEmpty)
  }

  /// The tasks holding it.
  public var holders: [Int] { writer.map { [$0] } ?? readers }
}

/// The superblock's `sb_writers` percpu rwsem and the freeze state it protects.
public struct SuperblockState: Hashable, Sendable, Codable {
  public enum Freeze: Hashable, Sendable, Codable {
    case unfrozen
    /// `freeze_super` → `sb_wait_write`: new writers block; waits for current ones to leave.
    case freezing(by: Int)
    case frozen(by: Int)
  }
  /// Tasks inside `sb_start_write` … `sb_end_write`, sorted (a multiset).
  public var writers: [Int]
  public var freeze: Freeze
}

/// A group's notification queue and access list (§5.1).
public struct GroupState: Hashable, Sendable, Codable {
  /// Events not read yet (INIT), oldest first: tasks waiting on a permission event and
  /// notification events.
  public var queue: [QueuedEvent]
  /// Events the listener read (REPORTED): the event fd number handed out and the waiting task.
  public var accessList: [AccessEntry]
  /// `fanotify_release` ran: the group answers nothing and receives nothing any more.
  public var closed: Bool
  /// Events the listener has read so far (numbers the next event for scripted listeners).
  public var delivered = 0
}

/// An event on a group's notification queue.
public enum QueuedEvent: Hashable, Sendable, Codable {
  /// Task `waiter`'s permission event (its details are the task's `pending` event); it sleeps
  /// until the group answers.
  case permission(waiter: Int)
  /// A notification event (`FAN_ACCESS`, `FAN_MODIFY`, `FAN_CLOSE_*`, `FAN_OPEN*`): nobody
  /// waits for it, and identical unread ones merge (`fanotify_merge`).
  case notice(Notice)
  /// `FAN_Q_OVERFLOW`: the queue was full and dropped an event (B17); queued once until read,
  /// even past the limit, with no fd.
  case overflow

  /// The waiting task of a permission event.
  public var waiter: Int? {
    if case .permission(let w) = self { return w }
    return nil
  }
}

/// A notification event: its mask (merged events OR theirs), the file and the task that caused it.
public struct Notice: Hashable, Sendable, Codable {
  public var mask: EventMask
  public var file: Int
  public var pid: Int

  public init(mask: EventMask, file: Int, pid: Int) {
    self.mask = mask
    self.file = file
    self.pid = pid
  }
}

extension GroupState {
  /// The tasks whose permission events are queued, oldest first.
  public var queuedWaiters: [Int] { queue.compactMap(\.waiter) }

  /// `fsnotify_insert_event` on a full queue: the event is dropped and the overflow event
  /// queued unless it already is. Whether the group's queue is full.
  mutating func overflowIfFull(limit: Int?) -> Bool {
    guard let limit, queue.count >= limit else { return false }
    if !queue.contains(.overflow) { queue.append(.overflow) }
    return true
  }
}

/// An entry of a group's access list.
public struct AccessEntry: Hashable, Sendable, Codable {
  public var fd: Int
  public var waiter: Int
}

/// An open file description.
public struct OpenFile: Hashable, Sendable, Codable {
  public var file: Int
  public var flags: OpenFlags
  /// Decided once at open; never changes (I0).
  public var mode: NotifyMode
  public var pos: Int
  /// A listener's event fd (created by `fanotify_read`, FMODE_NONOTIFY unless mutated).
  public var isEventFd = false
}

/// An event fd a listener holds: its number and the file it refers to (mode FMODE_NONOTIFY).
public struct EventFd: Hashable, Sendable, Codable {
  public var number: Int
  public var file: Int
}

/// A shared file mapping made by `mmap` (faults come with the fault-hook profiles).
public struct Mapping: Hashable, Sendable, Codable {
  public var file: Int
  public var offset: Int
  public var length: Int
  /// The file was in HSM mode and every interested group allowed the range at mmap time.
  public var notified: Bool
  /// The notify mode of the file the mapping was made through.
  public var mode = NotifyMode.noPerm
  /// The mapping was made through a file in HSM mode.
  public var hsm: Bool { mode.preContent }
  /// Pages of the mapping with a PTE installed, by bit (page index within the mapping).
  public var ptes: UInt64 = 0
  /// `MADV_HUGEPAGE`: faults may map a whole PMD (`KernelSystem.pmdPages` pages).
  public var huge = false
  /// PROT_WRITE: made through a file open for writing.
  public var writable = false
  /// The fd slot whose open file the mapping holds, until that fd is closed (the mapping keeps
  /// the file, so its close notification waits for munmap).
  public var fdSlot: Int? = nil
  /// PMD groups (`KernelSystem.pmdPages` pages each, by bit) mapped by one huge PMD rather than by
  /// PTEs (their pages' bits in `ptes` are set too).
  public var pmds: UInt64 = 0

  public func hasPTE(_ page: Int) -> Bool { ptes & (1 << UInt64(page)) != 0 }
  /// Page `page` is mapped by a huge PMD.
  public func hasPMD(_ page: Int) -> Bool {
    pmds & (1 << UInt64(page / KernelSystem.pmdPages)) != 0
  }
}

/// The permission event a task waits on; a task has at most one at a time.
public struct PendingEvent: Hashable, Sendable, Codable {
  public enum Status: Hashable, Sendable, Codable {
    /// On the group's notification queue (INIT).
    case queued
    /// Read by the listener, on the access list under this event fd number (REPORTED).
    case reported(fd: Int)
    /// Answered; the waiter wakes with this outcome (ANSWERED). `implicit` when nobody decided
    /// (group closed, §5).
    case answered(ResponseValidation.WaiterOutcome, implicit: Bool)
  }
  public var group: Int
  public var mask: EventMask
  public var range: EventRange?
  public var file: Int
  public var status: Status
}

/// A task's fd table (slots of its scenario's fd variables; a listener's event and normal slot).
public typealias FdSlots = InlineList<6, OpenFile?>
/// A task's mapping slots.
public typealias MapSlots = InlineList<3, Mapping?>
/// The event fds a listener thread holds.
public typealias EventFds = InlineList<4, EventFd>
/// The locks a task holds: a syscall's kernel locks (the most any scenario's search reaches is
/// 5) and a listener's daemon mutexes (at most `ScenarioResolver.mutexLimit`, 3).
public typealias HeldLocks = InlineList<10, KernelLock>

/// Where a task is: in user space, or inside a kernel path.
///
/// Plain bits (no reference inside): its lists are inline (`InlineList`), its path and its
/// listener calls interned numbers, so copying a task, and the task array on a step, is a memcpy.
public struct TaskState: Hashable, Sendable, Codable {
  /// Application tasks: the index of the current (or next) instruction.
  public var pc: Int { didSet { key.invalidate() } }
  /// Which of the instruction's choices the task took (0 without alternatives).
  public var choice = 0 { didSet { key.invalidate() } }
  /// The remaining steps of the current path; empty in user space.
  public var path: StepList { didSet { key.invalidate() } }
  /// Application tasks: the fd slots (scenario fd variables).
  public var fds: FdSlots { didSet { key.invalidate() } }
  /// Application tasks: the mapping slots.
  public var maps: MapSlots { didSet { key.invalidate() } }
  /// Listeners: event fds they hold, by number.
  public var eventFds: EventFds { didSet { key.invalidate() } }
  /// Listeners: the event being handled and the next action.
  public var handling: Handling? { didSet { key.invalidate() } }
  public var pending: PendingEvent? { didSet { key.invalidate() } }
  /// Locks held, in acquisition order.
  public var held: HeldLocks { didSet { key.invalidate() } }
  /// The data transfer in progress.
  public var io: IORequest? { didSet { key.invalidate() } }
  /// Groups that allowed the current operation's pre-content event, by bit (for I1).
  public var allowedGroups: UInt32 { didSet { key.invalidate() } }
  /// The current operation went ahead without a decided answer (queue overflow, group closed).
  public var implicitAllow: Bool { didSet { key.invalidate() } }
  /// In the current fault episode, an event for the faulting folio was allowed (I2-h).
  public var faultEventAllowed = false { didSet { key.invalidate() } }
  /// A fatal signal is pending: the task dies at its next killable wait or return to user space.
  public var signalled: Bool { didSet { key.invalidate() } }
  /// A fatal signal ended the task.
  public var killed: Bool { didSet { key.invalidate() } }
  /// The task stopped where a file would have grown past its `max` (`PathStep.sizeBound`).
  public var stoppedAtBound = false { didSet { key.invalidate() } }
  /// This state's own fingerprint once computed (`KernelSystem.key(ofTask:in:)`); every field above
  /// forgets it when set, so it is always the fingerprint of the fields it sits beside.
  public var key = CachedKey()

  /// In user space with nothing in progress.
  public var inUserSpace: Bool { path.isEmpty }
}

/// The fingerprint of a task's state, or of a state's shared parts, kept beside them once computed
/// so that a step re-encodes only what it changed (incremental fingerprints). It is a cache, not
/// state: every two keys are equal, hash to nothing and encode as nothing, so the equality,
/// hashing and JSON of the value holding it are those of its other fields.
public struct CachedKey: Hashable, Sendable, Codable {
  public var fingerprint: Fingerprint?

  public init() {}

  mutating func invalidate() { fingerprint = nil }

  public static func == (a: CachedKey, b: CachedKey) -> Bool { true }
  public func hash(into hasher: inout Hasher) {}
  public init(from decoder: any Decoder) {}
  public func encode(to encoder: any Encoder) throws {}
}

/// The position, length and file of the data transfer in progress.
public struct IORequest: Hashable, Sendable, Codable {
  public var slot: Int
  public var pos: Int
  public var count: Int
  /// Whether the file position advances (read, write) or not (pread, pwrite).
  public var usesFilePosition: Bool
  /// Bytes transferred so far.
  public var done: Int
  /// For a write whose user buffer is a mapping (B1): the mapping and the page of it to fault in.
  public var sourceMap: Int? = nil
  public var sourcePage = 0
}

/// One event a listener handles and where it is in the model's actions.
public struct Handling: Hashable, Sendable, Codable {
  /// The task waiting for the answer; nil for a notification event.
  public var waiter: Int?
  public var fd: Int
  public var event: ListenerEvent
  /// The model's actions as calls, and the index of the next one to start.
  public var calls: CallList
  public var next: Int
  /// The response to write if the one being written fails (`ListenerAction.respondElse`).
  public var fallback: UInt32? = nil
}

/// A listener's calls for one event, held as their number in a process-wide table (`lists`): the
/// lists are few (one per listener action list and event shape), so a handling task stays plain
/// bits. Equality, hashing and coding are an array's.
public struct CallList: RandomAccessCollection, Hashable, Sendable, Codable,
  ExpressibleByArrayLiteral
{
  static let lists = InternTable<[ListenerCall], [ListenerCall]>()

  private var number: UInt32

  public init(_ calls: [ListenerCall]) { number = Self.lists.number(of: calls) { $0 } }
  public init(arrayLiteral calls: ListenerCall...) { self.init(calls) }

  public var startIndex: Int { 0 }
  public var endIndex: Int { Self.lists[number].count }
  public subscript(i: Int) -> ListenerCall { Self.lists[number][i] }

  public mutating func insert(_ call: ListenerCall, at i: Int) {
    var calls = Array(self)
    calls.insert(call, at: i)
    self = CallList(calls)
  }

  public init(from decoder: any Decoder) throws { self.init(try [ListenerCall](from: decoder)) }
  public func encode(to encoder: any Encoder) throws { try Array(self).encode(to: encoder) }
}

/// What a listener does for one action: a syscall (through its event fd or a normal fd) or one
/// of the fanotify-specific calls.
public enum ListenerCall: Hashable, Sendable, Codable {
  case syscall(Syscall)
  case respond(UInt32)
  /// `respond`, then `respond(fallback)` if that write failed.
  case respondElse(UInt32, fallback: UInt32)
  case closeEventFd
  case closeGroup
  /// `pthread_mutex_lock` / `pthread_mutex_unlock` of the daemon's mutex `id`.
  case lock(Int)
  case unlock(Int)
  /// Hands the event and the calls after this one to an idle helper thread.
  case spawn
}

/// Ghost variables: facts about the past that invariants check.
public struct History: Hashable, Sendable, Codable {
  /// A read copied stub content to user space through an HSM-mode file (I2 violated).
  public var unnotifiedRead = false
  /// A read copied stub content through a file exempt from I2 (§8 I2(c): a known gap).
  public var gapRead = false
  /// A waiter woke with an answer the response rules forbid (I6 violated).
  public var answerDiscipline = false
  /// A syscall returned something other than the scenario's `-> RESULT`.
  public var resultMismatch = false
  /// A data transfer through an HSM-mode file began without every interested group's allow (I1).
  public var uncoveredTransfer = false
  /// A permission event was emitted while holding a lock §4.1 forbids (I3).
  public var lockedEmission = false
  /// An operation through an FMODE_NONOTIFY fd emitted an event, other than truncate (I4).
  public var silentFdEmitted = false
  /// A truncate through an FMODE_NONOTIFY fd emitted an event: the B14 exception (a known gap).
  public var silentFdTruncate = false
  /// A range record was not page aligned or did not cover the access (I11).
  public var unsoundRange = false
  /// A file that skipped the open-time decision got a mode other than NONE/NOPERM (I7).
  public var defaultModeHSM = false
  /// A group received an event before a higher-priority group that also watched it (I8).
  public var groupOrder = false
  /// exec touched i_writecount of an HSM binary, or failed ETXTBSY on one (I10).
  public var execWriteDeny = false
  /// A FAN_PRE_ACCESS event was delivered for a directory (I12).
  public var directoryEvent = false
  /// A fault of a DAX inode reached `filemap_fault` instead of the DAX handler (B2).
  public var wrongDispatch = false
  /// A fault hook emitted for a page that was already uptodate, under a placement that promises
  /// events only for not-uptodate folios (B11).
  public var spuriousFaultEvent = false
  /// A fault returned VM_FAULT_RETRY still holding `mmap_lock` to a caller that did not allow
  /// retries (B10).
  public var retryLockHeld = false
  /// A fault mapped a folio that was not uptodate without an allowed event in that episode, or
  /// readahead made a stub folio of an HSM file uptodate, under a fault-hook profile (I2-h).
  public var unnotifiedFault = false
  /// A task stopped where a file would have grown past the scenario's `max` (a bound of the
  /// model: the run is incomplete).
  public var sizeBound = false
}

/// Kernel locks, by class name and the object they belong to.
public enum KernelLock: Hashable, Sendable, Codable {
  /// The fd's `f_pos_lock` (`fdget_pos`); never shared between tasks in this model.
  case f_pos_lock(slot: Int)
  /// `sb_start_write` … `sb_end_write` (the `sb_writers` percpu rwsem, read side).
  case sb_writers
  /// `inode->i_rwsem` of a file.
  case i_rwsem(file: Int)
  /// `mapping->invalidate_lock` of a file.
  case invalidate_lock(file: Int)
  /// The task's own `mm->mmap_lock`.
  case mmap_lock
  /// `current->signal->cred_guard_mutex`, held by exec while it reads the binary (§3.7).
  case cred_guard_mutex
  /// A filesystem's own fault lock on a file (gfs2 glock, bcachefs pagecache lock).
  case fs_fault_lock(file: Int)
  /// A page-cache folio's lock (`folio_lock`, the PG_locked bit): one page in the model.
  case folio_lock(file: Int, page: Int)
  /// A listener daemon's own mutex (`pthread_mutex_lock` in a listener program), shared by the
  /// worker threads of group `group`; `id` numbers the program's mutexes.
  case daemon_mutex(group: Int, id: Int)

  /// The lock class name, as lockdep prints it.
  public var className: String {
    switch self {
    case .f_pos_lock: return "f_pos_lock"
    case .sb_writers: return "sb_writers"
    case .i_rwsem: return "i_rwsem"
    case .invalidate_lock: return "invalidate_lock"
    case .mmap_lock: return "mmap_lock"
    case .cred_guard_mutex: return "cred_guard_mutex"
    case .fs_fault_lock: return "fs_fault_lock"
    case .folio_lock: return "folio_lock"
    case .daemon_mutex: return "pthread_mutex"
    }
  }

  /// A lock of the listener daemon (user space), not of the kernel.
  public var isUserSpace: Bool {
    if case .daemon_mutex = self { return true }
    return false
  }

  /// Whether §4.1 forbids holding it while a permission event is emitted (I3).
  public var forbiddenAtEmission: Bool {
    switch self {
    case .f_pos_lock, .cred_guard_mutex, .daemon_mutex: return false
    default: return true
    }
  }
}
