/// The static description of a modelled system: what a scenario sets up before any task runs.
///
/// Everything that never changes during exploration lives here; everything that does lives in
/// `KernelState`.
public struct KernelConfig: Sendable {
  public var profile: Profile
  public var filesystem: Filesystem
  public var files: [FileSpec]
  public var groups: [GroupSpec]
  /// Marks present before any task runs.
  public var marks: [Mark]
  public var tasks: [TaskSpec]
  /// The property ids to check; nil checks all of `KernelSystem.allProperties`.
  public var checkedProperties: Set<String>?
  /// The scenario's own properties (`assert …`).
  public var assertions: [Assertion] = []
  /// What the state records for them (`KernelState.observed`, one value each).
  public var observations: [Observation] = []

  public init(
    profile: Profile, filesystem: Filesystem, files: [FileSpec], groups: [GroupSpec],
    marks: [Mark], tasks: [TaskSpec], checkedProperties: Set<String>? = nil
  ) {
    self.profile = profile
    self.filesystem = filesystem
    self.files = files
    self.groups = groups
    self.marks = marks
    self.tasks = tasks
    self.checkedProperties = checkedProperties
  }
}

/// The one superblock's filesystem type and its HSM opt-in (`SB_I_ALLOW_HSM`, §1.6).
public struct Filesystem: Hashable, Sendable, Codable {
  public var type: String
  public var allowsHSM: Bool
  /// The filesystem's private lock its `->fault` takes before `filemap_fault` (gfs2's glock,
  /// bcachefs' pagecache lock); v2 put the hook before it.
  public var faultLock: String? = nil
  /// Opts in to HSM only with v2's per-filesystem hooks (gfs2, bcachefs; dropped by v6).
  public var v2Only = false
  /// Has `->remap_file_range` (reflink and dedupe): xfs and btrfs; ext4 and tmpfs do not, so
  /// FICLONE and FIDEDUPERANGE fail EOPNOTSUPP before any hook (measured on ext4, 6.18).
  public var remaps: Bool { type == "xfs" || type == "btrfs" }

  /// The filesystems the model knows; ext4, xfs and btrfs opt in.
  public static let known: [Filesystem] = [
    Filesystem(type: "ext4", allowsHSM: true), Filesystem(type: "xfs", allowsHSM: true),
    Filesystem(type: "btrfs", allowsHSM: true), Filesystem(type: "tmpfs", allowsHSM: false),
    Filesystem(type: "gfs2", allowsHSM: false, faultLock: "glock", v2Only: true),
    Filesystem(type: "bcachefs", allowsHSM: false, faultLock: "pagecache_lock", v2Only: true),
  ]

  public static func named(_ type: String) -> Filesystem? { known.first { $0.type == type } }
}

/// What a file page holds (design §3.2).
public enum PageContent: String, Hashable, Sendable, Codable, CaseIterable {
  /// A stub: the real content exists only at the HSM's source.
  case remote
  /// The listener filled it from the source.
  case filled
  /// An application wrote new data.
  case written
  /// A hole or zeros (truncated or never existed); reading zeros here is correct.
  case hole
}

/// A regular file: its initial size in bytes, the initial content of each page, and the size it
/// may grow to.
public struct FileSpec: Hashable, Sendable, Codable {
  public var name: String
  /// What each page holds at the start (the last page may be partial: see `size`).
  public var content: [PageContent]
  /// The initial `i_size` in bytes.
  public var size: Int
  /// The largest `i_size` the model lets the file reach (a bound of the model, not of the
  /// kernel: a program that would grow the file past it makes the run incomplete).
  public var maxSize: Int
  /// A pseudo file (anon inode, device): its open never reaches the open-time mode decision.
  public var pseudo = false
  /// A directory: read with `getdents`, never in HSM mode on 6.17+ unless FAN_ACCESS_PERM forces
  /// mode 0, and its events are filtered unless the mark has FAN_ONDIR (§3.8).
  public var directory = false
  /// A DAX inode: no page cache; faults go to the filesystem's DAX handler (§3.3).
  public var dax = false
  /// What exec reads and maps of it; nil for the layout of `/bin/true` (`ElfLayout.binTrue`).
  public var elf: ElfLayout?
  /// Pages the initial size spans.
  public var pageCount: Int { (size + Fanotify.pageSize - 1) / Fanotify.pageSize }
  /// Pages the file may ever span (`maxSize`): the model's page objects and page cache slots.
  public var pageCapacity: Int { (maxSize + Fanotify.pageSize - 1) / Fanotify.pageSize }
  /// The initial bytes.
  public var initialContent: FileContent { FileContent(size: size, pages: content) }

