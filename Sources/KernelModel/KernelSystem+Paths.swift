import Exploration

/// Syscall entry: each syscall becomes a path of kernel steps, in the order the kernel runs them
/// (kernel-semantics §3.1, §4.1). Paths are built from the task's own state only.
extension KernelSystem {
  /// What the entry step reads and writes. Every entry reads the task's own event object, which
  /// also carries its pending fatal signal (`kill` writes it).
  func entryFootprint(task t: Int, choice: Int, in s: KernelState) -> Footprint {
    let own = ObjectSet(objects.event(ofTask: t))
    switch config.tasks[t].program[s.tasks[t].pc].choices[choice] {
    case .fanotifyMark(let m, _):
      // An ignore mask that does not survive modification is refused while the inode is open for
      // write: the check reads i_writecount.
      let size = m.object.file.map { ObjectSet(objects.size(file: $0)) } ?? ObjectSet()
      return Footprint(reading: own + size, writing: ObjectSet(objects.marks))
    case .freeze, .thaw: return Footprint(reading: own + ObjectSet(objects.superblock))
    case .kill(let victim):
      return Footprint(reading: own, writing: ObjectSet(objects.event(ofTask: victim)))
    case .copyFileRange(let inSlot, _, _, _, _):
      let size =
        s.tasks[t].fds[inSlot].map { ObjectSet(objects.size(file: $0.file)) } ?? ObjectSet()
      return Footprint(reading: own + size)
    default: return Footprint(reading: own)
    }
  }

  /// Syscall entry of application task `t`.
  func enter(_ syscall: Syscall, task t: Int, in s: inout KernelState) {
    if s.tasks[t].signalled {
      die(task: t, in: &s)
      return
    }
    s.tasks[t].allowedGroups = 0
    s.tasks[t].implicitAllow = false
    s.tasks[t].io = nil
    s.tasks[t].path = StepList(path(for: syscall, task: t, in: &s))
  }

