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
public struct Filesystem: Hashable, Sendable {
  public var type: String
  public var allowsHSM: Bool

  /// The filesystems the model knows; ext4, xfs and btrfs opt in.
  public static let known: [Filesystem] = [
    Filesystem(type: "ext4", allowsHSM: true), Filesystem(type: "xfs", allowsHSM: true),
    Filesystem(type: "btrfs", allowsHSM: true), Filesystem(type: "tmpfs", allowsHSM: false),
  ]

  public static func named(_ type: String) -> Filesystem? { known.first { $0.type == type } }
}

/// What a file page holds (design §3.2).
public enum PageContent: String, Hashable, Sendable, CaseIterable {
  /// A stub: the real content exists only at the HSM's source.
  case remote
  /// The listener filled it from the source.
  case filled
  /// An application wrote new data.
  case written
  /// A hole or zeros (truncated or never existed); reading zeros here is correct.
  case hole
}

/// A regular file of whole pages.
public struct FileSpec: Hashable, Sendable {
  public var name: String
  public var content: [PageContent]
  public var pageCount: Int { content.count }
  public var size: Int { content.count * Fanotify.pageSize }

  public init(name: String, content: [PageContent]) {
    self.name = name
    self.content = content
  }
}

/// A fanotify group and the listener program that serves it.
public struct GroupSpec: Sendable {
  public var name: String
  public var groupClass: GroupClass
  /// The listener program; nil for a group nobody reads.
  public var listener: (any ListenerModel)?

  public init(name: String, groupClass: GroupClass, listener: (any ListenerModel)?) {
    self.name = name
    self.groupClass = groupClass
    self.listener = listener
  }
}

/// What a mark is attached to.
public enum MarkObject: Hashable, Sendable {
  /// An inode mark on file `file` (an index into `KernelConfig.files`).
  case inode(file: Int)
}

/// A fanotify mark: a group's interest in events on an object.
public struct Mark: Hashable, Sendable {
  public var group: Int
  public var object: MarkObject
  public var mask: EventMask

  public init(group: Int, object: MarkObject, mask: EventMask) {
    self.group = group
    self.object = object
    self.mask = mask
  }
}

/// An application task and its program.
public struct TaskSpec: Hashable, Sendable {
  public var name: String
  public var program: [Instruction]
  /// The names of the fd variables the program uses; slot i is `fdNames[i]`.
  public var fdNames: [String]
  public var fdSlots: Int { fdNames.count }

  public init(name: String, program: [Instruction], fdNames: [String]) {
    self.name = name
    self.program = program
    self.fdNames = fdNames
  }
}

/// One syscall of a task's program, with the result the scenario expects, if any.
public struct Instruction: Hashable, Sendable {
  public var syscall: Syscall
  public var expected: ExpectedResult?

  public init(_ syscall: Syscall, expected: ExpectedResult? = nil) {
    self.syscall = syscall
    self.expected = expected
  }
}

/// What a scenario says a syscall returns (`-> 4096`, `-> EIO`, `-> ok`).
public enum ExpectedResult: Hashable, Sendable, CustomStringConvertible {
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

/// The syscalls a program may issue. Fds are the task's fd slots (scenario variables).
public enum Syscall: Hashable, Sendable, CustomStringConvertible {
  /// `openat(AT_FDCWD, file, flags)` into fd slot `slot`.
  case open(file: Int, flags: OpenFlags, slot: Int)
  /// `read(fd, buf, count)` at the file position.
  case read(slot: Int, count: Int)
  /// `pread64(fd, buf, count, offset)`.
  case pread(slot: Int, offset: Int, count: Int)
  /// `close(fd)`.
  case close(slot: Int)
  /// `fanotify_mark(group, FAN_MARK_ADD, mask, …)` on an object.
  case fanotifyMark(Mark)

  /// The syscall's kernel entry name.
  public var name: String {
    switch self {
    case .open: return "openat"
    case .read: return "read"
    case .pread: return "pread64"
    case .close: return "close"
    case .fanotifyMark: return "fanotify_mark"
    }
  }

  public var description: String {
    switch self {
    case .open(let file, let flags, let slot): return "open(file\(file), \(flags)) -> fd\(slot)"
    case .read(let slot, let count): return "read(fd\(slot), \(count))"
    case .pread(let slot, let offset, let count): return "pread64(fd\(slot), \(count), \(offset))"
    case .close(let slot): return "close(fd\(slot))"
    case .fanotifyMark(let m): return "fanotify_mark(group\(m.group), \(m.mask))"
    }
  }
}