  /// A file of whole pages that cannot grow.
  public init(name: String, content: [PageContent], pseudo: Bool = false) {
    self.init(
      name: name, size: content.count * Fanotify.pageSize, content: content, pseudo: pseudo)
  }

  /// A file of `size` bytes whose page `p` holds `content[p]` (one value for every page when
  /// `content` has one), growing up to `maxSize` (default `size`).
  public init(
    name: String, size: Int, content: [PageContent], maxSize: Int? = nil, pseudo: Bool = false
  ) {
    self.name = name
    self.size = size
    self.maxSize = max(size, maxSize ?? size)
    let pages = (size + Fanotify.pageSize - 1) / Fanotify.pageSize
    self.content =
      content.count == 1 && pages != 1 ? Array(repeating: content[0], count: pages) : content
    self.pseudo = pseudo
  }
}

/// A fanotify group and the listener program that serves it.
public struct GroupSpec: Sendable {
  public var name: String
  public var groupClass: GroupClass
  /// The listener program; nil for a group nobody reads.
  public var listener: (any ListenerModel)?
  /// `max_events` of the notification queue; nil for FAN_UNLIMITED_QUEUE.
  public var queueLimit: Int?
  /// `fanotify_init`'s flags besides the class.
  public var initFlags: InitFlags = []
  /// `event_f_flags`: how the event fds handed to the listener are opened (default O_RDWR, as
  /// an HSM that fills through them needs).
  public var eventFlags: OpenFlags = .O_RDWR
  /// The listener daemon's worker threads, each a task reading the same group fd (one process:
  /// one fd table, one set of daemon mutexes).
  public var threads = 1
  /// Helper threads the listener program hands an event to (`spawn`), idle until then.
  public var helpers = 0

  public init(
    name: String, groupClass: GroupClass, listener: (any ListenerModel)?, queueLimit: Int? = nil
  ) {
    self.name = name
    self.groupClass = groupClass
    self.listener = listener
    self.queueLimit = queueLimit
  }
}

/// `fanotify_init` flags the model takes (the class is `GroupClass`, `max_events` the queue
/// limit).
public struct InitFlags: OptionSet, Hashable, Sendable, Codable, CustomStringConvertible {
  public var rawValue: UInt32
  public init(rawValue: UInt32) { self.rawValue = rawValue }

  public static let FAN_CLOEXEC = InitFlags(rawValue: 0x0000_0001)
  public static let FAN_NONBLOCK = InitFlags(rawValue: 0x0000_0002)
  public static let FAN_UNLIMITED_QUEUE = InitFlags(rawValue: 0x0000_0010)
  public static let FAN_UNLIMITED_MARKS = InitFlags(rawValue: 0x0000_0020)
  /// Report the event's thread id instead of its process id.
  public static let FAN_REPORT_TID = InitFlags(rawValue: 0x0000_0100)
  /// Report a file handle instead of an fd (notification class only).
  public static let FAN_REPORT_FID = InitFlags(rawValue: 0x0000_0200)
  public static let FAN_REPORT_DIR_FID = InitFlags(rawValue: 0x0000_0400)
  public static let FAN_REPORT_NAME = InitFlags(rawValue: 0x0000_0800)
  /// A pidfd of the event's process in an info record before the range record.
  public static let FAN_REPORT_PIDFD = InitFlags(rawValue: 0x0000_0080)
  /// A failure to create the event fd is reported in `metadata.fd` instead of failing `read`.
  public static let FAN_REPORT_FD_ERROR = InitFlags(rawValue: 0x0000_2000)