  /// The path of `syscall` issued by task `t` (application or listener). May set `io` and take
  /// task-private locks (`f_pos_lock`); anything shared is left to the path's steps.
  func path(for syscall: Syscall, task t: Int, in s: inout KernelState) -> [PathStep] {
    let ts = s.tasks[t]
    func fd(_ slot: Int) -> OpenFile? { ts.fds[slot] }
    let profile = config.profile
    switch syscall {
    case .open(let file, let flags, let slot):
      let trunc: [PathStep] = flags.contains(.O_TRUNC) ? [.lock(.sb_writers, exclusive: false)] : []
      return trunc + [.doDentryOpen(file: file, flags: flags, slot: slot)]

    case .read(let slot, _), .pread(let slot, _, _), .readv(let slot, _), .preadv(let slot, _, _),
      .spliceToPipe(let slot, _, _):
      // sys_splice returns 0 for 0 bytes before it looks at the fds (measured on 6.18).
      if case .spliceToPipe(_, _, 0) = syscall { return [.ret(.value(0))] }
      // do_splice verifies the file for READ before the pipe is locked (§3.1 row S1).
      guard let ofd = fd(slot), ofd.flags.canRead else { return [.ret(.error(.EBADF))] }
      let io = beginTransfer(syscall, slot: slot, ofd: ofd, task: t, in: &s)
      // vfs_readv: an empty vector skips rw_verify_area, and fsnotify_access follows any
      // ret >= 0, even 0 bytes (measured on 6.18; vfs_read needs ret > 0).
      var vector = false
      if case .readv = syscall { vector = true }
      if case .preadv = syscall { vector = true }
      if vector && io.count == 0 { return accessNotice(ofd, always: true) + [.retTransferred] }
      return readHooks(ofd, pos: io.pos, count: io.count)
        + readPages(ofd.file, pos: io.pos, count: io.count)
        + accessNotice(ofd, always: vector) + [.retTransferred]

    case .write(let slot, _), .pwrite(let slot, _, _), .writev(let slot, _),
      .spliceFromPipe(let slot, _, _):
      // sys_splice returns 0 for 0 bytes before it looks at the fds (measured on 6.18).
      if case .spliceFromPipe(_, _, 0) = syscall { return [.ret(.value(0))] }
      // do_splice verifies the file for WRITE before file_start_write (§3.1 row S2).
      guard let ofd = fd(slot), ofd.flags.canWrite else { return [.ret(.error(.EBADF))] }
      if case .spliceFromPipe = syscall, ofd.flags.contains(.O_APPEND) {
        // Measured on 6.18: an O_APPEND target is EINVAL before the hook.
        return [.ret(.error(.EINVAL))]
      }
      let io = beginTransfer(syscall, slot: slot, ofd: ofd, task: t, in: &s)
      let (pos, total) = (io.pos, io.count)
      let hook =
        profile.writeHook && ofd.mode.preContent
        ? [preAccess(ofd, pos: pos, count: total)] : []
      return lockedBody(
        hook: hook, file: ofd.file, invalidate: false, body: [.writeChecks],
        after: modifyNotice(ofd), ret: .retTransferred)

    case .ftruncate(let slot, let length):
      // do_sys_ftruncate: no such fd is EBADF; do_ftruncate: not open for write is EINVAL.
      guard let ofd = fd(slot) else { return [.ret(.error(.EBADF))] }
      guard ofd.flags.canWrite else { return [.ret(.error(.EINVAL))] }
      return truncatePath(
        file: ofd.file, length: length, viaSilentFd: ofd.mode == .none || ofd.isEventFd)

    case .truncate(let file, let length):
      return truncatePath(file: file, length: length, viaSilentFd: false)

    case .fallocate(let slot, let mode, let offset, let length):
      // ksys_fallocate's fd lookup (EBADF), then vfs_fallocate's checks before the hook
      // (fs/open.c): range, mode, FMODE_WRITE.
      guard let ofd = fd(slot) else { return [.ret(.error(.EBADF))] }
      guard offset >= 0, length > 0 else { return [.ret(.error(.EINVAL))] }
      if let e = mode.vfsError { return [.ret(.error(e))] }
      guard ofd.flags.canWrite else { return [.ret(.error(.EBADF))] }
      let hook = ofd.mode.preContent ? [preAccess(ofd, pos: offset, count: length)] : []
      return fallocateBody(
        ofd.file, mode: mode, offset: offset, length: length, hook: hook,
        silent: ofd.mode == .none)

    case .mmap(let slot, let offset, let length, let map):
      guard offset % Fanotify.pageSize == 0 else { return [.ret(.error(.EINVAL))] }
      guard let ofd = fd(slot) else { return [.ret(.error(.EBADF))] }
      var hook: [PathStep] = []
      if ofd.mode.preContent && profile.mmapHook {
        // fsnotify_mmap_perm: pgoff << PAGE_SHIFT (6.18); B13 shifted the wrong way.
        let reported =
          profile.mmapOffsetBug ? offset / Fanotify.pageSize / Fanotify.pageSize : offset
        var n = preAccessNotification(ofd, pos: offset, count: length)
        n.range = eventRange(pos: reported, len: length)
        hook = [.notify(n)]
      }
      // do_mmap's own checks come after the hook: a failing mmap still emitted (§3.1 row M).
      // Its length check comes before the file's mode (measured on 6.18).
      guard length > 0 else { return hook + [.ret(.error(.EINVAL))] }
      guard ofd.flags.canRead else { return hook + [.ret(.error(.EACCES))] }
      // do_mmap: the VMA covers round_up(len, PAGE_SIZE).
      let page = Fanotify.pageSize
      return hook + [
        .lock(.mmap_lock, exclusive: true),
        .mmapRegion(
          slot: slot, offset: offset, length: (length + page - 1) / page * page, map: map),
        .unlock(.mmap_lock), .ret(.value(0)),
      ]

    case .sendfile(let outSlot, let inSlot, let offset, let count):
      // do_sendfile verifies the input, rw_verify_area(READ) and its hooks included, before it
      // looks at the output fd (measured on 6.18: a read-only output still emits).
      guard let inFile = fd(inSlot), inFile.flags.canRead else { return [.ret(.error(.EBADF))] }
      let pos = offset ?? inFile.pos
      s.tasks[t].io = IORequest(
        slot: inSlot, pos: pos, count: count, usesFilePosition: offset == nil, done: 0)
      guard let outFile = fd(outSlot), outFile.flags.canWrite else {
        return readHooks(inFile, pos: pos, count: count) + [.ret(.error(.EBADF))]
      }
      return copyPath(
        inFile, pos: pos, count: count, outSlot: outSlot, out: outFile, outPos: outFile.pos)

    case .copyFileRange(let inSlot, let inOffset, let outSlot, let outOffset, let count):
      // generic_copy_file_checks, before the hooks: generic_file_rw_checks (EBADF: in not
      // readable, out not writable or O_APPEND), the length shortened to the source's EOF, and
      // no overlapping copy within one file (EINVAL, measured on 6.18).
      guard let inFile = fd(inSlot), inFile.flags.canRead, let outFile = fd(outSlot),
        outFile.flags.canWrite, !outFile.flags.contains(.O_APPEND)
      else { return [.ret(.error(.EBADF))] }
      let len = max(0, min(count, s.inodes[inFile.file].size - inOffset))
      if inFile.file == outFile.file && outOffset + len > inOffset && outOffset < inOffset + len {
        return [.ret(.error(.EINVAL))]
      }
      s.tasks[t].io = IORequest(
        slot: inSlot, pos: inOffset, count: len, usesFilePosition: false, done: 0)
      return copyPath(
        inFile, pos: inOffset, count: len, outSlot: outSlot, out: outFile, outPos: outOffset)

    case .remap(let inSlot, let inOffset, let outSlot, let outOffset, let length, let dedupe):
      return remapPath(
        inSlot: inSlot, inOffset: inOffset, outSlot: outSlot, outOffset: outOffset,
        length: length, dedupe: dedupe, task: t, in: &s)

    case .mremap(let map, let length):
      // mremap: a mapping must exist (EFAULT) and the new length be non-zero (EINVAL). No hook.
      guard ts.maps[map] != nil else { return [.ret(.error(.EFAULT))] }
      guard length > 0 else { return [.ret(.error(.EINVAL))] }
      let page = Fanotify.pageSize
      return [
        .lock(.mmap_lock, exclusive: true),
        .mremapVma(map: map, length: (length + page - 1) / page * page),
        .unlock(.mmap_lock), .ret(.value(0)),
      ]

    case .load(let map, let offset, let flags):
      // No VMA there: SIGSEGV for a user load (do_user_addr_fault → bad_area), EFAULT for GUP.
      guard let m = ts.maps[map], offset >= 0, offset < m.length else {
        return [.ret(.error(flags == .allowRetry ? .SIGSEGV : .EFAULT))]
      }
      guard offset / Fanotify.pageSize < 64 else { return [.ret(.error(.EFAULT))] }  // PTE mask
      let q = offset / Fanotify.pageSize
      if m.hasPTE(q) { return [.userRead(map: map, page: q), .ret(.value(0))] }
      s.tasks[t].faultEventAllowed = false
      return [
        .lock(.mmap_lock, exclusive: false),
        readFaultEntry(map: map, page: q, tried: false, flags: flags, task: t, in: s),
        .unlock(.mmap_lock),
        .userRead(map: map, page: q), .ret(.value(0)),
      ]

    case .store(let map, let offset):
      // No VMA there, or a VMA without VM_WRITE (access_error): SIGSEGV.
      guard let m = ts.maps[map], offset >= 0, offset < m.length, m.writable else {
        return [.ret(.error(.SIGSEGV))]
      }
      guard offset / Fanotify.pageSize < 64 else { return [.ret(.error(.EFAULT))] }  // PTE mask
      let q = offset / Fanotify.pageSize
      if m.hasPMD(q) {
        // __handle_mm_fault: a write to a read-only huge PMD goes to wp_huge_pmd.
        return [
          .lock(.mmap_lock, exclusive: false), .wpHugePmd(map: map, page: q), .unlock(.mmap_lock),
          .ret(.value(0)),
        ]
      }
      if m.hasPTE(q) { return [.pageMkwrite(map: map, page: q), .ret(.value(0))] }
      s.tasks[t].faultEventAllowed = false
      return [
        .lock(.mmap_lock, exclusive: false), .doWriteFault(map: map, page: q, tried: false),
        .unlock(.mmap_lock), .ret(.value(0)),
      ]

    case .madviseHugepage(let map):
      guard ts.maps[map] != nil else { return [.ret(.error(.EINVAL))] }
      s.tasks[t].maps[map]!.huge = true
      return [.ret(.value(0))]

    case .fadviseWillneed(let slot, let offset, let length):
      guard let ofd = fd(slot) else { return [.ret(.error(.EBADF))] }
      return forcePageCacheRa(ofd.file, offset: offset, length: length, hsm: ofd.mode.preContent)

    case .readahead(let slot, let offset, let count):
      guard let ofd = fd(slot), ofd.flags.canRead else { return [.ret(.error(.EBADF))] }
      return forcePageCacheRa(ofd.file, offset: offset, length: count, hsm: ofd.mode.preContent)

    case .madviseWillneed(let map):
      guard let m = ts.maps[map] else { return [.ret(.error(.EINVAL))] }
      return forcePageCacheRa(m.file, offset: m.offset, length: m.length, hsm: m.hsm)

    case .pwriteFromMap(let slot, let offset, let count, let map, let mapOffset):
      guard let ofd = fd(slot), ofd.flags.canWrite else { return [.ret(.error(.EBADF))] }
      guard let m = ts.maps[map], mapOffset >= 0, mapOffset + count <= m.length,
        count <= Fanotify.pageSize - mapOffset % Fanotify.pageSize
      else { return [.ret(.error(.EFAULT))] }
      var io = IORequest(slot: slot, pos: offset, count: count, usesFilePosition: false, done: 0)
      io.sourceMap = map
      io.sourcePage = mapOffset / Fanotify.pageSize
      s.tasks[t].io = io
      let hook =
        profile.writeHook && ofd.mode.preContent ? [preAccess(ofd, pos: offset, count: count)] : []
      return lockedBody(
        hook: hook, file: ofd.file, invalidate: false, body: [.writeChecks],
        after: modifyNotice(ofd), ret: .retTransferred)

    case .getdents(let slot):
      guard let ofd = fd(slot) else { return [.ret(.error(.EBADF))] }
      guard config.files[ofd.file].directory else { return [.ret(.error(.ENOTDIR))] }
      var hooks: [PathStep] = []
      for (wanted, mask) in [
        (ofd.mode.preContent, EventMask.FAN_PRE_ACCESS), (ofd.mode.accessPerm, .FAN_ACCESS_PERM),
      ]
      where wanted {
        hooks.append(
          .notify(
            Notification(
              mask: mask, range: nil, file: ofd.file, cursor: 0, access: nil,
              viaSilentFd: ofd.mode == .none || ofd.isEventFd, isTruncate: false)))
      }
      return hooks + [.ret(.value(0))]

    case .close(let slot):
      guard let ofd = fd(slot) else { return [.ret(.error(.EBADF))] }
      closeFile(ofd, task: t, slot: slot, in: &s)
      // __fput → fsnotify_close, unless a mapping made through this fd still holds its file
      // (then at munmap, which the model has not).
      let mapped = ts.maps.contains { $0?.fdSlot == slot }
      for i in ts.maps.indices where ts.maps[i]?.fdSlot == slot { s.tasks[t].maps[i]!.fdSlot = nil }
      guard ofd.mode != .none, !mapped else { return [.ret(.value(0))] }
      let mask: EventMask = ofd.flags.canWrite ? .FAN_CLOSE_WRITE : .FAN_CLOSE_NOWRITE
      return notices(mask, file: ofd.file) + [.ret(.value(0))]

    case .exec(let file):
      return [.openExec(file: file)]

    case .fanotifyMark(let mark, let flags):
      switch markOutcome(mark, flags: flags, in: s) {
      case .fail(let e): return [.ret(.error(e))]
      case .skip: break
      case .apply: s.applyMark(mark, flags: flags)
      }
      return [.ret(.value(0))]

    case .freeze:
      guard s.sb.freeze == .unfrozen else { return [.ret(.error(.EBUSY))] }
      return [.freezeSuper, .freezeWait, .ret(.value(0))]

    case .thaw:
      guard case .frozen = s.sb.freeze else { return [.ret(.error(.EINVAL))] }
      return [.thawSuper, .ret(.value(0))]

    case .kill(let victim):
      if !s.tasks[victim].killed { s.tasks[victim].signalled = true }
      return [.ret(.value(0))]
    }
  }

