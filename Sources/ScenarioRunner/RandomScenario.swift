/// Random valid scenarios, generated from a seed: the input of the semantic fuzz test and of
/// `fanmc conform --random`.
///
/// The generator writes scenario text, so every scenario goes through the real resolver. It draws
/// a profile, a filesystem, one to three files of random byte sizes and page layouts (`remote`,
/// `filled`, `written`, `hole`), groups of every class with every listener model, static marks of
/// every kind (inode, directory, mount, filesystem, ignore masks) and one to three short tasks
/// using every syscall family, with offsets and lengths around page and EOF boundaries. Results
/// are never asserted (`expect no-violation`, no `-> RESULT`): a fuzz test judges the model's
/// consistency, not the expectation. The same seed gives the same text.
public enum RandomScenario {
  /// Every profile the generator draws from.
  public static let profiles = ["v2", "v7", "v9", "6.14-rc1", "6.14", "6.17", "6.18"]

  /// The scenario text for `seed`. `profile` fixes the profile (nil: drawn from `profiles`);
  /// `liveSubset` keeps to what the kernel probe can run live: 6.18 on ext4, listeners that
  /// answer (`fill`, `allow`, `deny`, `script`), no freeze, kill, DAX, pseudo or directory file.
  /// `families` keeps the tasks to those syscall families (`RandomScenario.families`; nil: all).
  public static func generate(
    seed: UInt64, profile: String? = nil, liveSubset: Bool = false, families: Set<String>? = nil
  ) -> String {
    var generator = Generator(seed: seed, live: liveSubset, families: families)
    return generator.scenario(seed: seed, profile: profile)
  }

  /// The syscall families a campaign may keep to (`fanmc conform --random --profile-subset`).
  /// Every task still opens its files first.
  public static let families = [
    "read", "write", "truncate", "fallocate", "mmap", "splice", "copy", "readahead", "mark",
    "open", "close", "exec", "freeze", "kill",
  ]

  /// The families of the live subset (no freeze, no kill).
  public static let liveFamilies = families.filter { $0 != "freeze" && $0 != "kill" }

  /// The family of each operation the generator draws (by its draw).
  static func family(ofDraw k: Int) -> String {
    switch k {
    case 0...3: return "read"
    case 4...6: return "write"
    case 7: return "truncate"
    case 8: return "fallocate"
    case 9...12: return "mmap"
    case 13, 14: return "splice"
    case 15, 16: return "copy"
    case 17, 18: return "readahead"
    case 19: return "mark"
    case 20: return "open"
    case 21: return "close"
    case 22: return "exec"
    case 23: return "freeze"
    case 24: return "kill"
    default: return "read"
    }
  }
}

/// SplitMix64 (Steele, Lea and Flood): the generators' source of randomness (random scenarios,
/// the hunt's sampler), the same in every process.
struct SplitMix: RandomNumberGenerator {
  var state: UInt64

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// One generation: the random source and what has been declared so far.
private struct Generator {
  var rng: SplitMix
  let live: Bool
  let families: Set<String>?
  /// Declared regular files (name, size in bytes).
  var files: [(name: String, size: Int)] = []
  var hasDirectory = false
  var groups: [(name: String, cls: String)] = []
  var taskNames: [String] = []
  /// tmpfs refuses pre-content marks (EOPNOTSUPP): its static marks ask for other bits.
  var tmpfs = false

  /// Every file's `max`: room for every fixed offset plus length the generator draws.
  static let maxBytes = 128 * 1024

  init(seed: UInt64, live: Bool, families: Set<String>? = nil) {
    rng = SplitMix(state: seed)
    self.live = live
    self.families = families
  }

  /// The next operation's draw, within `families` when given (redrawn until it is).
  mutating func operationDraw() -> Int {
    let range = live ? 22 : 26
    guard let families else { return below(range) }
    let allowed = (0..<range).filter { families.contains(RandomScenario.family(ofDraw: $0)) }
    return allowed.isEmpty ? 0 : allowed[below(allowed.count)]
  }

  mutating func below(_ n: Int) -> Int { Int(rng.next() % UInt64(n)) }
  mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
  mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