  public static let named: [(String, InitFlags)] = [
    ("FAN_CLOEXEC", .FAN_CLOEXEC), ("FAN_NONBLOCK", .FAN_NONBLOCK),
    ("FAN_UNLIMITED_QUEUE", .FAN_UNLIMITED_QUEUE), ("FAN_UNLIMITED_MARKS", .FAN_UNLIMITED_MARKS),
    ("FAN_REPORT_PIDFD", .FAN_REPORT_PIDFD), ("FAN_REPORT_TID", .FAN_REPORT_TID),
    ("FAN_REPORT_FID", .FAN_REPORT_FID), ("FAN_REPORT_DIR_FID", .FAN_REPORT_DIR_FID),
    ("FAN_REPORT_NAME", .FAN_REPORT_NAME), ("FAN_REPORT_FD_ERROR", .FAN_REPORT_FD_ERROR),
  ]

  /// `FANOTIFY_FID_BITS`.
  public static let fidBits: InitFlags = [.FAN_REPORT_FID, .FAN_REPORT_DIR_FID, .FAN_REPORT_NAME]

  /// `fanotify_init`'s refusal of these flags for a group of class `groupClass` (fs/notify/
  /// fanotify/fanotify_user.c, read in 6.18): PIDFD with TID, file-handle reporting outside the
  /// notification class, REPORT_NAME without REPORT_DIR_FID.
  public func initError(groupClass: GroupClass) -> Errno? {
    if contains(.FAN_REPORT_PIDFD) && contains(.FAN_REPORT_TID) { return .EINVAL }
    let fid = intersection(Self.fidBits)
    if !fid.isEmpty && groupClass != .notif { return .EINVAL }
    if fid.contains(.FAN_REPORT_NAME) && !fid.contains(.FAN_REPORT_DIR_FID) { return .EINVAL }
    return nil
  }

  public var description: String {
    let parts = Self.named.filter { contains($0.1) }.map(\.0)
    return parts.isEmpty ? "0" : parts.joined(separator: "|")
  }
}

/// What a mark is attached to.
public enum MarkObject: Hashable, Sendable, Codable {
  /// An inode mark on file `file` (an index into `KernelConfig.files`).
  case inode(file: Int)
  /// An inode mark on the directory holding every file (with FAN_EVENT_ON_CHILD it covers them).
  case directory
  /// A mount mark (FAN_MARK_MOUNT) on the one mount.
  case mount
  /// A filesystem mark (FAN_MARK_FILESYSTEM) on the one superblock.
  case filesystem
}

extension MarkObject {
  /// The file of an inode mark.
  public var file: Int? {
    if case .inode(let f) = self { return f }
    return nil
  }
}

/// A fanotify mark: a group's interest in events on an object, and the events it ignores there.
///
/// As a `fanotify_mark` request (`Syscall.fanotifyMark`) `mask` is the request's mask, which the
/// flags apply to the mark's mask or to its ignore mask.
public struct Mark: Hashable, Sendable, Codable {
  public var group: Int
  public var object: MarkObject
  public var mask: EventMask
  /// The ignore mask (FAN_MARK_IGNORE or FAN_MARK_IGNORED_MASK): these events are not delivered
  /// to the group for objects this mark covers, whichever of its marks asks for them.
  public var ignore: EventMask = []
  /// FAN_MARK_IGNORED_SURV_MODIFY: the ignore mask survives FS_MODIFY (else a write or a
  /// truncate of the file clears it).
  public var ignoreSurvivesModify = false
  /// The ignore mask was set with FAN_MARK_IGNORE (the 6.0 API), after which
  /// FAN_MARK_IGNORED_MASK is refused (EEXIST).
  public var ignoreFlagsAPI = false