  /// Position, length and `f_pos` use of a data transfer; takes `f_pos_lock` (`fdget_pos`) for
  /// the calls that use the file position, and records the request as the task's `io`.
  func beginTransfer(
    _ syscall: Syscall, slot: Int, ofd: OpenFile, task t: Int, in s: inout KernelState
  ) -> IORequest {
    var pos = ofd.pos
    let total: Int
    var usesPosition = false
    switch syscall {
    case .read(_, let count), .write(_, let count):
      total = count
      usesPosition = true
    case .readv(_, let counts), .writev(_, let counts):
      total = counts.reduce(0, +)
      usesPosition = true
    case .pread(_, let offset, let count), .pwrite(_, let offset, let count),
      .spliceToPipe(_, let offset, let count), .spliceFromPipe(_, let offset, let count):
      pos = offset
      total = count
    case .preadv(_, let offset, let counts):
      pos = offset
      total = counts.reduce(0, +)
    default:
      preconditionFailure("\(syscall.name) is not a data transfer")
    }
    if usesPosition { s.tasks[t].held.append(.f_pos_lock(slot: slot)) }
    let io = IORequest(slot: slot, pos: pos, count: total, usesFilePosition: usesPosition, done: 0)
    s.tasks[t].io = io
    return io
  }

  /// The range record for an access at `pos` of `len` bytes under the profile.
  func eventRange(pos: Int, len: Int) -> EventRange {
    config.profile.pageAlignedRanges
      ? .pageAligned(pos: pos, len: len) : EventRange(offset: pos, count: len)
  }

