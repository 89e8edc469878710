import CKernelProbe
import KernelModel

/// Translates a `KernelConfig` into the C plan.
enum PlanBuilder {
  /// The event kinds a listener has action lists for, in `enum kp_kind` order: the permission
  /// events, then every notification event (`KP_KIND_NOTIFY`).
  static let kinds: [[EventMask]] = [
    [.FAN_OPEN_PERM], [.FAN_OPEN_EXEC_PERM], [.FAN_ACCESS_PERM], [.FAN_PRE_ACCESS],
    [.FAN_OPEN, .FAN_ACCESS, .FAN_MODIFY, .FAN_CLOSE_WRITE, .FAN_CLOSE_NOWRITE, .FAN_OPEN_EXEC],
  ]

  /// Events a listener may answer by their order before it must answer by kind alone.
  static let sequenceLimit = Int(KP_MAX_SEQUENCE)

  static func fill(_ plan: UnsafeMutablePointer<kp_plan>, from config: KernelConfig)
    throws(ProbeError)
  {
    switch config.filesystem.type {
    case "ext4": plan.pointee.fs_type = KP_FS_EXT4
    case "tmpfs": plan.pointee.fs_type = KP_FS_TMPFS
    default:
      throw ProbeError(
        .notExpressible, "the probe runs on ext4 or tmpfs, not \(config.filesystem.type)")
    }
    try limit(config.files.count, KP_MAX_FILES, "files")
    try limit(config.groups.count, KP_MAX_GROUPS, "groups")
    try limit(config.marks.count, KP_MAX_MARKS, "setup marks")
    try limit(config.tasks.count, KP_MAX_TASKS, "tasks")

    plan.pointee.file_count = Int32(config.files.count)
    for (i, spec) in config.files.enumerated() {
      guard !spec.pseudo, !spec.directory, !spec.dax else {
        throw ProbeError(
          .notExpressible, "file \(spec.name): pseudo files and directories are not probed")
      }
      guard spec.elf == nil else {
        throw ProbeError(
          .notExpressible,
          "file \(spec.name): a declared ELF layout is not probed (exec runs a copy of /bin/true)")
      }
      // Every per-page array of the probe covers the pages the file may grow to.
      try limit(spec.pageCapacity, KP_MAX_PAGES, "pages file \(spec.name) may grow to")
      guard spec.content.count == spec.pageCount else {
        throw ProbeError(
          .notExpressible,
          "file \(spec.name): \(spec.content.count) content values for \(spec.pageCount) pages")
      }
      guard !spec.name.isEmpty, !spec.name.contains("/"), spec.name.utf8.count < KP_MAX_NAME
      else { throw ProbeError(.notExpressible, "file name '\(spec.name)' is unusable") }
      let file = kp_plan_file(plan, Int32(i))!
      kp_file_set_name(file, spec.name)
      file.pointee.page_count = Int32(spec.pageCount)
      file.pointee.size = Int64(spec.size)
      file.pointee.max_size = Int64(spec.maxSize)
      for (p, content) in spec.content.enumerated() {
        kp_file_set_page(file, Int32(p), pageCode(content))
      }
    }

    plan.pointee.group_count = Int32(config.groups.count)
    for (g, spec) in config.groups.enumerated() {
      let group = kp_plan_group(plan, Int32(g))!
      group.pointee.fan_class = groupClassCode(spec.groupClass)
      group.pointee.init_flags = spec.initFlags.rawValue
      group.pointee.event_f_flags = eventFlagsCode(spec.eventFlags)
      if let limit = spec.queueLimit {
        guard limit > 0, limit <= Int(Int32.max) else {
          throw ProbeError(.notExpressible, "group \(spec.name): queue limit \(limit)")
        }
        group.pointee.queue_limit = Int32(limit)
      }
      guard let listener = spec.listener else { continue }
      if listener.readsEventDetails {
        throw ProbeError(
          .notExpressible,
          "listener \(listener.name) tests an event's file, offset or cause: the probe plans "
            + "its answers by event kind and order")
      }
      if spec.threads > 1 || spec.helpers > 0 {
        throw ProbeError(
          .notExpressible, "group \(spec.name): the probe runs one listener thread per group")
      }
      group.pointee.has_listener = 1
      try setActions(group, listener, groupClass: spec.groupClass)
    }

    // A setup mark is the state the scenario's mark lines left (ResolvedScenario): its mask,
    // then its ignore mask with the flags that made it, each one fanotify_mark call.
    var requests: [(Mark, MarkFlags)] = []
    for mark in config.marks {
      var plain = mark
      plain.ignore = []
      if !mark.mask.isEmpty { requests.append((plain, [])) }
      if !mark.ignore.isEmpty {
        var ignore = plain
        ignore.mask = mark.ignore
        var flags: MarkFlags = mark.ignoreFlagsAPI ? .FAN_MARK_IGNORE : .FAN_MARK_IGNORED_MASK
        if mark.ignoreSurvivesModify { flags.insert(.FAN_MARK_IGNORED_SURV_MODIFY) }
        requests.append((ignore, flags))
      }
    }
    try limit(requests.count, KP_MAX_MARKS, "fanotify_mark calls for the setup marks")
    plan.pointee.mark_count = Int32(requests.count)
    for (i, (mark, flags)) in requests.enumerated() {
      try set(kp_plan_mark(plan, Int32(i))!, mark, flags: flags, config)
    }

    plan.pointee.task_count = Int32(config.tasks.count)
    for (t, task) in config.tasks.enumerated() {
      try limit(task.program.count, KP_MAX_INSTRUCTIONS, "instructions in task \(task.name)")
      let ctask = kp_plan_task(plan, Int32(t))!
      ctask.pointee.count = Int32(task.program.count)
      for (k, instruction) in task.program.enumerated() {
        let cin = kp_task_instruction(ctask, Int32(k))!
        guard instruction.alternatives.isEmpty else {
          throw ProbeError(
            .notExpressible,
            "task \(task.name) chooses between syscalls; the probe runs one schedule")
        }
        do {
          try set(cin, instruction.syscall, config)
        } catch {
          throw ProbeError(
            .notExpressible, "task \(task.name) instruction \(k): \(error.message)")
        }
      }
    }
  }