  /// A byte count or offset around page and EOF boundaries of a file of `size` bytes.
  mutating func number(near size: Int) -> Int {
    let page = 4096
    switch below(6) {
    case 0: return max(0, size + pick([-4097, -4096, -1, 0, 1, 100, 4095, 4096]))
    case 1: return below(5) * page + pick([0, 0, 1, 100, page - 1])
    case 2: return below(3 * page)
    case 3: return pick([0, 1, 100, 4095, 4096, 4097, 8191, 8192, 8193, 12288])
    case 4: return (size / page) * page
    default: return pick([0, page, 2 * page])
    }
  }

  /// A length: mostly small, sometimes zero or a few pages.
  mutating func length(near size: Int) -> Int {
    switch below(5) {
    case 0: return pick([0, 1, 100, 4095, 4096, 4097, 8192])
    case 1: return max(0, size - number(near: size) + pick([0, 1, -1]))
    default: return 1 + below(2 * 4096)
    }
  }

  mutating func scenario(seed: UInt64, profile: String?) -> String {
    let profileName = live ? "6.18" : (profile ?? pick(RandomScenario.profiles))
    var out = [
      "# Generated by RandomScenario, seed \(seed).",
      "scenario random-\(seed)",
      "question \"Does random scenario \(seed) explore without a trap?\"",
      "expect no-violation",
      "",
      "profile \(profileName)",
    ]
    let filesystem = live ? "ext4" : pick(["ext4", "ext4", "xfs", "btrfs", "tmpfs"])
    out.append("filesystem \(filesystem)")
    tmpfs = filesystem == "tmpfs"
    out += declareFiles(dax: !live && ["ext4", "xfs"].contains(filesystem))
    out += declareGroups()
    let taskCount = 1 + below(3)
    taskNames = (0..<taskCount).map { "t\($0)" }
    for (i, name) in taskNames.enumerated() {
      out.append("")
      out.append("task \(name)")
      out += program(task: i).map { "  " + $0 }
    }
    if !live && chance(30) {
      out.append("")
      out += assertions()
    }
    return out.joined(separator: "\n") + "\n"
  }

  // MARK: Files

  mutating func declareFiles(dax: Bool) -> [String] {
    var lines: [String] = []
    let count = 1 + below(2)
    for i in 0..<count {
      let name = i == 0 ? "data" : "other"
      let size = below(5) * 4096 + (chance(50) ? 0 : pick([1, 100, 4095, below(4096)]))
      files.append((name, size))
      var line = "file \(name) size \(size) max \(Self.maxBytes)"
      let pages = (size + 4095) / 4096
      if pages > 0 {
        line += " content"
        let contents = ["remote", "remote", "filled", "written", "hole"]
        if pages > 1 && chance(40) {
          for _ in 0..<pages { line += " " + pick(contents) }
        } else {
          line += " " + pick(contents)
        }
      }
      if dax && chance(10) { line += " dax" }
      lines.append(line)
    }
    if chance(25) {
      // exec's default layout is /bin/true's: the binary needs its size.
      files.append(("prog", 35664))
      lines.append(
        "file prog size 35664 max \(Self.maxBytes) content \(pick(["remote", "filled"]))")
    }
    if !live && chance(10) {
      hasDirectory = true
      lines.append("file dir pages 1 content filled directory")
    }
    if !live && chance(5) {
      lines.append("file dev pages 1 content filled pseudo")
    }
    return lines
  }

  // MARK: Groups and marks

  static let permissionErrnos = ["EIO", "EPERM", "EAGAIN", "EBUSY", "ENOSPC", "EDQUOT", "ETXTBSY"]

  mutating func listener(_ cls: String) -> String {
    let answering = ["fill", "fill", "allow", "deny", "script"]
    let every = answering + ["silent", "fill-then-ftruncate", "reenter", "scan", "crash", "slow"]
    // Live, a notification group's `reenter` would read its own FAN_OPEN/FAN_ACCESS forever.
    if cls == "notif" { return pick(live ? ["allow", "scan"] : ["allow", "reenter", "scan"]) }
    // Live, every response write succeeds: a failed one (an errno a content group may not
    // use, or EINVAL) leaves its event to a later response with the same fd number (B22),
    // which the probe's listener cannot attribute.
    let errnos =
      live && cls != "pre-content" ? [] : Self.permissionErrnos + (live ? [] : ["EINVAL"])
    switch pick(live ? answering : every) {
    case "deny":
      return chance(50) || errnos.isEmpty ? "deny" : "deny \(pick(errnos))"
    case "script":
      let count = 1 + below(4)
      let words = ["ALLOW", "ALLOW", "DENY"] + (errnos.isEmpty ? [] : ["EIO", "EBUSY"])
      return "script " + (0..<count).map { _ in pick(words) }.joined(separator: " ")
    case let model: return model
    }
  }