  /// `fsnotify_file_area_perm()`'s pre-content event for an access through `ofd`.
  func preAccess(_ ofd: OpenFile, pos: Int, count: Int) -> PathStep {
    .notify(preAccessNotification(ofd, pos: pos, count: count))
  }

  func preAccessNotification(_ ofd: OpenFile, pos: Int, count: Int) -> Notification {
    Notification(
      mask: .FAN_PRE_ACCESS, range: eventRange(pos: pos, len: count), file: ofd.file, cursor: 0,
      access: ByteSpan(pos: pos, len: count), viaSilentFd: ofd.mode == .none || ofd.isEventFd,
      isTruncate: false)
  }

  /// `rw_verify_area(READ)`: pre-content, then FAN_ACCESS_PERM on mode-0 files (I8).
  func readHooks(_ ofd: OpenFile, pos: Int, count: Int) -> [PathStep] {
    var hooks: [PathStep] = []
    if ofd.mode.preContent { hooks.append(preAccess(ofd, pos: pos, count: count)) }
    if ofd.mode.accessPerm {
      // v2 emitted FAN_ACCESS_PERM first; the merged order lets scanners see filled data (I8).
      hooks.insert(
        .notify(
          Notification(
            mask: .FAN_ACCESS_PERM, range: nil, file: ofd.file, cursor: 0, access: nil,
            viaSilentFd: false, isTruncate: false)),
        at: config.profile.accessPermFirst ? 0 : hooks.count)
    }
    return hooks
  }

  /// One `filemapRead` step per page the request may touch (clamped to the file's pages; EOF is
  /// checked as the steps run).
  func readPages(_ file: Int, pos: Int, count: Int) -> [PathStep] {
    guard count > 0 else { return [] }
    let page = Fanotify.pageSize
    let first = pos / page
    let last = min((pos + count - 1) / page, config.files[file].pageCapacity - 1)
    guard first <= last else { return [] }
    return (first...last).map { .filemapRead(file: file, page: $0) }
  }

  /// Hook, `file_start_write` (sb_writers), `inode_lock` (i_rwsem) [, invalidate_lock], body,
  /// unlocks, return. With `hooks-before-locks` off (D4) the hook moves under the locks.
  func lockedBody(
    hook: [PathStep], file: Int, invalidate: Bool, body: [PathStep], after: [PathStep] = [],
    ret: PathStep
  ) -> [PathStep] {
    var locks: [PathStep] = [
      .lock(.sb_writers, exclusive: false), .lock(.i_rwsem(file: file), exclusive: true),
    ]
    var unlocks: [PathStep] = [.unlock(.i_rwsem(file: file)), .unlock(.sb_writers)]
    if invalidate {
      locks.append(.lock(.invalidate_lock(file: file), exclusive: true))
      unlocks.insert(.unlock(.invalidate_lock(file: file)), at: 0)
    }
    let ordered = config.profile.hooksBeforeLocks ? hook + locks : locks + hook
    return ordered + body + unlocks + after + [ret]
  }

  /// `fsnotify_modify` after a write that moved bytes (`if (ret > 0)`), unless the fd is
  /// FMODE_NONOTIFY (an event fd).
  func modifyNotice(_ ofd: OpenFile) -> [PathStep] {
    ofd.mode == .none ? [] : notices(.FAN_MODIFY, file: ofd.file, ifTransferred: true)
  }

  /// `fsnotify_access` after a read that moved bytes (`always`: after any read that did not
  /// fail), unless the fd is FMODE_NONOTIFY.
  func accessNotice(_ ofd: OpenFile, always: Bool = false) -> [PathStep] {
    ofd.mode == .none ? [] : notices(.FAN_ACCESS, file: ofd.file, ifTransferred: !always)
  }