  private static func limit(_ n: Int, _ max: Int32, _ what: String) throws(ProbeError) {
    if n > Int(max) { throw ProbeError(.notExpressible, "\(n) \(what) (limit \(max))") }
  }

  static func pageCode(_ content: PageContent) -> Int32 {
    switch content {
    case .remote: return Int32(KP_PAGE_REMOTE.rawValue)
    case .filled: return Int32(KP_PAGE_FILLED.rawValue)
    case .written: return Int32(KP_PAGE_WRITTEN.rawValue)
    case .hole: return Int32(KP_PAGE_HOLE.rawValue)
    }
  }

  /// What a listener program's call is, for a not-expressible reason.
  static func callName(_ call: ListenerCall) -> String {
    switch call {
    case .syscall(let s): return "\(s)".prefix { $0 != "(" } + " through its own fds"
    case .lock, .unlock: return "daemon mutexes"
    case .respond, .respondElse: return "responses"
    case .closeEventFd, .closeGroup: return "closes"
    case .spawn: return "helper threads"
    }
  }

  /// `event_f_flags`' access mode (the probe adds O_LARGEFILE).
  static func eventFlagsCode(_ flags: OpenFlags) -> UInt32 {
    flags.contains(.O_RDWR) ? 2 : flags.contains(.O_WRONLY) ? 1 : 0
  }

  /// The probe's actions for what the model's listener does with `event`, as
  /// `KernelSystem.listenerCalls` turns actions into calls: a notification event gets no
  /// response (nobody answers it), and only an event with a range is filled.
  static func probeActions(_ actions: [ListenerAction], for event: ListenerEvent) throws(ProbeError)
    -> [kp_action]
  {
    let permission = !event.mask.isDisjoint(with: .permissionEvents)
    var out: [kp_action] = []
    for action in actions {
      var a = kp_action()
      switch action {
      case .fillRange:
        guard event.range != nil else { continue }
        a.kind = Int32(KP_ACT_FILL_RANGE.rawValue)
      case .respond(let word):
        guard permission else { continue }
        a.kind = Int32(KP_ACT_RESPOND.rawValue)
        a.response = word
      case .closeEventFd: a.kind = Int32(KP_ACT_CLOSE_EVENT_FD.rawValue)
      case .ftruncateEventFd: a.kind = Int32(KP_ACT_FTRUNCATE_EVENT_FD.rawValue)
      case .readThroughNormalFd: a.kind = Int32(KP_ACT_READ_NORMAL_FD.rawValue)
      case .closeGroup: a.kind = Int32(KP_ACT_CLOSE_GROUP.rawValue)
      case .readEventFd: a.kind = Int32(KP_ACT_READ_EVENT_FD.rawValue)
      case .respondElse(let word, let fallback):
        guard permission else { continue }
        a.kind = Int32(KP_ACT_RESPOND.rawValue)
        a.response = word
        a.has_fallback = 1
        a.fallback = fallback
      case .readFile(let file, let offset, let count):
        a.kind = Int32(KP_ACT_READ_FILE.rawValue)
        a.file = Int32(file)
        if let offset, let count {
          a.fixed_range = 1
          a.offset = Int64(offset)
          a.count = Int64(count)
        }
      case .writeFile:
        throw ProbeError(
          .notExpressible, "the probe does not run a listener program's writes to other files yet")
      case .call(let call):
        throw ProbeError(
          .notExpressible, "the probe does not run a listener program's \(callName(call)) yet")
      }
      out.append(a)
    }
    try limit(out.count, KP_MAX_ACTIONS, "listener actions for one event")
    return out
  }