  /// A random listener program of 1 to 6 statements, some behind conditions.
  mutating func listenerProgram(name: String, cls: String, helpers: Int) -> [String] {
    var body: [String] = []
    var locked = false
    let errno = cls == "pre-content" ? pick(Self.permissionErrnos) : "EINVAL"
    for _ in 0..<(1 + below(6)) {
      var statement: String
      switch below(helpers > 0 ? 13 : 12) {
      case 0, 1: statement = "fill"
      case 2: statement = "respond \(pick(["ALLOW", "DENY", errno]))"
      case 3: statement = "respond \(pick([errno, "EINVAL"])) else ALLOW"
      case 4: statement = "close event"
      case 5: statement = pick(["read event", "ftruncate event", "reopen"])
      case 6: statement = "read \(pick(files).name)"
      case 7:
        let f = pick(files)
        statement = "write \(f.name) \(below(max(1, f.size))) \(1 + below(100))"
      case 8: statement = "fallocate event \(fallocateMode()) \(below(8192)) \(1 + below(8192))"
      case 9:
        statement = locked ? "unlock m" : "lock m"
        locked.toggle()
      case 10: statement = "respond in order \(pick(["DENY", "ALLOW"])) ALLOW"
      case 11:
        statement = chance(50) ? "close group" : "truncate \(pick(files).name) \(below(8192))"
      default: statement = "spawn"
      }
      var conditions = ""
      if chance(30) {
        conditions = pick([
          "if own ", "if not own ", "if mask FAN_PRE_ACCESS ", "if not mask FAN_OPEN_PERM ",
          "if event 1 ", "if file \(pick(files).name) ", "if not event 2 ",
        ])
      }
      body.append("  " + conditions + statement)
    }
    if chance(20) { body.insert("  answer last", at: 0) }
    return ["listener \(name)"] + body
  }

  /// Zero to two assertions over the scenario's groups, tasks and files.
  mutating func assertions() -> [String] {
    var out: [String] = []
    for _ in 0..<below(3) {
      let t = pick(taskNames)
      let g = groups.isEmpty ? nil : pick(groups).name
      let f = pick(files)
      var expressions = [
        "done \(t)", "saw \(t) \(pick(["remote", "filled", "written", "hole"]))",
        "content \(f.name) 0 == \(pick(["remote", "filled", "written", "hole"]))",
        "cached \(f.name) 0 or size \(f.name) > \(below(8192))",
        "returned \(t) 1 == \(pick(["none", "0", "3", "EPERM", "EIO"]))",
        "holds \(t) i_rwsem \(f.name)", "not waiting \(t)",
      ]
      if let g {
        expressions += [
          "events \(g) <= \(below(4))", "events \(g) \(f.name) 0 from \(t) == 1",
          "answered \(g) == events \(g)", "queued \(g) == 0",
          "(unanswered \(g) > 0 and done \(t)) or queued \(g) == 1",
        ]
      }
      let e = pick(expressions)
      out.append(
        pick([
          "assert always \(e)", "assert never \(e)", "assert sometimes \(e)",
          "assert eventually \(e) within \(1 + below(40))",
        ]))
    }
    return out
  }