  /// What `vfs_fallocate` does after its hook, for an ext4-like filesystem: `->fallocate`'s own
  /// mode checks (EOPNOTSUPP for UNSHARE_RANGE and WRITE_ZEROES, which the loop device cannot
  /// unmap; EINVAL for a collapse or insert that is not block aligned or does not fit the file),
  /// then the operation under `sb_writers`, `i_rwsem` and, for the operations that change
  /// content, `invalidate_lock`.
  func fallocateBody(
    _ file: Int, mode: FallocateMode, offset: Int, length: Int, hook: [PathStep], silent: Bool
  ) -> [PathStep] {
    let end = offset + length
    let page = Fanotify.pageSize
    let aligned = offset % page == 0 && length % page == 0
    var body: [PathStep] = []
    switch mode.operation {
    case .allocate, .FALLOC_FL_ZERO_RANGE:
      if mode.operation == .FALLOC_FL_ZERO_RANGE {
        body.append(.punchHole(file: file, start: offset, end: end))
      }
      if !mode.contains(.FALLOC_FL_KEEP_SIZE) {
        body.append(
          end > config.files[file].maxSize
            ? .sizeBound(file: file) : .extendSize(file: file, size: end))
      }
    case .FALLOC_FL_PUNCH_HOLE:
      body.append(.punchHole(file: file, start: offset, end: end))
    case .FALLOC_FL_COLLAPSE_RANGE, .FALLOC_FL_INSERT_RANGE:
      // ext4_collapse_range / ext4_insert_range: block aligned (EINVAL), then the checks
      // against i_size under inode_lock (`shiftRange`).
      guard aligned else { return hook + [.ret(.error(.EINVAL))] }
      body.append(
        .shiftRange(
          file: file, offset: offset, length: length,
          insert: mode.operation == .FALLOC_FL_INSERT_RANGE))
    default:
      // UNSHARE_RANGE (no reflink on ext4) and WRITE_ZEROES (no unmapping write-zeroes on the
      // probe's loop device) fail in ext4_fallocate.
      return hook + [.ret(.error(.EOPNOTSUPP))]
    }
    let changesContent = mode.operation != .allocate
    // vfs_fallocate: fsnotify_modify once ->fallocate returned 0.
    return lockedBody(
      hook: hook, file: file, invalidate: changesContent, body: body,
      after: silent ? [] : notices(.FAN_MODIFY, file: file),
      ret: .ret(.value(0)))
  }

  /// `do_ftruncate`/`vfs_truncate`: `fsnotify_truncate_perm` (sb-level gate, mode ignored: B14),
  /// then `do_truncate` under sb_writers, i_rwsem and invalidate_lock.
  func truncatePath(file: Int, length: Int, viaSilentFd: Bool) -> [PathStep] {
    guard length >= 0 else { return [.ret(.error(.EINVAL))] }
    let hook = PathStep.notify(
      Notification(
        mask: .FAN_PRE_ACCESS, range: eventRange(pos: length, len: 0), file: file, cursor: 0,
        access: ByteSpan(pos: length, len: 0), viaSilentFd: viaSilentFd, isTruncate: true))
    // do_truncate → notify_change → fsnotify_change after the new size.
    let modified: [PathStep] =
      watchedNotices.contains(.FAN_MODIFY) ? [.inodeModified(file: file)] : []
    return lockedBody(
      hook: config.profile.truncateHook ? [hook] : [], file: file, invalidate: true,
      body: [
        length > config.files[file].maxSize
          ? .sizeBound(file: file) : .setSize(file: file, size: length)
      ] + modified, ret: .ret(.value(0)))
  }

  /// Pages a PMD covers in the model (512 on x86-64; a few keep state spaces small).
  public static let pmdPages = 4

  /// The file page behind page `q` of mapping `m`.
  func filePage(_ m: Mapping, _ q: Int) -> Int { m.offset / Fanotify.pageSize + q }

  /// `vfs_fadvise(POSIX_FADV_WILLNEED) → generic_fadvise → force_page_cache_ra` over the pages of
  /// [offset, offset + length) within the file: no hook, never suppressed (B7).
  func forcePageCacheRa(_ file: Int, offset: Int, length: Int, hsm: Bool) -> [PathStep] {
    let page = Fanotify.pageSize
    let first = offset / page
    let end = min(config.files[file].pageCapacity, (offset + length + page - 1) / page)
    guard config.profile.forceReadahead, first < end else { return [.ret(.value(0))] }
    return [.forceReadahead(file: file, first: first, end: end, hsm: hsm), .ret(.value(0))]
  }

  /// The pre-content event a fault hook at `site` emits for one folio (one page here), with
  /// FAN_ACCESS_PERM too when the hook asks MAY_READ on a mode-0 file (v2, B4).
  func faultHooks(_ m: Mapping, page p: Int, mode: NotifyMode, site: FaultHookSite)
    -> [PathStep]
  {
    let pos = p * Fanotify.pageSize
    var n = Notification(
      mask: .FAN_PRE_ACCESS, range: eventRange(pos: pos, len: Fanotify.pageSize), file: m.file,
      cursor: 0, access: ByteSpan(pos: pos, len: Fanotify.pageSize), viaSilentFd: false,
      isTruncate: false)
    n.faultSite = site
    var hooks: [PathStep] = [.notify(n)]
    if config.profile.faultHookMayRead && mode.accessPerm {
      var ap = n
      ap.mask = .FAN_ACCESS_PERM
      ap.range = nil
      ap.access = nil
      hooks.insert(.notify(ap), at: config.profile.accessPermFirst ? 0 : 1)
    }
    return hooks
  }

  /// sendfile / copy_file_range: verify in (READ) then out (WRITE), then splice under the out
  /// file's sb_writers and i_rwsem.
  func copyPath(
    _ inFile: OpenFile, pos: Int, count: Int, outSlot: Int, out: OpenFile, outPos: Int
  ) -> [PathStep] {
    var hooks = readHooks(inFile, pos: pos, count: count)
    if config.profile.writeHook && out.mode.preContent {
      hooks.append(preAccess(out, pos: outPos, count: count))
    }
    // do_sendfile / vfs_copy_file_range: fsnotify_access(in), fsnotify_modify(out) if ret > 0.
    return hooks + readPages(inFile.file, pos: pos, count: count) + [
      .lock(.sb_writers, exclusive: false), .lock(.i_rwsem(file: out.file), exclusive: true),
      .spliceWrite(outSlot: outSlot, outPos: outPos), .unlock(.i_rwsem(file: out.file)),
      .unlock(.sb_writers),
    ] + accessNotice(inFile) + modifyNotice(out) + [.retTransferred]
  }