  public init(group: Int, object: MarkObject, mask: EventMask) {
    self.group = group
    self.object = object
    self.mask = mask
  }
}

/// `fanotify_mark` flags the model takes (besides the object type, `MarkObject`).
public struct MarkFlags: OptionSet, Hashable, Sendable, Codable, CustomStringConvertible {
  public var rawValue: UInt32
  public init(rawValue: UInt32) { self.rawValue = rawValue }

  public static let FAN_MARK_REMOVE = MarkFlags(rawValue: 0x0000_0002)
  public static let FAN_MARK_IGNORED_MASK = MarkFlags(rawValue: 0x0000_0020)
  public static let FAN_MARK_IGNORED_SURV_MODIFY = MarkFlags(rawValue: 0x0000_0040)
  public static let FAN_MARK_IGNORE = MarkFlags(rawValue: 0x0000_0400)

  public static let named: [(String, MarkFlags)] = [
    ("FAN_MARK_REMOVE", .FAN_MARK_REMOVE), ("FAN_MARK_IGNORED_MASK", .FAN_MARK_IGNORED_MASK),
    ("FAN_MARK_IGNORED_SURV_MODIFY", .FAN_MARK_IGNORED_SURV_MODIFY),
    ("FAN_MARK_IGNORE", .FAN_MARK_IGNORE),
  ]

  /// `FANOTIFY_MARK_IGNORE_BITS`: the request is about the ignore mask.
  public var ignoreBits: MarkFlags { intersection([.FAN_MARK_IGNORED_MASK, .FAN_MARK_IGNORE]) }

  public var description: String {
    let parts = Self.named.filter { contains($0.1) }.map(\.0)
    return (["FAN_MARK_ADD"].filter { _ in !contains(.FAN_MARK_REMOVE) } + parts)
      .joined(separator: "|")
  }
}

/// An application task and its program.
public struct TaskSpec: Hashable, Sendable, Codable {
  public var name: String
  public var program: [Instruction]
  /// The names of the fd variables the program uses; slot i is `fdNames[i]`.
  public var fdNames: [String]
  /// The names of the mapping variables (`m = mmap …`).
  public var mapNames: [String]
  public var fdSlots: Int { fdNames.count }
  public var mapSlots: Int { mapNames.count }

  public init(name: String, program: [Instruction], fdNames: [String], mapNames: [String] = []) {
    self.name = name
    self.program = program
    self.fdNames = fdNames
    self.mapNames = mapNames
  }
}

/// One syscall of a task's program, with the result the scenario expects, if any.
public struct Instruction: Hashable, Sendable, Codable {
  public var syscall: Syscall
  /// Other syscalls the task may issue instead (a nondeterministic choice: `A or B`).
  public var alternatives: [Syscall]
  public var expected: ExpectedResult?

  public init(_ syscall: Syscall, or alternatives: [Syscall] = [], expected: ExpectedResult? = nil)
  {
    self.syscall = syscall
    self.alternatives = alternatives
    self.expected = expected
  }

  /// Every syscall the instruction may issue, the first one first.
  public var choices: [Syscall] { [syscall] + alternatives }
}

/// What a scenario says a syscall returns (`-> 4096`, `-> EIO`, `-> ok`).
public enum ExpectedResult: Hashable, Sendable, Codable, CustomStringConvertible {
  case value(Int)
  case error(Errno)
  /// Any non-negative result.
  case success

  public func matches(_ result: SyscallResult) -> Bool {
    switch (self, result) {
    case (.value(let a), .value(let b)): return a == b
    case (.error(let a), .error(let b)): return a == b
    case (.success, .value): return true
    default: return false
    }
  }

  public var description: String {
    switch self {
    case .value(let v): return "\(v)"
    case .error(let e): return e.name
    case .success: return "ok"
    }
  }
}