  mutating func declareGroups() -> [String] {
    var lines: [String] = []
    let count = 1 + below(2)
    var classes = ["pre-content"]
    if count > 1 { classes.append(pick(["pre-content", "content", "notif"])) }
    if chance(10) { classes[0] = pick(["content", "notif"]) }
    if live && classes.count > 1 && classes[0] == classes[1] && classes[0] != "notif" {
      // Groups of one class get an event in the order of their kernel addresses
      // (fsnotify_compare_groups), so which of two sees it after the other's denial is luck.
      classes[1] = "notif"
    }
    for (i, cls) in classes.enumerated() {
      let name = ["g0", "g1"][i]
      groups.append((name, cls))
      var line = "group \(name) class \(cls)"
      if chance(10) { line += " queue \(1 + below(3))" }
      if chance(20) {
        line +=
          " init "
          + pick([
            "FAN_REPORT_FD_ERROR", "FAN_REPORT_PIDFD", "FAN_REPORT_TID", "FAN_CLOEXEC",
            "FAN_NONBLOCK", "FAN_REPORT_FD_ERROR|FAN_REPORT_TID",
          ])
      }
      if chance(15) { line += " event-flags \(pick(["O_RDONLY", "O_WRONLY", "O_RDWR"]))" }
      if !live && cls != "notif" && chance(25) {
        // A listener program, maybe pooled or with a helper thread.
        let helpers = chance(25) ? 1 : 0
        lines += listenerProgram(name: "p\(i)", cls: cls, helpers: helpers)
        line += " listener p\(i)"
        if chance(30) { line += " threads 2" }
        if helpers > 0 { line += " helpers 1" }
      } else if !(cls == "notif" && chance(20)) {
        line += " listener \(listener(cls))"
      }
      lines.append(line)
      let marks = 1 + below(2)
      for _ in 0..<marks {
        var body = markBody(
          group: name, cls: tmpfs && cls == "pre-content" ? "content" : cls, live: true)
        if live && files.contains(where: { $0.name == "prog" }) {
          body = liveExecSafe(body, group: name)
        }
        lines.append("mark " + body)
      }
    }
    return lines
  }

  /// Live runs with an exec: notification events on the binary race with the exec (a listener
  /// that reads FAN_OPEN after `deny_write_access` gets ETXTBSY from create_fd, and unread
  /// events of one exec merge), so the kernel's outcome depends on timing. A mark that would
  /// report them on the binary is moved to an inode mark on the first file instead.
  func liveExecSafe(_ body: String, group: String) -> String {
    let words = body.split(separator: " ").map(String.init)
    let notif = [
      "FAN_OPEN", "FAN_ACCESS", "FAN_MODIFY", "FAN_CLOSE_WRITE", "FAN_CLOSE_NOWRITE",
      "FAN_OPEN_EXEC",
    ]
    guard let maskWord = words.first(where: { $0.hasPrefix("FAN_") && !$0.hasPrefix("FAN_MARK") }),
      maskWord.split(separator: "|").contains(where: { notif.contains(String($0)) })
    else { return body }
    let onData = words.count > 2 && words[1] == "inode" && words[2] != "prog"
    if onData { return body }
    let bits = maskWord.split(separator: "|").map(String.init).filter { $0 != "FAN_EVENT_ON_CHILD" }
    var rest = Array(words.drop { $0 != maskWord }.dropFirst())
    if rest.first == "flags" && rest.count > 1 { rest = Array(rest.prefix(2)) }
    return (["\(group) inode data", bits.joined(separator: "|")] + rest).joined(separator: " ")
  }

  /// The bits a group of class `cls` may ask for.
  mutating func mask(_ cls: String, file: String? = nil) -> String {
    let notif = ["FAN_OPEN", "FAN_ACCESS", "FAN_MODIFY", "FAN_CLOSE_WRITE", "FAN_CLOSE_NOWRITE"]
    var bits: [String]
    switch cls {
    case "pre-content":
      bits = ["FAN_PRE_ACCESS"]
      if chance(25) {
        bits.append(pick(["FAN_OPEN_PERM", "FAN_ACCESS_PERM", "FAN_OPEN_EXEC_PERM"]))
      }
    case "content":
      bits = [pick(["FAN_OPEN_PERM", "FAN_ACCESS_PERM", "FAN_OPEN_EXEC_PERM"])]
    default:
      bits = [pick(notif + ["FAN_OPEN_EXEC"])]
    }
    if chance(30) { bits.append(pick(notif)) }
    return Array(Set(bits)).sorted().joined(separator: "|")
  }