  /// `vfs_clone_file_range` / `vfs_dedupe_file_range_one` (fs/remap_range.c): the same
  /// superblock, `generic_file_rw_checks` (EBADF: in not readable, out not writable; EINVAL: out
  /// O_APPEND), `->remap_file_range` present (EOPNOTSUPP on ext4, before any hook), then
  /// `remap_verify_area` on the source (pre-content, and FAN_ACCESS_PERM on a mode-0 file) and
  /// on the destination, with the offsets and length as passed: a whole-file clone (length 0)
  /// reports count 0 (B18). Then, under `sb_writers` and both inodes' locks,
  /// `generic_remap_file_range_prep` (length 0 means to the source's EOF; block-aligned unless
  /// it ends at the source's EOF, EINVAL) and the remap itself; FAN_ACCESS and FAN_MODIFY after.
  func remapPath(
    inSlot: Int, inOffset: Int, outSlot: Int, outOffset: Int, length: Int, dedupe: Bool,
    task t: Int, in s: inout KernelState
  ) -> [PathStep] {
    let ts = s.tasks[t]
    guard let inFile = ts.fds[inSlot], let outFile = ts.fds[outSlot] else {
      return [.ret(.error(.EBADF))]
    }
    guard inFile.flags.canRead, outFile.flags.canWrite else { return [.ret(.error(.EBADF))] }
    if outFile.flags.contains(.O_APPEND) { return [.ret(.error(.EINVAL))] }
    guard config.filesystem.remaps else { return [.ret(.error(.EOPNOTSUPP))] }
    guard inOffset >= 0, outOffset >= 0, length >= 0 else { return [.ret(.error(.EINVAL))] }
    var hooks = readHooks(inFile, pos: inOffset, count: length)
    if outFile.mode.preContent { hooks.append(preAccess(outFile, pos: outOffset, count: length)) }
    s.tasks[t].io = IORequest(
      slot: inSlot, pos: inOffset, count: length, usesFilePosition: false, done: 0)
    // xfs_ilock2_io_mmap (btrfs likewise): both inodes' i_rwsem in order
    // (lock_two_nondirectories), then both invalidate_locks (filemap_invalidate_lock_two);
    // xfs_iunlock2_io_mmap releases the invalidate_locks first. Read in fs/xfs/xfs_inode.c;
    // a hunt found the deadlock an interleaved order made up with a write faulting in a mapping.
    let (a, b) = (min(inFile.file, outFile.file), max(inFile.file, outFile.file))
    let files = a == b ? [a] : [a, b]
    let locks: [PathStep] =
      [.lock(.sb_writers, exclusive: false)]
      + files.map { .lock(.i_rwsem(file: $0), exclusive: true) }
      + files.map { .lock(.invalidate_lock(file: $0), exclusive: true) }
    let unlocks: [PathStep] =
      files.reversed().map { .unlock(.invalidate_lock(file: $0)) }
      + files.reversed().map { .unlock(.i_rwsem(file: $0)) } + [.unlock(.sb_writers)]
    return hooks + locks
      + [
        .remapRange(
          inSlot: inSlot, inPos: inOffset, outSlot: outSlot, outPos: outOffset, length: length,
          dedupe: dedupe)
      ] + unlocks + accessNotice(inFile) + modifyNotice(outFile) + [.ret(.value(0))]
  }

  /// The rest of an open after `do_dentry_open` decided `mode`: FAN_OPEN_PERM if marked, the
  /// O_TRUNC truncate (sb_writers is already held by `mnt_want_write`), `fd_install`.
  func openRest(file: Int, flags: OpenFlags, slot: Int, mode: NotifyMode, mask: EventMask)
    -> [PathStep]
  {
    var rest: [PathStep] = []
    if mask.contains(.FAN_OPEN_PERM) {
      rest.append(
        .notify(
          Notification(
            mask: .FAN_OPEN_PERM, range: nil, file: file, cursor: 0, access: nil,
            viaSilentFd: false, isTruncate: false)))
    }
    // vfs_open: fsnotify_open once do_dentry_open succeeded, before do_open's O_TRUNC.
    if mode != .none { rest += notices(.FAN_OPEN, file: file) }
    if flags.contains(.O_TRUNC) {
      // handle_truncate → do_truncate: no pre-content event (B15).
      rest += [
        .lock(.i_rwsem(file: file), exclusive: true),
        .lock(.invalidate_lock(file: file), exclusive: true), .setSize(file: file, size: 0),
      ]
      if watchedNotices.contains(.FAN_MODIFY) { rest.append(.inodeModified(file: file)) }
      rest += [
        .unlock(.invalidate_lock(file: file)), .unlock(.i_rwsem(file: file)), .unlock(.sb_writers),
      ]
    }
    let opened = OpenFile(file: file, flags: flags, mode: mode, pos: 0)
    if config.profile.openHook && mode.preContent {
      // v2–v7: a pre-content event at open, range (f_pos, 0), after any O_TRUNC.
      rest.append(preAccess(opened, pos: 0, count: 0))
    }
    return rest + [.installFd(slot: slot, file: opened), .ret(.value(Self.fdNumber(ofSlot: slot)))]
  }

  /// `fput()` of a file: a writable one gives back its write access (`put_write_access`).
  func closeFile(_ ofd: OpenFile, task t: Int, slot: Int, in s: inout KernelState) {
    if ofd.flags.canWrite && !ofd.isEventFd { s.inodes[ofd.file].writers -= 1 }
    s.tasks[t].fds[slot] = nil
  }