  /// The actions of `listener` for the `sequence`-th event the group delivers, one list per
  /// event kind; each kind's masks must agree (the probe answers by kind).
  static func actionTable(
    _ listener: any ListenerModel, groupClass: GroupClass, sequence: Int
  ) throws(ProbeError) -> [[kp_action]] {
    var table: [[kp_action]] = []
    for masks in kinds {
      var actions: [kp_action]?
      for mask in masks {
        let range: EventRange? =
          mask == .FAN_PRE_ACCESS ? EventRange(offset: 0, count: Fanotify.pageSize) : nil
        let event = ListenerEvent(
          mask: mask, range: range, file: 0, groupClass: groupClass, sequence: sequence)
        let these = try probeActions(listener.actions(for: event), for: event)
        if let actions, !same(actions, these) {
          throw ProbeError(
            .notExpressible,
            "listener \(listener.name) treats notification events differently by mask; "
              + "the probe answers by kind")
        }
        actions = these
      }
      table.append(actions ?? [])
    }
    return table
  }

  static func same(_ a: [kp_action], _ b: [kp_action]) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { $0.kind == $1.kind && $0.response == $1.response }
  }

  static func same(_ a: [[kp_action]], _ b: [[kp_action]]) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { same($0, $1) }
  }

  /// The group's action lists: by kind, and for a listener that answers by event order (a
  /// script) the lists of its first events, up to the point from which every event of a kind
  /// gets the same actions.
  static func setActions(
    _ group: UnsafeMutablePointer<kp_group>, _ listener: any ListenerModel,
    groupClass: GroupClass
  ) throws(ProbeError) {
    let horizon = sequenceLimit + 32
    let tail = try actionTable(listener, groupClass: groupClass, sequence: horizon)
    var tables: [[[kp_action]]] = []
    for n in 0..<horizon {
      tables.append(try actionTable(listener, groupClass: groupClass, sequence: n))
    }
    let ordered = (tables.lastIndex { !same($0, tail) } ?? -1) + 1
    guard ordered <= sequenceLimit else {
      throw ProbeError(
        .notExpressible,
        "listener \(listener.name) answers more than \(sequenceLimit) events by their order")
    }
    func store(_ table: [[kp_action]], _ slot: (Int, Int) -> UnsafeMutablePointer<kp_action>) {
      for (k, actions) in table.enumerated() {
        for (a, action) in actions.enumerated() { slot(k, a).pointee = action }
      }
    }
    store(tail) { kp_group_action(group, Int32($0), Int32($1))! }
    for (k, actions) in tail.enumerated() {
      kp_group_set_action_count(group, Int32(k), Int32(actions.count))
    }
    group.pointee.sequence_count = Int32(ordered)
    for n in 0..<ordered {
      store(tables[n]) { kp_group_sequence_action(group, Int32(n), Int32($0), Int32($1))! }
      for (k, actions) in tables[n].enumerated() {
        kp_group_set_sequence_action_count(group, Int32(n), Int32(k), Int32(actions.count))
      }
    }
  }

  static func groupClassCode(_ c: GroupClass) -> UInt32 {
    switch c {
    case .notif: return UInt32(KP_CLASS_NOTIF)
    case .content: return UInt32(KP_CLASS_CONTENT)
    case .preContent: return UInt32(KP_CLASS_PRE_CONTENT)
    }
  }

  /// The mode word as the kernel takes it: every bit, known or not, goes to `fallocate(2)`
  /// unchanged, so `vfs_fallocate` judges it as it would the application's.
  static func fallocateFlags(_ mode: FallocateMode) -> UInt32 { mode.rawValue }

  /// One `fanotify_mark` request: `mark.mask` with `flags` (FAN_MARK_REMOVE instead of
  /// FAN_MARK_ADD, the ignore flags) on the mark's object.
  private static func set(
    _ cmark: UnsafeMutablePointer<kp_mark>, _ mark: Mark, flags: MarkFlags,
    _ config: KernelConfig
  ) throws(ProbeError) {
    guard config.groups.indices.contains(mark.group) else {
      throw ProbeError(.notExpressible, "mark names group \(mark.group), which does not exist")
    }
    cmark.pointee.group = Int32(mark.group)
    cmark.pointee.mask = UInt64(mark.mask.rawValue)
    cmark.pointee.flags = flags.rawValue
    switch mark.object {
    case .inode(let file):
      guard config.files.indices.contains(file) else {
        throw ProbeError(.notExpressible, "mark names file \(file), which does not exist")
      }
      cmark.pointee.object = Int32(KP_OBJ_INODE.rawValue)
      cmark.pointee.file = Int32(file)
    case .directory: cmark.pointee.object = Int32(KP_OBJ_DIRECTORY.rawValue)
    case .mount: cmark.pointee.object = Int32(KP_OBJ_MOUNT.rawValue)
    case .filesystem: cmark.pointee.object = Int32(KP_OBJ_FILESYSTEM.rawValue)
    }
  }

  private static func slot(_ s: Int) throws(ProbeError) -> Int32 {
    guard s >= 0, s < Int(KP_MAX_SLOTS) else {
      throw ProbeError(.notExpressible, "fd slot \(s) (limit \(KP_MAX_SLOTS))")
    }
    return Int32(s)
  }

  private static func file(_ f: Int, _ config: KernelConfig) throws(ProbeError) -> Int32 {
    guard config.files.indices.contains(f) else {
      throw ProbeError(.notExpressible, "file \(f) does not exist")
    }
    return Int32(f)
  }

  private static func iovecs(_ cin: UnsafeMutablePointer<kp_instruction>, _ counts: [Int])
    throws(ProbeError)
  {
    try limit(counts.count, KP_MAX_IOV, "iovecs")
    cin.pointee.iov_count = Int32(counts.count)
    for (i, c) in counts.enumerated() { kp_instruction_set_iov(cin, Int32(i), Int64(c)) }
  }

  private static func set(
    _ cin: UnsafeMutablePointer<kp_instruction>, _ syscall: Syscall, _ config: KernelConfig
  ) throws(ProbeError) {
    func op(_ o: kp_op) { cin.pointee.op = Int32(o.rawValue) }
    switch syscall {
    case .open(let f, let flags, let s):
      op(KP_OP_OPEN)
      cin.pointee.file = try file(f, config)
      cin.pointee.flags = flags.rawValue
      cin.pointee.slot = try slot(s)
    case .read(let s, let count):
      op(KP_OP_READ)
      cin.pointee.slot = try slot(s)
      cin.pointee.count = Int64(count)
    case .pread(let s, let offset, let count):
      op(KP_OP_PREAD)
      cin.pointee.slot = try slot(s)
      cin.pointee.offset = Int64(offset)
      cin.pointee.count = Int64(count)
    case .readv(let s, let counts):
      op(KP_OP_READV)
      cin.pointee.slot = try slot(s)
      try iovecs(cin, counts)
    case .preadv(let s, let offset, let counts):
      op(KP_OP_PREADV)
      cin.pointee.slot = try slot(s)
      cin.pointee.offset = Int64(offset)
      try iovecs(cin, counts)
    case .write(let s, let count):
      op(KP_OP_WRITE)
      cin.pointee.slot = try slot(s)
      cin.pointee.count = Int64(count)
    case .pwrite(let s, let offset, let count):
      op(KP_OP_PWRITE)
      cin.pointee.slot = try slot(s)
      cin.pointee.offset = Int64(offset)
      cin.pointee.count = Int64(count)
    case .writev(let s, let counts):
      op(KP_OP_WRITEV)
      cin.pointee.slot = try slot(s)
      try iovecs(cin, counts)
    case .ftruncate(let s, let length):
      op(KP_OP_FTRUNCATE)
      cin.pointee.slot = try slot(s)
      cin.pointee.count = Int64(length)
    case .truncate(let f, let length):
      op(KP_OP_TRUNCATE)
      cin.pointee.file = try file(f, config)
      cin.pointee.count = Int64(length)
    case .fallocate(let s, let mode, let offset, let length):
      op(KP_OP_FALLOCATE)
      cin.pointee.slot = try slot(s)
      cin.pointee.flags = fallocateFlags(mode)
      cin.pointee.offset = Int64(offset)
      cin.pointee.count = Int64(length)
    case .mmap(let s, let offset, let length, let map):
      op(KP_OP_MMAP)
      cin.pointee.slot = try slot(s)
      cin.pointee.offset = Int64(offset)
      cin.pointee.count = Int64(length)
      cin.pointee.map = try slot(map)
    case .sendfile(let outSlot, let inSlot, let offset, let count):
      op(KP_OP_SENDFILE)
      cin.pointee.slot = try slot(outSlot)
      cin.pointee.slot2 = try slot(inSlot)
      cin.pointee.has_offset = offset == nil ? 0 : 1
      cin.pointee.offset = Int64(offset ?? 0)
      cin.pointee.count = Int64(count)
    case .copyFileRange(let inSlot, let inOffset, let outSlot, let outOffset, let count):
      op(KP_OP_COPY_FILE_RANGE)
      cin.pointee.slot = try slot(inSlot)
      cin.pointee.slot2 = try slot(outSlot)
      cin.pointee.offset = Int64(inOffset)
      cin.pointee.offset2 = Int64(outOffset)
      cin.pointee.count = Int64(count)
    case .spliceToPipe(let s, let offset, let count):
      // The task child's own pipe; the bytes moved are drained and classified like a read's.
      guard count >= 0 else { throw ProbeError(.notExpressible, "splice count \(count)") }
      op(KP_OP_SPLICE_TO_PIPE)
      cin.pointee.slot = try slot(s)
      cin.pointee.offset = Int64(offset)
      cin.pointee.count = Int64(count)
    case .spliceFromPipe(let s, let offset, let count):
      // The pipe is filled with `count` bytes of the written pattern first; it must hold them.
      guard count >= 0, count <= Int(KP_MAX_PIPE) else {
        throw ProbeError(
          .notExpressible, "splice from a pipe of \(count) bytes (limit \(KP_MAX_PIPE))")
      }
      op(KP_OP_SPLICE_FROM_PIPE)
      cin.pointee.slot = try slot(s)
      cin.pointee.offset = Int64(offset)
      cin.pointee.count = Int64(count)
    case .close(let s):
      op(KP_OP_CLOSE)
      cin.pointee.slot = try slot(s)
    case .fanotifyMark(let mark, let flags):
      op(KP_OP_FANOTIFY_MARK)
      try set(&cin.pointee.mark, mark, flags: flags, config)
    case .freeze:
      op(KP_OP_FREEZE)
    case .thaw:
      op(KP_OP_THAW)
    case .kill(let task):
      guard config.tasks.indices.contains(task) else {
        throw ProbeError(.notExpressible, "kill names task \(task), which does not exist")
      }
      op(KP_OP_KILL)
      cin.pointee.target = Int32(task)
    case .getdents:
      throw ProbeError(.notExpressible, "the probe does not run getdents")
    case .remap(let inSlot, let inOffset, let outSlot, let outOffset, let length, let dedupe):
      op(dedupe ? KP_OP_DEDUPE : KP_OP_CLONE)
      cin.pointee.slot = try slot(inSlot)
      cin.pointee.slot2 = try slot(outSlot)
      cin.pointee.offset = Int64(inOffset)
      cin.pointee.offset2 = Int64(outOffset)
      cin.pointee.count = Int64(length)
    case .mremap(let map, let length):
      op(KP_OP_MREMAP)
      cin.pointee.map = try slot(map)
      cin.pointee.count = Int64(length)
    case .load(let map, let offset, .allowRetry):
      op(KP_OP_LOAD)
      cin.pointee.map = try slot(map)
      cin.pointee.offset = Int64(offset)
    case .store(let map, let offset):
      op(KP_OP_STORE)
      cin.pointee.map = try slot(map)
      cin.pointee.offset = Int64(offset)
    case .fadviseWillneed(let s, let offset, let length):
      op(KP_OP_FADVISE)
      cin.pointee.slot = try slot(s)
      cin.pointee.offset = Int64(offset)
      cin.pointee.count = Int64(length)
    case .readahead(let s, let offset, let count):
      op(KP_OP_READAHEAD)
      cin.pointee.slot = try slot(s)
      cin.pointee.offset = Int64(offset)
      cin.pointee.count = Int64(count)
    case .madviseWillneed(let map):
      op(KP_OP_MADVISE_WILLNEED)
      cin.pointee.map = try slot(map)
    case .load:
      throw ProbeError(.notExpressible, "get_user_pages has no user-space equivalent")
    case .madviseHugepage, .pwriteFromMap:
      throw ProbeError(.notExpressible, "the probe does not run huge pages or faults inside write")
    case .exec(let f):
      // The file becomes a copy of /bin/true (mode 0755, padded to its pages); a forked
      // grandchild of the task child execs it and its events count as this instruction's.
      op(KP_OP_EXEC)
      cin.pointee.file = try file(f, config)
    }
  }
}