/// The syscalls a program may issue. Fds are the task's fd slots (scenario variables); files are
/// indices into `KernelConfig.files`.
public enum Syscall: Hashable, Sendable, Codable {
  /// `openat(AT_FDCWD, file, flags)` into fd slot `slot`.
  case open(file: Int, flags: OpenFlags, slot: Int)
  /// `read(fd, buf, count)` at the file position.
  case read(slot: Int, count: Int)
  /// `pread64(fd, buf, count, offset)`.
  case pread(slot: Int, offset: Int, count: Int)
  /// `readv(fd, iov, n)` at the file position; one count per iovec.
  case readv(slot: Int, counts: [Int])
  /// `preadv(fd, iov, n, offset)`.
  case preadv(slot: Int, offset: Int, counts: [Int])
  /// `write(fd, buf, count)` at the file position (at EOF with O_APPEND).
  case write(slot: Int, count: Int)
  /// `pwrite64(fd, buf, count, offset)`.
  case pwrite(slot: Int, offset: Int, count: Int)
  /// `writev(fd, iov, n)`.
  case writev(slot: Int, counts: [Int])
  /// `ftruncate(fd, length)`.
  case ftruncate(slot: Int, length: Int)
  /// `truncate(path, length)`.
  case truncate(file: Int, length: Int)
  /// `fallocate(fd, mode, offset, len)`.
  case fallocate(slot: Int, mode: FallocateMode, offset: Int, length: Int)
  /// `mmap(NULL, length, PROT_READ, MAP_SHARED, fd, offset)` into mapping slot `map`.
  case mmap(slot: Int, offset: Int, length: Int, map: Int)
  /// `sendfile(out_fd, in_fd, offset?, count)`; nil offset uses the in file's position.
  case sendfile(outSlot: Int, inSlot: Int, offset: Int?, count: Int)
  /// `splice(fd, &offset, pipe, NULL, count, 0)`: file → a pipe of the task's own (§3.1 row S1).
  case spliceToPipe(slot: Int, offset: Int, count: Int)
  /// `splice(pipe, NULL, fd, &offset, count, 0)`: a pipe of the task's own, filled with `count`
  /// bytes first, → file (§3.1 row S2).
  case spliceFromPipe(slot: Int, offset: Int, count: Int)
  /// `copy_file_range(in, &inOffset, out, &outOffset, count, 0)`.
  case copyFileRange(inSlot: Int, inOffset: Int, outSlot: Int, outOffset: Int, count: Int)
  /// `ioctl(out, FICLONE, in)` (`length` 0, offsets 0: the whole file) or `FICLONERANGE`, or with
  /// `dedupe` `ioctl(in, FIDEDUPERANGE, {…, out})` with one destination: `vfs_clone_file_range`
  /// / `vfs_dedupe_file_range_one`, each end verified by `remap_verify_area` (§3.1 row K).
  case remap(
    inSlot: Int, inOffset: Int, outSlot: Int, outOffset: Int, length: Int, dedupe: Bool)
  /// `mremap(map, old_len, newLength, MREMAP_MAYMOVE)`: the mapping grows or shrinks in place of
  /// the model; no hook announces a grown range (B16).
  case mremap(map: Int, length: Int)
  /// `getdents64(fd)` on a directory: `iterate_dir → fsnotify_file_perm(MAY_READ)`, no range.
  case getdents(slot: Int)
  /// A user-space load of one byte at `offset` within mapping `map`: a page fault when the page
  /// has no PTE yet (`do_user_addr_fault → handle_mm_fault → do_read_fault`). With `flags` other
  /// than `.allowRetry` it is the same load by `get_user_pages`: FOLL_NOWAIT (`.retryNowait`), or
  /// without FOLL_UNLOCKABLE (`.noRetry`).
  case load(map: Int, offset: Int, flags: FaultRetryFlags = .allowRetry)
  /// A user-space store of one byte at `offset` within a shared writable mapping: a write fault
  /// (`do_shared_fault → ->fault → do_page_mkwrite`) when the page has no PTE yet.
  case store(map: Int, offset: Int)
  /// `madvise(MADV_HUGEPAGE)` on mapping `map`: its faults may map whole PMDs (THP).
  case madviseHugepage(map: Int)
  /// `posix_fadvise(fd, offset, length, POSIX_FADV_WILLNEED)` → `force_page_cache_ra` (B7).
  case fadviseWillneed(slot: Int, offset: Int, length: Int)
  /// `readahead(fd, offset, count)`: `ksys_readahead → vfs_fadvise(POSIX_FADV_WILLNEED)`, the same
  /// `force_page_cache_ra`; EBADF unless the fd is open for reading.
  case readahead(slot: Int, offset: Int, count: Int)
  /// `madvise(MADV_WILLNEED)` on mapping `map`: `madvise_willneed` drops `mmap_lock` and calls
  /// `vfs_fadvise(POSIX_FADV_WILLNEED)` for the mapped file range.
  case madviseWillneed(map: Int)
  /// `pwrite64(fd, buf, count, offset)` whose user buffer is mapping `map` at `mapOffset`: the
  /// copy faults the source page in while `sb_writers` and `i_rwsem` are held (B1).
  case pwriteFromMap(slot: Int, offset: Int, count: Int, map: Int, mapOffset: Int)
  /// `close(fd)`.
  case close(slot: Int)
  /// `fanotify_mark(group, FAN_MARK_ADD or FAN_MARK_REMOVE and the ignore flags, mask, …)` on
  /// an object.
  case fanotifyMark(Mark, flags: MarkFlags = [])
  /// `ioctl(FIFREEZE)` → `freeze_super()`.
  case freeze
  /// `ioctl(FITHAW)` → `thaw_super()`.
  case thaw
  /// `kill(task, SIGKILL)`: a fatal signal to another task (by task index).
  case kill(task: Int)
  /// `execve(file)`: open for exec, write-deny, read the headers, map the image (§3.5, §3.7).
  case exec(file: Int)