  /// The rest of execve after `do_open_execat` decided the binary's mode (§3.5, §3.7):
  /// FAN_OPEN_EXEC_PERM and FAN_OPEN_PERM if marked, FAN_OPEN_EXEC|FAN_OPEN, the write denial,
  /// then `load_elf_binary` as the binary's layout says: each header `kernel_read` under
  /// `cred_guard_mutex` (a pre-content event for an HSM binary, then FAN_ACCESS), the point of no
  /// return (`setup_new_exec` drops the mutex), and one `vm_mmap` per segment (a pre-content
  /// event whose denial kills the task). The interpreter is a file outside the scenario.
  func execRest(file: Int, mode: NotifyMode, mask: EventMask, size: Int) -> [PathStep] {
    var rest: [PathStep] = []
    for event in [EventMask.FAN_OPEN_EXEC_PERM, .FAN_OPEN_PERM] where mask.contains(event) {
      rest.append(
        .notify(
          Notification(
            mask: event, range: nil, file: file, cursor: 0, access: nil, viaSilentFd: false,
            isTruncate: false)))
    }
    // vfs_open → fsnotify_open: FAN_OPEN_EXEC|FAN_OPEN for a file opened with __FMODE_EXEC.
    rest += notices([.FAN_OPEN_EXEC, .FAN_OPEN], file: file)
    rest.append(.denyWriteAccess(file: file, mode: mode))
    let layout = config.files[file].elf ?? .binTrue
    let binary = OpenFile(file: file, flags: [], mode: mode, pos: 0)
    var reads: [PathStep] = []
    for (i, r) in layout.headerReads.enumerated() {
      // kernel_read: rw_verify_area's hooks (pre-content, FAN_ACCESS_PERM), the read, then
      // FAN_ACCESS if it read anything. A denial fails the exec, which closes the binary; the
      // second read is load_elf_phdrs', whose failure load_elf_binary turns into ENOEXEC.
      for var hook in readHooks(binary, pos: r.pos, count: r.len) {
        if case .notify(var n) = hook {
          n.closesExecFile = true
          if i == 1 { n.deniedErrno = .ENOEXEC }
          hook = .notify(n)
        }
        reads.append(hook)
      }
      if size > r.pos { reads += notices(.FAN_ACCESS, file: file) }
      // A binary cut short: no ELF header (search_binary_handler finds no format), or a short
      // read of what load_elf_binary needs: ENOEXEC, and the binary is closed.
      if size < (i == 0 ? 64 : r.pos + r.len) {
        reads += notices(.FAN_CLOSE_NOWRITE, file: file) + [.ret(.error(.ENOEXEC))]
        break
      }
    }
    if !reads.isEmpty {
      rest += [.lock(.cred_guard_mutex, exclusive: true)] + reads + [.unlock(.cred_guard_mutex)]
    }
    if mode.preContent {
      for m in layout.mappings {
        var n = preAccessNotification(binary, pos: m.pos, count: m.len)
        n.fatalDenial = true
        rest += [.notify(n), .execMap(file: file, offset: m.pos, length: m.len)]
      }
    }
    return rest + [.ret(.value(0))]
  }

  /// The fd number a program's fd slot stands for: 3 + slot.
  public static func fdNumber(ofSlot slot: Int) -> Int { 3 + slot }

  /// Whether mark `m` makes events on `file` interesting to fsnotify (`fsnotify_calc_mask`:
  /// a mark's mask and its ignore mask). A directory's mark must carry FAN_EVENT_ON_CHILD in
  /// either; the legacy FAN_MARK_IGNORED_MASK drops the event flags from what it records, so only
  /// FAN_MARK_IGNORE's ignore mask can (measured on 6.18: a legacy ignore-only directory mark
  /// leaves its children's fds out of HSM mode).
  func interestCovers(_ m: Mark, file: Int) -> Bool {
    if case .directory = m.object {
      return m.mask.union(m.ignoreFlagsAPI ? m.ignore : []).contains(.FAN_EVENT_ON_CHILD)
    }
    return covers(m, file: file)
  }

  /// `fsnotify_open_perm_and_set_mode()` (6.17+, §2.3): the notify mode of a new file and the
  /// permission events marked on it.
  public func openTimeMode(file: Int, in s: KernelState) -> (NotifyMode, EventMask) {
    // Fast path: no object on the sb watched by a group of priority >= CONTENT.
    guard s.marks.contains(where: { config.groups[$0.group].groupClass >= .content }) else {
      return (.noPerm, [])
    }
    // fsnotify_file_object_watched: an object's interest mask (fsnotify_calc_mask) includes
    // the ignore mask of its marks, so an ignore mark alone makes the file HSM.
    var mask: EventMask = []
    for m in s.marks where interestCovers(m, file: file) {
      mask.formUnion(m.mask.union(m.ignore).intersection(.permissionEvents))
    }
    if mask.contains(.FAN_ACCESS_PERM) { return (.allPerm, mask) }
    if mask.contains(.FAN_PRE_ACCESS) && !config.files[file].directory { return (.hsm, mask) }
    return (.noPerm, mask)
  }

  /// Whether mark `m` covers events on `file`: inode marks on it, the directory's mark only with
  /// FAN_EVENT_ON_CHILD, mount and filesystem marks always.
  func covers(_ m: Mark, file: Int) -> Bool {
    switch m.object {
    case .inode(let f): return f == file
    case .directory: return m.mask.contains(.FAN_EVENT_ON_CHILD)
    case .mount, .filesystem: return true
    }
  }

  /// Whether an event with `mask` on `file` reaches mark `m`: it covers the file, has the event,
  /// and, for a directory, has FAN_ONDIR (fsnotify tags directory events FS_ISDIR, §3.8).
  func delivers(_ m: Mark, file: Int, mask: EventMask) -> Bool {
    guard covers(m, file: file), m.mask.contains(mask) else { return false }
    return !config.files[file].directory || !config.profile.ondirFilter
      || m.mask.contains(.FAN_ONDIR)
  }

