import CKernelProbe
import KernelModel

/// Translates a `KernelConfig` into the C plan.
enum PlanBuilder {
  /// The permission-event kinds a listener has action lists for, in `enum kp_kind` order.
  static let kinds: [EventMask] = [
    .FAN_OPEN_PERM, .FAN_OPEN_EXEC_PERM, .FAN_ACCESS_PERM, .FAN_PRE_ACCESS,
  ]

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
      guard spec.initFlags.isEmpty, spec.eventFlags == .O_RDWR else {
        throw ProbeError(
          .notExpressible,
          "group \(spec.name): fanotify_init flags and event_f_flags are not probed yet")
      }
      let group = kp_plan_group(plan, Int32(g))!
      group.pointee.fan_class = groupClassCode(spec.groupClass)
      if let limit = spec.queueLimit {
        guard limit > 0, limit <= Int(Int32.max) else {
          throw ProbeError(.notExpressible, "group \(spec.name): queue limit \(limit)")
        }
        group.pointee.queue_limit = Int32(limit)
      }
      guard let listener = spec.listener else { continue }
      group.pointee.has_listener = 1
      for (k, mask) in kinds.enumerated() {
        let range: EventRange? =
          mask == .FAN_PRE_ACCESS ? EventRange(offset: 0, count: Fanotify.pageSize) : nil
        let event = ListenerEvent(mask: mask, range: range, file: 0, groupClass: spec.groupClass)
        let actions = listener.actions(for: event)
        // The probe answers by event kind; a model that answers by event order cannot be run.
        for n in 1..<8 {
          var later = event
          later.sequence = n
          guard listener.actions(for: later) == actions else {
            throw ProbeError(
              .notExpressible,
              "listener \(listener.name) answers by event order; the probe answers by event kind")
          }
        }
        try limit(actions.count, KP_MAX_ACTIONS, "actions of listener \(listener.name)")
        for (a, action) in actions.enumerated() {
          let slot = kp_group_action(group, Int32(k), Int32(a))!
          switch action {
          case .fillRange: slot.pointee.kind = Int32(KP_ACT_FILL_RANGE.rawValue)
          case .respond(let word):
            slot.pointee.kind = Int32(KP_ACT_RESPOND.rawValue)
            slot.pointee.response = word
          case .closeEventFd: slot.pointee.kind = Int32(KP_ACT_CLOSE_EVENT_FD.rawValue)
          case .ftruncateEventFd: slot.pointee.kind = Int32(KP_ACT_FTRUNCATE_EVENT_FD.rawValue)
          case .readThroughNormalFd: slot.pointee.kind = Int32(KP_ACT_READ_NORMAL_FD.rawValue)
          case .closeGroup: slot.pointee.kind = Int32(KP_ACT_CLOSE_GROUP.rawValue)
          @unknown default:
            throw ProbeError(.notExpressible, "listener action \(action) has no probe mapping")
          }
        }
        withUnsafeMutablePointer(to: &group.pointee.action_count) {
          $0.withMemoryRebound(to: Int32.self, capacity: Int(KP_KIND_COUNT.rawValue)) {
            $0[k] = Int32(actions.count)
          }
        }
      }
    }

    plan.pointee.mark_count = Int32(config.marks.count)
    for (i, mark) in config.marks.enumerated() {
      try set(kp_plan_mark(plan, Int32(i))!, mark, config)
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

  private static func set(
    _ cmark: UnsafeMutablePointer<kp_mark>, _ mark: Mark, _ config: KernelConfig
  ) throws(ProbeError) {
    guard mark.ignore.isEmpty else {
      throw ProbeError(.notExpressible, "ignore masks are not probed yet")
    }
    guard config.groups.indices.contains(mark.group) else {
      throw ProbeError(.notExpressible, "mark names group \(mark.group), which does not exist")
    }
    cmark.pointee.group = Int32(mark.group)
    cmark.pointee.mask = UInt64(mark.mask.rawValue)
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
      guard flags.isEmpty else {
        throw ProbeError(.notExpressible, "fanotify_mark with \(flags) is not probed yet")
      }
      op(KP_OP_FANOTIFY_MARK)
      try set(&cin.pointee.mark, mark, config)
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
    case .remap, .mremap:
      throw ProbeError(.notExpressible, "the probe does not run \(syscall.name) yet")
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
