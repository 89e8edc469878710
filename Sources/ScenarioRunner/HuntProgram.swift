/// One program `fanmc hunt` explores: a small scenario described by its parts (files, one HSM
/// group with its listener, marks, tasks of syscall operations), rendered to scenario text that
/// the real resolver reads.
///
/// Programs are values: the enumeration builds them in a fixed order, the sampler mutates them
/// (add, drop or replace an operation, change an offset, add a task), and `render` is the only
/// way to a scenario, so everything the checker sees went through the parser and the resolver.
public struct HuntProgram: Hashable, Sendable {
  /// The content of each page of `data` (`remote`, `filled`, …); its page count is the count.
  public var layout: [String]
  /// The listener serving the pre-content group `hsm` (a `HuntListener` name).
  public var listener: String
  /// What the group's mark watches: `inode`, `directory`, `mount` or `filesystem`.
  public var markKind: String = "inode"
  /// The mark's mask besides `FAN_PRE_ACCESS`: none, or `FAN_OPEN_PERM`.
  public var openPerm = false
  /// The mark also asks for notification events (`FAN_ACCESS|FAN_MODIFY|FAN_CLOSE_WRITE`).
  public var notifications = false
  /// The filesystem (`ext4`; the sampler tries `xfs` and `btrfs`, which clone).
  public var filesystem = "ext4"
  /// `data` is a DAX inode (ext4 and xfs): its faults go to the filesystem's DAX handler.
  public var dax = false
  /// A second group `scanner` of class `content` with a `FAN_ACCESS_PERM` mark on `data`, served
  /// by `allow` (an indexer after the HSM).
  public var contentGroup = false
  /// The tasks, each a list of operations.
  public var tasks: [[HuntOp]]

  public init(layout: [String], listener: String, tasks: [[HuntOp]]) {
    self.layout = layout
    self.listener = listener
    self.tasks = tasks
  }

  /// `data`'s size in bytes.
  public var size: Int { layout.count * 4096 }

  /// Syscall lines over all tasks (a freezer's `freeze` and `thaw` count as two).
  public var lineCount: Int { tasks.reduce(0) { $0 + $1.reduce(0) { $0 + $1.lineCount } } }

  /// Whether some operation uses the second file `other`.
  var usesOther: Bool { tasks.contains { $0.contains { $0.verb.usesOther } } }

  /// The scenario text: `name`, a question, `expect no-violation` (the hunt judges findings, not
  /// expectations), then the profile, its switches, files, group, marks and tasks.
  public func render(name: String, profile: String, switches: [(String, String)]) -> String {
    var out = [
      "scenario \(name)",
      "question \"What does hunt program \(name) reach?\"",
      "expect no-violation",
      "",
      "profile \(profile)",
    ]
    out += switches.map { "set \($0.0) \($0.1)" }
    if filesystem != "ext4" { out.append("filesystem \(filesystem)") }
    out.append(
      "file data pages \(layout.count) content \(layout.joined(separator: " "))"
        + (dax ? " dax" : ""))
    if usesOther { out.append("file other pages 1 content filled") }
    // exec's default layout is /bin/true's, which needs its size.
    if tasks.contains(where: { $0.contains { $0.verb == .exec } }) {
      out.append("file prog size 35664 content \(layout[0])")
    }
    out += HuntListener.definition(listener)
    out.append("group hsm class pre-content listener \(HuntListener.groupWord(listener))")
    let mask =
      (openPerm ? "FAN_PRE_ACCESS|FAN_OPEN_PERM" : "FAN_PRE_ACCESS")
      + (notifications ? "|FAN_ACCESS|FAN_MODIFY|FAN_CLOSE_WRITE" : "")
    switch markKind {
    case "directory": out.append("mark hsm directory \(mask)|FAN_EVENT_ON_CHILD")
    case "mount", "filesystem": out.append("mark hsm \(markKind) \(mask)")
    default: out.append("mark hsm inode data \(mask)")
    }
    if contentGroup {
      out.append("group scanner class content listener allow")
      out.append("mark scanner inode data FAN_ACCESS_PERM")
    }
    for (i, ops) in tasks.enumerated() {
      out.append("")
      out.append("task \(ops.allSatisfy(\.verb.isFreezer) ? "freezer\(i)" : "t\(i)")")
      out += HuntOp.lines(ops, size: size).map { "  " + $0 }
    }
    return out.joined(separator: "\n") + "\n"
  }
}

/// The listeners a hunt draws from: the built-in models and listener programs, by the name
/// `--listener` takes.
public enum HuntListener {
  /// HSMs that fill before they allow, or deny, or go away: their findings are the kernel's.
  public static let wellBehaved = [
    "fill", "deny-EIO", "deny", "slow", "fill-close", "crash", "fill-helper",
  ]
  /// Listeners that are broken by themselves: a stub allowed unfilled (`allow`, `script`), a
  /// scanner reading stubs, a daemon that never answers or waits for itself (D1, D8, B14).
  public static let broken = [
    "allow", "script", "scan", "silent", "reenter", "fill-then-ftruncate",
  ]
  /// Every listener `--listener all` takes.
  public static let all = wellBehaved + broken

  /// The words after `listener` in the `group` line.
  static func groupWord(_ name: String) -> String {
    switch name {
    case "deny-EIO": return "deny EIO"
    case "script": return "script DENY ALLOW"
    case "fill-helper": return "fill-helper helpers 1"
    default: return name
    }
  }

  /// A `listener` block the scenario declares for `name`, if it is a program.
  static func definition(_ name: String) -> [String] {
    switch name {
    case "fill-close":
      return [
        "listener fill-close",
        "  summary \"fills, closes its event fd, then answers by the fd number\"",
        "  fill", "  close event", "  respond ALLOW",
      ]
    case "fill-helper":
      return [
        "listener fill-helper",
        "  summary \"hands each event to a helper thread, which fills and answers\"",
        "  spawn", "  fill", "  respond ALLOW",
      ]
    default: return []
    }
  }
}