  /// Whether mark `m`'s ignore mask applies to events on `file`: an inode mark on it, a mount or
  /// filesystem mark, or the directory's mark when it watches children (`fsnotify_ignore_mask`):
  /// with FAN_MARK_IGNORE, FAN_EVENT_ON_CHILD in the ignore mask; with the legacy
  /// FAN_MARK_IGNORED_MASK, in the mark's own mask (measured on 6.18: a legacy ignore-only
  /// directory mark ignores nothing of its children).
  func ignoreCovers(_ m: Mark, file: Int) -> Bool {
    switch m.object {
    case .inode(let f): return f == file
    case .directory:
      return (m.ignoreFlagsAPI ? m.ignore : m.mask).contains(.FAN_EVENT_ON_CHILD)
    case .mount, .filesystem: return true
    }
  }

  /// Whether group `g` gets an event with `mask` on `file` (`send_to_group`): some mark of it
  /// delivers the event, and no mark of it covering the file ignores it. An FS_MODIFY event
  /// (`modifies`) first clears the ignore masks that do not survive modification.
  func watches(
    group g: Int, file: Int, mask: EventMask, modifies: Bool = false, in s: KernelState
  ) -> Bool {
    s.marks.contains { $0.group == g && delivers($0, file: file, mask: mask) }
      && !s.marks.contains {
        $0.group == g && $0.ignore.contains(mask) && ignoreCovers($0, file: file)
          && !(modifies && !$0.ignoreSurvivesModify)
      }
  }

  /// Whether the superblock accepts pre-content marks (`SB_I_ALLOW_HSM`, or v2's per-fs opt-in).
  var hsmFilesystem: Bool {
    config.filesystem.allowsHSM || (config.filesystem.v2Only && config.profile.fsFaultHooks)
  }

  /// What `fanotify_mark` does with a request.
  public enum MarkOutcome: Hashable, Sendable {
    /// The mark is added to or removed from.
    case apply
    /// Returns 0 without adding anything: an ignore mask that does not survive modification, on
    /// an inode open for write.
    case skip
    case fail(Errno)
  }

  /// `do_fanotify_mark`'s checks for request `req` with `flags`, in the kernel's order (read in
  /// 6.18's fs/notify/fanotify/fanotify_user.c; §1.5).
  public func markOutcome(_ req: Mark, flags: MarkFlags, in s: KernelState) -> MarkOutcome {
    let ignore = flags.ignoreBits
    if ignore == [.FAN_MARK_IGNORE, .FAN_MARK_IGNORED_MASK] { return .fail(.EINVAL) }
    var mask = req.mask
    // FAN_ONDIR and FAN_EVENT_ON_CHILD have no effect in a legacy ignored mask.
    if ignore == .FAN_MARK_IGNORED_MASK { mask.subtract([.FAN_ONDIR, .FAN_EVENT_ON_CHILD]) }
    if mask.isEmpty { return .fail(.EINVAL) }
    let groupClass = config.groups[req.group].groupClass
    if !mask.isDisjoint(with: .permissionEvents) && groupClass == .notif { return .fail(.EINVAL) }
    if mask.contains(.FAN_PRE_ACCESS) && groupClass == .content { return .fail(.EINVAL) }
    if mask.contains(.FAN_PRE_ACCESS) && mask.contains(.FAN_ONDIR) { return .fail(.EINVAL) }
    let existing = s.marks.firstIndex { $0.group == req.group && $0.object == req.object }
    if flags.contains(.FAN_MARK_REMOVE) { return existing == nil ? .fail(.ENOENT) : .apply }
    // fanotify_events_supported.
    let file = req.object.file
    let isDirectory = req.object == .directory || file.map { config.files[$0].directory } == true
    if mask.contains(.FAN_PRE_ACCESS) {
      if !hsmFilesystem { return .fail(.EOPNOTSUPP) }
      // An inode mark on something neither a directory nor a regular file (a FIFO, a device).
      if let f = file, config.files[f].pseudo { return .fail(.EINVAL) }
    }
    if flags.contains(.FAN_MARK_IGNORE), file != nil, !isDirectory,
      !mask.isDisjoint(with: [.FAN_ONDIR, .FAN_EVENT_ON_CHILD])
    {
      return .fail(.ENOTDIR)
    }
    if !ignore.isEmpty && !flags.contains(.FAN_MARK_IGNORED_SURV_MODIFY) {
      // FAN_MARK_IGNORE needs SURV_MODIFY on mount, filesystem and directory marks.
      if ignore == .FAN_MARK_IGNORE && (file == nil || isDirectory) {
        return .fail(file == nil && req.object != .directory ? .EINVAL : .EISDIR)
      }
      if let f = file, s.inodes[f].writers > 0 { return .skip }
    }
    // fanotify_may_update_existing_mark.
    if let i = existing {
      let m = s.marks[i]
      if flags.contains(.FAN_MARK_IGNORED_MASK) && m.ignoreFlagsAPI { return .fail(.EEXIST) }
      if flags.contains(.FAN_MARK_IGNORE) && !flags.contains(.FAN_MARK_IGNORED_SURV_MODIFY)
        && m.ignoreSurvivesModify
      {
        return .fail(.EEXIST)
      }
      let union = m.mask.union(mask)
      if union.contains(.FAN_PRE_ACCESS) && union.contains(.FAN_ONDIR) { return .fail(.EEXIST) }
    }
    return .apply
  }

  /// The errno `fanotify_mark(FAN_MARK_ADD)` gives for adding `mark`, or nil when it succeeds.
  public func markError(_ mark: Mark, in s: KernelState) -> Errno? {
    if case .fail(let e) = markOutcome(mark, flags: [], in: s) { return e }
    return nil
  }
}