  /// The syscall's kernel entry name.
  public var name: String {
    switch self {
    case .open: return "openat"
    case .read: return "read"
    case .pread: return "pread64"
    case .readv: return "readv"
    case .preadv: return "preadv"
    case .write: return "write"
    case .pwrite: return "pwrite64"
    case .writev: return "writev"
    case .ftruncate: return "ftruncate"
    case .truncate: return "truncate"
    case .fallocate: return "fallocate"
    case .mmap: return "mmap"
    case .sendfile: return "sendfile"
    case .spliceToPipe, .spliceFromPipe: return "splice"
    case .copyFileRange: return "copy_file_range"
    case .remap(_, _, _, _, let length, let dedupe):
      return dedupe
        ? "ioctl(FIDEDUPERANGE)" : length == 0 ? "ioctl(FICLONE)" : "ioctl(FICLONERANGE)"
    case .mremap: return "mremap"
    case .getdents: return "getdents64"
    case .load(_, _, let flags): return flags == .allowRetry ? "load" : "get_user_pages"
    case .store: return "store"
    case .madviseHugepage, .madviseWillneed: return "madvise"
    case .readahead: return "readahead"
    case .fadviseWillneed: return "fadvise64"
    case .pwriteFromMap: return "pwrite64"
    case .close: return "close"
    case .fanotifyMark: return "fanotify_mark"
    case .freeze: return "ioctl(FIFREEZE)"
    case .thaw: return "ioctl(FITHAW)"
    case .kill: return "kill"
    case .exec: return "execve"
    }
  }
}

/// The `mode` word of `fallocate(2)`: `FALLOC_FL_*` flags (include/uapi/linux/falloc.h).
public struct FallocateMode: OptionSet, Hashable, Sendable, Codable, CustomStringConvertible {
  public var rawValue: UInt32
  public init(rawValue: UInt32) { self.rawValue = rawValue }