/// One operation of a hunt task: a syscall (or a mapping and its use) with its offset and
/// length, rendered as one or a few scenario lines.
public struct HuntOp: Hashable, Sendable {
  public var verb: HuntVerb
  /// In bytes; each verb reads them as its own arguments say.
  public var offset: Int
  public var length: Int

  public init(_ verb: HuntVerb, _ offset: Int = 0, _ length: Int = 100) {
    self.verb = verb
    self.offset = offset
    self.length = length
  }

  /// How many scenario lines the operation renders to.
  var lineCount: Int { render(index: 0, size: 4096).count }

  /// A task's lines: opens of the files it uses (for writing where it writes), then each
  /// operation; mapping `m<i>` is the i-th operation's.
  static func lines(_ ops: [HuntOp], size: Int) -> [String] {
    var out: [String] = []
    let needsData = ops.contains { $0.verb.usesData }
    if needsData {
      let write = ops.contains { $0.verb.writesData }
      out.append("fd = open data \(write ? "O_RDWR" : "O_RDONLY")")
    }
    if ops.contains(where: \.verb.usesOther) { out.append("fo = open other O_RDWR") }
    for (i, op) in ops.enumerated() { out += op.render(index: i, size: size) }
    return out
  }

  func render(index i: Int, size: Int) -> [String] {
    let (o, n) = (offset, length)
    let m = "m\(i)"
    switch verb {
    case .read: return ["read fd \(n)"]
    case .pread: return ["pread fd \(o) \(n)"]
    case .readv: return ["readv fd \(n) \(n)"]
    case .write: return ["write fd \(n)"]
    case .pwrite: return ["pwrite fd \(o) \(n)"]
    case .ftruncate: return ["ftruncate fd \(o)"]
    case .truncate: return ["truncate data \(o)"]
    case .punchHole: return ["fallocate fd FALLOC_FL_PUNCH_HOLE|FALLOC_FL_KEEP_SIZE \(o) \(n)"]
    case .fallocateExtend: return ["fallocate fd 0 \(o) \(n)"]
    case .collapseRange: return ["fallocate fd FALLOC_FL_COLLAPSE_RANGE \(o) \(n)"]
    case .insertRange: return ["fallocate fd FALLOC_FL_INSERT_RANGE \(o) \(n)"]
    case .cloneRange: return ["clone-range fo fd \(o) \(n) 0"]
    case .exec: return ["exec prog"]
    case .mmapHugeLoad: return ["\(m) = mmap fd \(o) \(n)", "madvise \(m) hugepage", "load \(m) 0"]
    case .fadvise: return ["fadvise fd \(o) \(n)"]
    case .readahead: return ["readahead fd \(o) \(n)"]
    case .mmapLoad: return ["\(m) = mmap fd \(o) \(n)", "load \(m) 0"]
    case .mmapLoadLast: return ["\(m) = mmap fd \(o) \(n)", "load \(m) \(max(0, n - 1))"]
    case .mmapStore: return ["\(m) = mmap fd \(o) \(n)", "store \(m) 0"]
    case .mmapWillneed: return ["\(m) = mmap fd \(o) \(n)", "madvise \(m) willneed"]
    case .mmapGrow: return ["\(m) = mmap fd \(o) 4096", "mremap \(m) \(n)"]
    case .spliceToPipe: return ["splice-to-pipe fd \(o) \(n)"]
    case .sendfile: return ["sendfile fo fd \(n) \(o)"]
    case .copyRange: return ["copy_file_range fd \(o) fo 0 \(n)"]
    case .pwriteFromMap:
      return ["\(m) = mmap fd 0 \(size)", "pwrite fo 0 \(n) from \(m) \(o)"]
    case .openTrunc: return ["ft\(i) = open data O_RDWR|O_TRUNC"]
    case .freezeThaw: return ["freeze", "thaw"]
    }
  }
}

/// What a hunt operation does.
public enum HuntVerb: String, Hashable, Sendable, CaseIterable {
  case read, pread, readv, write, pwrite, ftruncate, truncate, punchHole, fadvise, readahead
  case mmapLoad, mmapLoadLast, mmapStore, mmapWillneed, mmapGrow
  case spliceToPipe, sendfile, copyRange, pwriteFromMap, openTrunc
  /// Sampled only: fallocate growing the file, collapsing or inserting a range, a clone to the
  /// second file, a huge-page mapping's load, an exec of a binary `prog` whose content is the
  /// first page's of `data` (watched by a mount or filesystem mark).
  case fallocateExtend, collapseRange, insertRange, cloneRange, mmapHugeLoad, exec
  /// `freeze` then `thaw`: a freezer's whole program, never split (a filesystem frozen for good
  /// hangs every writer and proves nothing).
  case freezeThaw

  var isMapping: Bool {
    [.mmapLoad, .mmapLoadLast, .mmapStore, .mmapWillneed, .mmapGrow, .pwriteFromMap, .mmapHugeLoad]
      .contains(self)
  }
  var isFreezer: Bool { self == .freezeThaw }
  var usesData: Bool { !isFreezer && self != .truncate && self != .openTrunc && self != .exec }
  var usesOther: Bool { [.sendfile, .copyRange, .pwriteFromMap, .cloneRange].contains(self) }
  var writesData: Bool {
    [
      .write, .pwrite, .ftruncate, .punchHole, .mmapStore, .fallocateExtend, .collapseRange,
      .insertRange,
    ].contains(self)
  }
}