  /// `GROUP OBJECT… MASK [flags …]`: a mark `fanotify_mark` accepts when `valid` (a static mark
  /// must be), any mark otherwise (a run-time mark's refusal is its result).
  mutating func markBody(group: String, cls: String, live valid: Bool) -> String {
    var m = mask(cls)
    let regular = files.filter { $0.name != "dir" }
    let kinds = ["inode", "inode", "directory", "mount", "filesystem"]
    var kind = pick(kinds)
    if !valid && hasDirectory && chance(10) { kind = "inode-dir" }
    var body: String
    switch kind {
    case "inode": body = "\(group) inode \(pick(regular).name)"
    case "inode-dir": body = "\(group) inode dir"
    case "directory":
      body = "\(group) directory"
      if valid || chance(70) { m += "|FAN_EVENT_ON_CHILD" }
    default: body = "\(group) \(kind)"
    }
    body += " \(m)"
    if chance(15) {
      // An ignore mask: surviving modification is what non-inode ignore marks need.
      let flags =
        valid
        ? pick(["FAN_MARK_IGNORED_MASK|FAN_MARK_IGNORED_SURV_MODIFY"])
        : pick([
          "FAN_MARK_IGNORE", "FAN_MARK_IGNORE|FAN_MARK_IGNORED_SURV_MODIFY",
          "FAN_MARK_IGNORED_MASK", "FAN_MARK_IGNORED_MASK|FAN_MARK_IGNORED_SURV_MODIFY",
        ])
      body += " flags \(flags)"
    }
    return body
  }

  // MARK: Tasks

  mutating func openFlags() -> String {
    let base = pick(["O_RDONLY", "O_RDONLY", "O_WRONLY", "O_RDWR", "O_RDWR"])
    var flags = [base]
    if base != "O_RDONLY" && chance(15) { flags.append("O_TRUNC") }
    if base != "O_RDONLY" && chance(15) { flags.append("O_APPEND") }
    if chance(5) { flags.append("O_CREAT") }
    return flags.joined(separator: "|")
  }

  mutating func fallocateMode() -> String {
    let words = [
      "KEEP_SIZE", "PUNCH_HOLE", "ZERO_RANGE", "COLLAPSE_RANGE", "INSERT_RANGE", "UNSHARE_RANGE",
      "WRITE_ZEROES", "NO_HIDE_STALE",
    ]
    switch below(6) {
    case 0: return "0"
    case 1: return "FALLOC_FL_PUNCH_HOLE|FALLOC_FL_KEEP_SIZE"
    case 2: return pick(["256", "3"])
    default:
      let count = 1 + below(2)
      return Array(Set((0..<count).map { _ in "FALLOC_FL_" + pick(words) })).sorted().joined(
        separator: "|")
    }
  }

  /// A use of the mapping `map` of `fd` (a file of `size` bytes).
  /// The live probe has no user-space equivalent of a fault with FAULT_FLAG_RETRY_NOWAIT or
  /// without FAULT_FLAG_ALLOW_RETRY, and does not run huge pages or a write from a mapping.
  mutating func mapOperation(_ map: String, fd: String, size: Int) -> String {
    switch below(8) {
    case 0, 1, 2:
      let flags = !live && chance(20) ? pick([" nowait", " noretry"]) : ""
      return "load \(map) \(number(near: size))\(flags)"
    case 3, 4: return "store \(map) \(number(near: size))"
    case 5: return "mremap \(map) \(1 + below(4 * 4096))"
    case 6: return "madvise \(map) \(live ? "willneed" : pick(["hugepage", "willneed"]))"
    case _ where live: return "load \(map) \(number(near: size))"
    default:
      return
        "pwrite \(fd) \(number(near: size)) \(length(near: size)) from \(map) \(number(near: size))"
    }
  }