  public static let FALLOC_FL_KEEP_SIZE = FallocateMode(rawValue: 0x01)
  public static let FALLOC_FL_PUNCH_HOLE = FallocateMode(rawValue: 0x02)
  public static let FALLOC_FL_NO_HIDE_STALE = FallocateMode(rawValue: 0x04)
  public static let FALLOC_FL_COLLAPSE_RANGE = FallocateMode(rawValue: 0x08)
  public static let FALLOC_FL_ZERO_RANGE = FallocateMode(rawValue: 0x10)
  public static let FALLOC_FL_INSERT_RANGE = FallocateMode(rawValue: 0x20)
  public static let FALLOC_FL_UNSHARE_RANGE = FallocateMode(rawValue: 0x40)
  /// 6.17+.
  public static let FALLOC_FL_WRITE_ZEROES = FallocateMode(rawValue: 0x80)
  /// `FALLOC_FL_ALLOCATE_RANGE` is 0: plain allocation, extending the size.
  public static let allocate: FallocateMode = []

  /// Every flag by name, in bit order.
  public static let named: [(String, FallocateMode)] = [
    ("FALLOC_FL_KEEP_SIZE", .FALLOC_FL_KEEP_SIZE), ("FALLOC_FL_PUNCH_HOLE", .FALLOC_FL_PUNCH_HOLE),
    ("FALLOC_FL_NO_HIDE_STALE", .FALLOC_FL_NO_HIDE_STALE),
    ("FALLOC_FL_COLLAPSE_RANGE", .FALLOC_FL_COLLAPSE_RANGE),
    ("FALLOC_FL_ZERO_RANGE", .FALLOC_FL_ZERO_RANGE),
    ("FALLOC_FL_INSERT_RANGE", .FALLOC_FL_INSERT_RANGE),
    ("FALLOC_FL_UNSHARE_RANGE", .FALLOC_FL_UNSHARE_RANGE),
    ("FALLOC_FL_WRITE_ZEROES", .FALLOC_FL_WRITE_ZEROES),
  ]

  /// `FALLOC_FL_MODE_MASK` (6.17+): the bits that choose the operation; at most one may be set.
  public static let modeMask: FallocateMode = [
    .FALLOC_FL_PUNCH_HOLE, .FALLOC_FL_COLLAPSE_RANGE, .FALLOC_FL_ZERO_RANGE,
    .FALLOC_FL_INSERT_RANGE, .FALLOC_FL_UNSHARE_RANGE, .FALLOC_FL_WRITE_ZEROES,
  ]

  /// The operation: the mode bits without `FALLOC_FL_KEEP_SIZE`.
  public var operation: FallocateMode { intersection(Self.modeMask) }

  /// `vfs_fallocate`'s mode checks, which come before the pre-content hook (fs/open.c): unknown
  /// bits, two operations at once, PUNCH_HOLE without KEEP_SIZE, and KEEP_SIZE with
  /// COLLAPSE_RANGE, INSERT_RANGE or WRITE_ZEROES are EOPNOTSUPP.
  public var vfsError: Errno? {
    if !subtracting(Self.modeMask.union(.FALLOC_FL_KEEP_SIZE)).isEmpty { return .EOPNOTSUPP }
    switch operation {
    case .allocate, .FALLOC_FL_UNSHARE_RANGE, .FALLOC_FL_ZERO_RANGE: return nil
    case .FALLOC_FL_PUNCH_HOLE: return contains(.FALLOC_FL_KEEP_SIZE) ? nil : .EOPNOTSUPP
    case .FALLOC_FL_COLLAPSE_RANGE, .FALLOC_FL_INSERT_RANGE, .FALLOC_FL_WRITE_ZEROES:
      return contains(.FALLOC_FL_KEEP_SIZE) ? .EOPNOTSUPP : nil
    default: return .EOPNOTSUPP
    }
  }

  /// The flags joined by `|` as C writes them, `0` for none, unknown bits in hex.
  public var description: String {
    guard rawValue != 0 else { return "0" }
    var parts = Self.named.filter { contains($0.1) }.map(\.0)
    let unknown = rawValue & ~Self.named.reduce(0) { $0 | $1.1.rawValue }
    if unknown != 0 { parts.append("0x" + String(unknown, radix: 16)) }
    return parts.joined(separator: "|")
  }
}