  /// One task's program: opens, then a few syscalls on what it opened.
  mutating func program(task: Int) -> [String] {
    // Live, the binary is only exec'd: the probe's copy of /bin/true is a real ELF file, which
    // a write or a truncate would corrupt in ways the model's fixed layout does not follow.
    let regular = live ? files.filter { $0.name != "prog" } : files
    let hasProg = files.contains { $0.name == "prog" }
    var lines: [String] = []
    var fds: [(name: String, size: Int)] = []
    var maps: [String] = []
    var pipeless = true
    let steps = 1 + below(4)
    func fresh(_ prefix: String, _ n: Int) -> String { "\(prefix)\(task)\(n)" }
    // Every task starts with an open (or an exec).
    if hasProg && chance(30) && families?.contains("exec") ?? true {
      lines.append("exec prog")
    }
    let first = pick(regular.filter { $0.name != "prog" } + regular)
    let fd0 = fresh("f", 0)
    lines.append("\(fd0) = open \(first.name) \(openFlags())")
    fds.append((fd0, first.size))
    for step in 0..<steps {
      let (fd, size) = pick(fds)
      let n = { (g: inout Generator) in g.number(near: size) }
      var op: String
      switch operationDraw() {
      case 0: op = "read \(fd) \(length(near: size))"
      case 1: op = "pread \(fd) \(n(&self)) \(length(near: size))"
      case 2: op = "readv \(fd) \(length(near: size)) \(length(near: size))"
      case 3: op = "preadv \(fd) \(n(&self)) \(length(near: size)) \(length(near: size))"
      case 4: op = "write \(fd) \(1 + below(5000))"
      case 5: op = "pwrite \(fd) \(n(&self)) \(length(near: size))"
      case 6: op = "writev \(fd) \(1 + below(5000)) \(below(5000))"
      case 7:
        op =
          chance(50) ? "ftruncate \(fd) \(n(&self))" : "truncate \(pick(regular).name) \(n(&self))"
      case 8: op = "fallocate \(fd) \(fallocateMode()) \(n(&self)) \(length(near: size))"
      case 9, 10:
        let map = fresh("m", step)
        let offset = chance(80) ? below(3) * 4096 : n(&self)
        op = "\(map) = mmap \(fd) \(offset) \(chance(10) ? 0 : 1 + below(4 * 4096))"
        maps.append(map)
        // A mapping is used at once, mostly: loads and stores are where faults happen.
        if chance(80) {
          lines.append(op)
          op = mapOperation(map, fd: fd, size: size)
          if chance(40) {
            lines.append(op)
            op = mapOperation(map, fd: fd, size: size)
          }
        }
      case 11, 12:
        if let map = maps.last {
          op = mapOperation(map, fd: fd, size: size)
        } else {
          op = "fadvise \(fd) \(n(&self)) \(length(near: size))"
        }
      case 13:
        op =
          pipeless || chance(50)
          ? "splice-to-pipe \(fd) \(n(&self)) \(length(near: size))"
          : "splice-from-pipe \(fd) \(n(&self)) \(length(near: size))"
        pipeless = false
      case 14: op = "splice-from-pipe \(fd) \(n(&self)) \(length(near: size))"
      case 15, 16:
        let other = pick(regular)
        let out = fresh("f", step + 1)
        lines.append("\(out) = open \(other.name) \(pick(["O_WRONLY", "O_RDWR", "O_RDONLY"]))")
        fds.append((out, other.size))
        if chance(50) {
          op = "sendfile \(out) \(fd) \(length(near: size))\(chance(50) ? " \(n(&self))" : "")"
        } else {
          op = "copy_file_range \(fd) \(n(&self)) \(out) \(n(&self)) \(length(near: size))"
        }
      case 17: op = "readahead \(fd) \(n(&self)) \(length(near: size))"
      case 18: op = "fadvise \(fd) \(n(&self)) \(length(near: size))"
      case 19:
        if let g = groups.first {
          let verb = chance(70) ? "mark" : "unmark"
          let group = pick(groups).name
          var body = markBody(group: group, cls: pick([g.cls, "notif"]), live: false)
          if live && hasProg { body = liveExecSafe(body, group: group) }
          op = "\(verb) " + body
        } else {
          op = "close \(fd)"
        }
      case 20:
        let again = fresh("f", step + 1)
        let file = pick(regular)
        op = "\(again) = open \(file.name) \(openFlags())"
        fds.append((again, file.size))
      case 21:
        op = "close \(fd)"
      case 22: op = hasProg ? "exec prog" : "read \(fd) 1"
      case 23:
        lines.append("freeze")
        op = "thaw"
        if chance(30) { op = "pread \(fd) 0 1" }  // a freeze left in place
      case 24:
        if taskNames.count > 1 {
          op = "kill \(pick(taskNames.filter { $0 != taskNames[task] }))"
        } else {
          op = "close \(fd)"
        }
      default:
        if hasDirectory {
          let d = fresh("d", step)
          lines.append("\(d) = open dir O_RDONLY")
          op = "getdents \(d)"
        } else {
          op = "pread \(fd) \(n(&self)) 100 or pwrite \(fd) \(n(&self)) 100"
        }
      }
      lines.append(op)
    }
    return lines
  }
}
