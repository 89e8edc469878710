import Exploration

/// The steps of paths: when they are enabled, what they touch, what they do.
extension KernelSystem {
  func isEnabled(_ step: PathStep, task t: Int, in s: KernelState) -> Bool {
    switch step {
    case .awaitResponse:
      if s.tasks[t].signalled { return true }  // TASK_KILLABLE
      guard case .answered = s.tasks[t].pending?.status else { return false }
      return true
    case .lock(let lock, let exclusive):
      switch lock {
      case .i_rwsem(let f): return s.inodes[f].iRwsem.isAvailable(exclusive: exclusive)
      case .invalidate_lock(let f):
        return s.inodes[f].invalidateLock.isAvailable(exclusive: exclusive)
      case .sb_writers: return s.sb.freeze == .unfrozen
      case .folio_lock, .daemon_mutex: return holder(of: lock, blocking: t, in: s) == nil
      case .f_pos_lock, .mmap_lock, .cred_guard_mutex, .fs_fault_lock: return true
      }
    case .writeFolio(let f, let p):
      // write_begin locks the folio (and unlocks it in write_end) within the step.
      return folioLockHolder(.folio_lock(file: f, page: p), except: t, in: s) == nil
    case .freezeSuper: return s.sb.freeze == .unfrozen
    case .freezeWait: return s.sb.writers.isEmpty
    case .handOff: return idleHelper(of: t, in: s) != nil
    default: return true
    }
  }

  func lockObject(_ lock: KernelLock) -> ObjectSet {
    switch lock {
    case .i_rwsem(let f): return ObjectSet(objects.iRwsem(file: f))
    case .invalidate_lock(let f): return ObjectSet(objects.invalidateLock(file: f))
    case .sb_writers: return ObjectSet(objects.superblock)
    case .folio_lock(let f, let p): return ObjectSet(objects.page(file: f, p))
    case .daemon_mutex(let g, _): return ObjectSet(objects.group(g))
    case .f_pos_lock, .mmap_lock, .cred_guard_mutex, .fs_fault_lock: return ObjectSet()
    }
  }

  /// The task other than `t` holding a folio lock (the model keeps no other record of them).
  public func folioLockHolder(_ lock: KernelLock, except t: Int, in s: KernelState) -> Int? {
    s.tasks.indices.first { $0 != t && s.tasks[$0].held.contains(lock) }
  }

  /// The task that task `t` waits for to take folio lock or daemon mutex `lock`, if any: another
  /// task holding the folio lock, or any thread holding the mutex, `t` itself included:
  /// `pthread_mutex_lock` of a default (PTHREAD_MUTEX_NORMAL) mutex the thread already holds
  /// waits forever, as glibc's does, so a program that locks without unlocking deadlocks on its
  /// next event.
  public func holder(of lock: KernelLock, blocking t: Int, in s: KernelState) -> Int? {
    lock.isUserSpace
      ? s.tasks.indices.first { s.tasks[$0].held.contains(lock) }
      : folioLockHolder(lock, except: t, in: s)
  }

  /// Page `p` of file `f`, or nothing past the file's last page (a fault there is SIGBUS).
  func pageObject(_ f: Int, _ p: Int) -> ObjectSet {
    p < config.files[f].pageCapacity ? ObjectSet(objects.page(file: f, p)) : ObjectSet()
  }

  func allPages(_ f: Int) -> ObjectSet {
    objects.pages(file: f, 0..<config.files[f].pageCapacity)
  }

  func footprint(of step: PathStep, task t: Int, in s: KernelState) -> Footprint {
    switch step {
    case .notify(let n):
      var writes = ObjectSet(objects.event(ofTask: t))
      if let next = nextInterestedGroup(n, in: s) { writes.insert(objects.group(next.group)) }
      return Footprint(reading: ObjectSet(objects.marks), writing: writes)
    case .notice(let mask, let f, _):
      var groups = ObjectSet()
      for g in noticeGroups(mask, file: f, in: s) { groups.insert(objects.group(g.group)) }
      // FAN_MODIFY may clear ignore masks: it writes the marks.
      return mask.contains(.FAN_MODIFY)
        ? Footprint(writing: ObjectSet(objects.marks) + groups)
        : Footprint(reading: ObjectSet(objects.marks), writing: groups)
    case .inodeModified:
      return Footprint(writing: ObjectSet(objects.marks))
    case .awaitResponse:
      var writes = ObjectSet(objects.event(ofTask: t))
      if let g = s.tasks[t].pending?.group { writes.insert(objects.group(g)) }
      return Footprint(reading: ObjectSet(objects.marks), writing: writes)
    case .lock(let lock, _), .unlock(let lock):
      return Footprint(writing: lockObject(lock))
    case .freezeSuper, .freezeWait, .thawSuper:
      return Footprint(writing: ObjectSet(objects.superblock))
    case .filemapRead(let f, let p):
      // Reading the folio in may read the next page ahead (page_cache_sync_ra).
      return Footprint(
        reading: ObjectSet(objects.marks, objects.size(file: f)),
        writing: ObjectSet(objects.page(file: f, p)) + pageObject(f, p + 1))
    case .writeChecks:
      let f = s.tasks[t].fds[s.tasks[t].io!.slot]!.file
      return Footprint(reading: ObjectSet(objects.marks, objects.size(file: f)))
    case .writeFolio(let f, let p):
      return Footprint(writing: ObjectSet(objects.page(file: f, p), objects.size(file: f)))
    case .setSize(let f, _), .extendSize(let f, _), .shiftRange(let f, _, _, _):
      return Footprint(
        reading: ObjectSet(objects.marks), writing: ObjectSet(objects.size(file: f)) + allPages(f))
    case .punchHole(let f, let start, let end):
      return Footprint(
        reading: ObjectSet(objects.size(file: f)),
        writing: objects.pages(file: f, pageRange(start..<end, file: f)))
    case .spliceWrite(let outSlot, _):
      let f = s.tasks[t].fds[outSlot]!.file
      return Footprint(writing: ObjectSet(objects.size(file: f)) + allPages(f))
    case .remapRange(let inSlot, _, let outSlot, _, _, _):
      let (src, dst) = (s.tasks[t].fds[inSlot]!.file, s.tasks[t].fds[outSlot]!.file)
      return Footprint(
        reading: ObjectSet(objects.marks, objects.size(file: src)) + allPages(src),
        writing: ObjectSet(objects.size(file: dst)) + allPages(dst))
    case .mremapVma:
      return Footprint()
    case .mmapRegion:
      return Footprint(reading: ObjectSet(objects.marks))
    case .doDentryOpen(let file, _, _), .openExec(let file):
      return Footprint(reading: ObjectSet(objects.marks, objects.size(file: file)))
    case .denyWriteAccess(let file, _):
      return Footprint(writing: ObjectSet(objects.size(file: file)))
    case .execMap(let f, let offset, let length):
      return Footprint(
        reading: ObjectSet(objects.size(file: f))
          + objects.pages(file: f, pageRange(offset..<(offset + length), file: f)))
    case .installFd(_, let file):
      return file.flags.canWrite
        ? Footprint(writing: ObjectSet(objects.size(file: file.file))) : Footprint()
    case .closeEventFd:
      // A pool's threads share one fd table: the number freed is the next one create_fd hands.
      let g = listenerGroup(ofTask: t)!
      let shared = config.groups[g].threads + config.groups[g].helpers > 1
      return shared ? Footprint(writing: ObjectSet(objects.group(g))) : Footprint()
    case .doReadFault(let map, let q, _, _):
      let m = s.tasks[t].maps[map]!
      let p = filePage(m, q)
      let span = m.huge ? Self.pmdPages : 2
      let start = m.huge ? filePage(m, q / span * span) : p
      let end = min(start + span, config.files[m.file].pageCapacity)
      return Footprint(
        reading: ObjectSet(objects.size(file: m.file)),
        writing: objects.pages(file: m.file, start..<max(start, end)))
    case .hugeFault(let map, let q, _, _, _):
      let m = s.tasks[t].maps[map]!
      let start = filePage(m, q / Self.pmdPages * Self.pmdPages)
      let end = min(start + Self.pmdPages, config.files[m.file].pageCapacity)
      return Footprint(
        reading: ObjectSet(objects.size(file: m.file)),
        writing: objects.pages(file: m.file, start..<max(start, end)))
    case .doWriteFault(let map, let q, _), .pageMkwrite(let map, let q), .wpHugePmd(let map, let q),
      .daxPteFault(let map, let q):
      let m = s.tasks[t].maps[map]!
      return Footprint(
        reading: ObjectSet(objects.size(file: m.file)), writing: pageObject(m.file, filePage(m, q)))
    case .userRead(let map, let q), .faultIn(let map, let q):
      let m = s.tasks[t].maps[map]!
      return Footprint(reading: pageObject(m.file, filePage(m, q)))
    case .forceReadahead(let f, let first, let end, _):
      return Footprint(writing: objects.pages(file: f, first..<max(first, end)))
    case .respond:
      let g = listenerGroup(ofTask: t)!
      var writes = ObjectSet(objects.group(g))
      if let h = s.tasks[t].handling, let e = s.groups[g].accessList.first(where: { $0.fd == h.fd })
      {
        writes.insert(objects.event(ofTask: e.waiter))
      }
      return Footprint(writing: writes)
    case .handOff:
      return Footprint(writing: ObjectSet(objects.group(listenerGroup(ofTask: t)!)))
    case .closeGroup:
      // fanotify_release answers the waiters on the queue and the access list.
      let g = listenerGroup(ofTask: t)!
      var writes = ObjectSet(objects.marks, objects.group(g))
      for case .permission(let w) in s.groups[g].queue { writes.insert(objects.event(ofTask: w)) }
      for e in s.groups[g].accessList { writes.insert(objects.event(ofTask: e.waiter)) }
      return Footprint(writing: writes)
    case .ret, .retTransferred, .sizeBound:
      // Returning reads the task's pending signal (its event object).
      var writes = ObjectSet()
      for lock in s.tasks[t].held where !lock.isUserSpace { writes = writes + lockObject(lock) }
      return Footprint(reading: ObjectSet(objects.event(ofTask: t)), writing: writes)
    }
  }

  /// Performs `step` for task `t` (already removed from the front of its path).
  func perform(_ step: PathStep, task t: Int, in s: inout KernelState) {
    switch step {
    case .notify(let n):
      queue(n, task: t, in: &s)
    case .awaitResponse(let n):
      wake(n, task: t, in: &s)
    case .notice(let mask, let f, let ifTransferred):
      if ifTransferred && (s.tasks[t].io?.done ?? 0) == 0 { return }
      queueNotice(mask, file: f, task: t, in: &s)
    case .inodeModified(let f):
      queueNotice(.FAN_MODIFY, file: f, task: t, inodeOnly: true, in: &s)
    case .lock(let lock, let exclusive):
      switch lock {
      case .i_rwsem(let f): s.inodes[f].iRwsem.acquire(t, exclusive: exclusive)
      case .invalidate_lock(let f): s.inodes[f].invalidateLock.acquire(t, exclusive: exclusive)
      case .sb_writers: s.sb.writers.insertSorted(t)
      case .f_pos_lock, .mmap_lock, .cred_guard_mutex, .fs_fault_lock, .folio_lock, .daemon_mutex:
        break
      }
      s.tasks[t].held.append(lock)
    case .unlock(let lock):
      release(lock, task: t, in: &s)
    case .freezeSuper:
      s.sb.freeze = .freezing(by: t)
    case .freezeWait:
      s.sb.freeze = .frozen(by: t)
    case .thawSuper:
      s.sb.freeze = .unfrozen
    case .filemapRead(let f, let p):
      filemapRead(file: f, page: p, task: t, in: &s)
    case .writeChecks:
      writeChecks(task: t, in: &s)
    case .writeFolio(let f, let p):
      writeFolio(file: f, page: p, task: t, in: &s)
    case .setSize(let f, let size):
      // truncate_setsize: i_size, then truncate_pagecache drops the folios past it and zeroes the
      // tail of a partial last page (its bytes past i_size no longer exist).
      checkCoverage(task: t, file: f, in: &s)
      let keep = (size + Fanotify.pageSize - 1) / Fanotify.pageSize
      dropPages(file: f, keep..<config.files[f].pageCapacity, in: &s)
      s.inodes[f].content.resize(to: size)
    case .extendSize(let f, let size):
      checkCoverage(task: t, file: f, in: &s)
      s.inodes[f].content.resize(to: max(s.inodes[f].size, size))
    case .punchHole(let f, let start, let end):
      s.inodes[f].content.set(start..<end, to: .hole)
      let page = Fanotify.pageSize
      let first = (start + page - 1) / page
      dropPages(file: f, first..<max(first, min(end / page, config.files[f].pageCapacity)), in: &s)
    case .shiftRange(let f, let offset, let length, let insert):
      // ext4_collapse_range / ext4_insert_range check i_size under inode_lock: a collapse must
      // end before EOF, an insert start inside the file (EINVAL); an insert growing the file
      // past the scenario's max stops at the bound.
      let size = s.inodes[f].size
      guard insert ? offset < size : offset + length < size else {
        failUnderLocks(.EINVAL, task: t, in: &s)
        return
      }
      if insert && size + length > config.files[f].maxSize {
        s.tasks[t].path = [.sizeBound(file: f)]
        return
      }
      checkCoverage(task: t, file: f, in: &s)
      if insert {
        s.inodes[f].content.insertHole(at: offset, length: length)
      } else {
        s.inodes[f].content.collapse(offset..<(offset + length))
      }
      dropPages(file: f, (offset / Fanotify.pageSize)..<config.files[f].pageCapacity, in: &s)
    case .sizeBound:
      for lock in s.tasks[t].held.reversed() { release(lock, task: t, in: &s) }
      s.tasks[t].path = []
      s.tasks[t].stoppedAtBound = true
      s.history.sizeBound = true
    case .doReadFault(let map, let q, let tried, let flags):
      doReadFault(map: map, page: q, tried: tried, flags: flags, task: t, in: &s)
    case .hugeFault(let map, let q, let order, let tried, let flags):
      hugeFault(map: map, page: q, order: order, tried: tried, flags: flags, task: t, in: &s)
    case .doWriteFault(let map, let q, let tried):
      doWriteFault(map: map, page: q, tried: tried, task: t, in: &s)
    case .wpHugePmd(let map, let q):
      wpHugePmd(map: map, page: q, task: t, in: &s)
    case .pageMkwrite(let map, let q):
      let m = s.tasks[t].maps[map]!
      let p = filePage(m, q)
      if xfsMkwriteHookFails(m) {
        // The user store's fault allowed retry; do_page_mkwrite's flags do not (see the helper).
        faultFails(flags: .allowRetry, task: t, in: &s)
        return
      }
      writeStoredByte(m, page: p, task: t, in: &s)
      s.inodes[m.file].cached[p] = true
    case .daxPteFault(let map, let q):
      daxPteFault(map: map, page: q, task: t, in: &s)
    case .userRead(let map, let q):
      let m = s.tasks[t].maps[map]!
      let p = filePage(m, q)
      let page = Fanotify.pageSize
      observeRead(
        task: t, file: m.file,
        bytes: p * page..<max(p * page, min((p + 1) * page, s.inodes[m.file].size)),
        in: &s)
      // The PTE exposes the whole page: any stub byte of it below EOF reaches user space.
      if hasStub(m.file, page: p, in: s) {
        if m.hsm && !s.tasks[t].implicitAllow {
          s.history.unnotifiedRead = true
        } else {
          s.history.gapRead = true
        }
      }
    case .faultIn(let map, let q):
      if !s.tasks[t].maps[map]!.hasPTE(q) {
        s.tasks[t].faultEventAllowed = false
        s.tasks[t].path =
          [
            .lock(.mmap_lock, exclusive: false), .doReadFault(map: map, page: q, tried: false),
            .unlock(.mmap_lock),
          ] + s.tasks[t].path
      }
    case .forceReadahead(let f, let first, let end, let hsm):
      // page_cache_ra_unbounded stops at EOF.
      for p in first..<max(first, min(end, pagesBelowEOF(f, in: s))) where !s.inodes[f].cached[p] {
        s.inodes[f].cached[p] = true
        if hsm && hasStub(f, page: p, in: s) && config.profile.faultHook != .none {
          s.history.unnotifiedFault = true  // a stub folio made uptodate (B7)
        }
      }
    case .spliceWrite(let outSlot, let outPos):
      let f = s.tasks[t].fds[outSlot]!.file
      let done = s.tasks[t].io!.done
      if done > 0 {
        guard outPos + done <= config.files[f].maxSize else {
          s.tasks[t].path = [.sizeBound(file: f)]
          return
        }
        if outPos + done > s.inodes[f].size { s.inodes[f].content.resize(to: outPos + done) }
        s.inodes[f].content.set(outPos..<(outPos + done), to: .written)
        for p in (outPos / Fanotify.pageSize)...((outPos + done - 1) / Fanotify.pageSize) {
          s.inodes[f].cached[p] = true
        }
        // do_sendfile moves the output's file position; copy_file_range, given its offsets,
        // moves no position (measured on 6.18).
        var copy = false
        if t < appTaskCount, case .copyFileRange = config.tasks[t].program[s.tasks[t].pc].syscall {
          copy = true
        }
        if !copy { s.tasks[t].fds[outSlot]!.pos = outPos + done }
      }
    case .remapRange(let inSlot, let inPos, let outSlot, let outPos, let length, let dedupe):
      remapRange(
        inSlot: inSlot, inPos: inPos, outSlot: outSlot, outPos: outPos, length: length,
        dedupe: dedupe, task: t, in: &s)
    case .mremapVma(let map, let length):
      var m = s.tasks[t].maps[map]!
      if length < m.length {
        // The tail is unmapped.
        for q in (length / Fanotify.pageSize)..<min(64, m.length / Fanotify.pageSize) {
          m.ptes &= ~(1 << UInt64(q))
          m.pmds &= ~(1 << UInt64(q / Self.pmdPages))
        }
      }
      m.length = length
      s.tasks[t].maps[map] = m
    case .doDentryOpen(let file, let flags, let slot):
      // get_write_access comes before the open-time events: a running image refuses writers.
      if flags.canWrite && s.inodes[file].execDenials > 0 {
        s.tasks[t].path = [.ret(.error(.ETXTBSY))]
        return
      }
      if config.files[file].pseudo {
        // No fsnotify_open_perm_and_set_mode: the mode stays what the struct file started with.
        let mode: NotifyMode = config.profile.zeroFmodeHSM ? .allPerm : .none
        if mode != .none && mode != .noPerm { s.history.defaultModeHSM = true }
        s.tasks[t].path =
          openRest(file: file, flags: flags, slot: slot, mode: mode, mask: []) + s.tasks[t].path
        return
      }
      let (mode, mask) = openTimeMode(file: file, in: s)
      s.tasks[t].path =
        openRest(file: file, flags: flags, slot: slot, mode: mode, mask: mask) + s.tasks[t].path
    case .openExec(let file):
      let (mode, mask) = openTimeMode(file: file, in: s)
      s.tasks[t].path = StepList(
        execRest(file: file, mode: mode, mask: mask, size: s.inodes[file].size))
    case .execMap(let f, let offset, let length):
      // The new image maps these bytes: a stub the HSM did not fill is visible to user space.
      let end = min(offset + length, s.inodes[f].size)
      observeRead(task: t, file: f, bytes: offset..<max(offset, end), in: &s)
      if s.inodes[f].content.contains(.remote, in: offset..<(offset + length)) {
        if s.tasks[t].implicitAllow {
          s.history.gapRead = true
        } else {
          s.history.unnotifiedRead = true
        }
      }
    case .denyWriteAccess(let file, let mode):
      // exe_file_deny_write_access skips HSM-mode binaries (6.14+).
      guard !(mode.preContent && config.profile.execHSMExemption) else { return }
      // I10: an HSM binary's i_writecount is touched.
      if mode.preContent { s.history.execWriteDeny = true }
      if s.inodes[file].writers > 0 {
        // do_close_execat's fput closes the opened binary: FAN_CLOSE_NOWRITE.
        s.tasks[t].path = StepList(
          notices(.FAN_CLOSE_NOWRITE, file: file) + [.ret(.error(.ETXTBSY))])
        return
      }
      s.inodes[file].execDenials += 1
    case .installFd(let slot, let file):
      if file.flags.canWrite { s.inodes[file.file].writers += 1 }
      s.tasks[t].fds[slot] = file
    case .mmapRegion(let slot, let offset, let length, let map):
      let ofd = s.tasks[t].fds[slot]!
      checkCoverage(task: t, file: ofd.file, in: &s)
      var mapping = Mapping(
        file: ofd.file, offset: offset, length: length,
        notified: ofd.mode.preContent && !s.tasks[t].implicitAllow)
      mapping.mode = ofd.mode
      mapping.writable = ofd.flags.canWrite
      mapping.fdSlot = slot
      s.tasks[t].maps[map] = mapping
    case .respond(let word):
      respond(word, task: t, in: &s)
    case .closeEventFd:
      let fd = s.tasks[t].handling!.fd
      s.tasks[t].eventFds.removeAll { $0.number == fd }
      s.tasks[t].fds[Self.listenerEventSlot] = nil
    case .closeGroup:
      closeGroup(listenerGroup(ofTask: t)!, in: &s)
    case .handOff:
      handOff(task: t, in: &s)
    case .ret(let r):
      returnToUser(r, task: t, in: &s)
    case .retTransferred:
      returnToUser(.value(s.tasks[t].io?.done ?? 0), task: t, in: &s)
    }
  }

  func release(_ lock: KernelLock, task t: Int, in s: inout KernelState) {
    switch lock {
    case .i_rwsem(let f): s.inodes[f].iRwsem.release(t)
    case .invalidate_lock(let f): s.inodes[f].invalidateLock.release(t)
    case .sb_writers:
      if let i = s.sb.writers.firstIndex(of: t) { s.sb.writers.remove(at: i) }
    case .f_pos_lock, .mmap_lock, .cred_guard_mutex, .fs_fault_lock, .folio_lock, .daemon_mutex:
      break
    }
    if let i = s.tasks[t].held.lastIndex(of: lock) { s.tasks[t].held.remove(at: i) }
  }

  /// Return to user space: release what is still held (`fdput_pos`, error unwinding), advance
  /// the file position, check the scenario's expected result.
  func returnToUser(_ r: SyscallResult, task t: Int, in s: inout KernelState) {
    // A daemon's own mutexes are user-space locks: they outlive the syscall.
    for lock in s.tasks[t].held.reversed() where !lock.isUserSpace {
      release(lock, task: t, in: &s)
    }
    if let io = s.tasks[t].io, io.usesFilePosition, case .value(let n) = r,
      s.tasks[t].fds[io.slot] != nil
    {
      s.tasks[t].fds[io.slot]!.pos = io.pos + n
    }
    s.tasks[t].io = nil
    s.tasks[t].path = []
    if t < appTaskCount {
      observeReturn(r, task: t, instruction: s.tasks[t].pc, in: &s)
      let instruction = config.tasks[t].program[s.tasks[t].pc]
      if let expected = instruction.expected, !expected.matches(r) {
        s.history.resultMismatch = true
      }
      s.tasks[t].pc += 1
    }
    if s.tasks[t].signalled { die(task: t, in: &s) }
  }

  /// The task exits on a fatal signal: its locks are released, its path dropped.
  func die(task t: Int, in s: inout KernelState) {
    for lock in s.tasks[t].held.reversed() { release(lock, task: t, in: &s) }
    s.tasks[t].path = []
    s.tasks[t].killed = true
  }

  /// `filemap_read()` for one page: read the folio in if needed, copy it, end at EOF.
  func filemapRead(file f: Int, page p: Int, task t: Int, in s: inout KernelState) {
    checkCoverage(task: t, file: f, in: &s)
    let io = s.tasks[t].io!
    let size = s.inodes[f].size
    let page = Fanotify.pageSize
    let lo = max(io.pos, p * page)
    let hi = min(io.pos + io.count, (p + 1) * page, size)
    guard lo < hi else {
      s.tasks[t].path.removeAll { if case .filemapRead = $0 { return true } else { return false } }
      return
    }
    if !s.inodes[f].cached[p] {
      s.inodes[f].cached[p] = true
      // page_cache_sync_ra: the next page is read ahead too (up to EOF), unless suppressed for
      // HSM files.
      let hsm = s.tasks[t].fds[io.slot]?.mode.preContent ?? false
      let next = p + 1
      if (!hsm || config.profile.syncReadahead) && next < pagesBelowEOF(f, in: s)
        && !s.inodes[f].cached[next]
      {
        s.inodes[f].cached[next] = true
        if hsm && config.profile.faultHook != .none && hasStub(f, page: next, in: s) {
          s.history.unnotifiedFault = true  // a stub folio made uptodate by readahead (B5)
        }
      }
    }
    // copy_folio_to_iter copies exactly the bytes [lo, hi): any stub byte among them is seen.
    observeRead(task: t, file: f, bytes: lo..<max(lo, hi), in: &s)
    if s.inodes[f].content.contains(.remote, in: lo..<hi) {
      let hsm = s.tasks[t].fds[io.slot]?.mode.preContent ?? false
      if hsm && !s.tasks[t].implicitAllow {
        s.history.unnotifiedRead = true
      } else {
        s.history.gapRead = true
      }
    }
    s.tasks[t].io!.done += hi - lo
  }

  /// `generic_write_checks()`: O_APPEND writes at `i_size`; lay out one step per page. A write
  /// that would grow the file past the scenario's `max` stops at the bound.
  func writeChecks(task t: Int, in s: inout KernelState) {
    let io = s.tasks[t].io!
    let ofd = s.tasks[t].fds[io.slot]!
    checkCoverage(task: t, file: ofd.file, in: &s)
    var pos = io.pos
    if ofd.flags.contains(.O_APPEND) && t < appTaskCount { pos = s.inodes[ofd.file].size }
    s.tasks[t].io!.pos = pos
    var count = io.count
    if ofd.isEventFd {
      // A listener fills within its source only: the file's initial size.
      count = max(0, min(count, config.files[ofd.file].size - pos))
      s.tasks[t].io!.count = count
    }
    guard count > 0 else { return }
    let page = Fanotify.pageSize
    guard pos + count <= config.files[ofd.file].maxSize else {
      s.tasks[t].path = [.sizeBound(file: ofd.file)]
      return
    }
    let pages = (pos / page)...((pos + count - 1) / page)
    var steps: [PathStep] = pages.map { .writeFolio(file: ofd.file, page: $0) }
    if let map = io.sourceMap {
      // The copy from the user buffer faults its page in, with sb_writers and i_rwsem held (B1).
      steps.insert(.faultIn(map: map, page: io.sourcePage), at: 0)
    }
    s.tasks[t].path = steps + s.tasks[t].path
  }

  /// `generic_perform_write()` for one page: bytes `[lo, hi)` of it. `write_begin` reads a folio
  /// that the write does not cover whole, so afterwards the page is an uptodate folio either way,
  /// holding its old bytes around the new ones. A listener's write through its event fd puts the
  /// source content into the bytes that are still stubs (an HSM that knows what it has filled);
  /// an application's write replaces the bytes and may extend `i_size`.
  func writeFolio(file f: Int, page p: Int, task t: Int, in s: inout KernelState) {
    let io = s.tasks[t].io!
    let page = Fanotify.pageSize
    let lo = max(io.pos, p * page)
    let hi = min(io.pos + io.count, (p + 1) * page)
    if s.tasks[t].fds[io.slot]?.isEventFd == true {
      if s.inodes[f].content.contains(.remote, in: lo..<hi) {
        s.inodes[f].content.replace(.remote, with: .filled, in: lo..<hi)
        s.inodes[f].cached[p] = true
      }
    } else {
      if hi > s.inodes[f].size { s.inodes[f].content.resize(to: hi) }
      s.inodes[f].content.set(lo..<hi, to: .written)
      s.inodes[f].cached[p] = true
    }
    s.tasks[t].io!.done += hi - lo
  }

  /// `generic_remap_file_range_prep` then the remap (fs/remap_range.c, read in 6.18): length 0
  /// means to the source's EOF; the source range must start inside it and is shortened to it;
  /// offsets must be block aligned and the length too unless the range ends at the source's EOF
  /// (EINVAL); a dedupe must start inside the destination. A clone makes the destination share
  /// the source's bytes (its stubs are holes on disk: stub content leaves the file, which I2
  /// judges like a read through the source fd) and drops the destination's cached pages; a
  /// dedupe shares only identical bytes and changes nothing visible.
  func remapRange(
    inSlot: Int, inPos: Int, outSlot: Int, outPos: Int, length: Int, dedupe: Bool, task t: Int,
    in s: inout KernelState
  ) {
    let inFile = s.tasks[t].fds[inSlot]!
    let (src, dst) = (inFile.file, s.tasks[t].fds[outSlot]!.file)
    let (srcSize, dstSize) = (s.inodes[src].size, s.inodes[dst].size)
    let page = Fanotify.pageSize
    var len = length == 0 ? srcSize - inPos : min(length, srcSize - inPos)
    if dedupe { len = min(len, dstSize - outPos) }
    let toEOF = inPos + len == srcSize
    let overlaps = src == dst && inPos < outPos + len && outPos < inPos + len
    guard inPos < srcSize, !dedupe || outPos < dstSize, inPos % page == 0, outPos % page == 0,
      len % page == 0 || toEOF, !overlaps
    else {
      failUnderLocks(.EINVAL, task: t, in: &s)
      return
    }
    s.tasks[t].io!.done = len
    if dedupe { return }
    guard outPos + len <= config.files[dst].maxSize else {
      s.tasks[t].path = [.sizeBound(file: dst)]
      return
    }
    checkCoverage(task: t, file: src, in: &s)
    let bytes = inPos..<(inPos + len)
    observeRead(task: t, file: src, bytes: bytes, in: &s)
    if s.inodes[src].content.contains(.remote, in: bytes) {
      if inFile.mode.preContent && !s.tasks[t].implicitAllow {
        s.history.unnotifiedRead = true
      } else {
        s.history.gapRead = true
      }
    }
    let runs = s.inodes[src].content.runs(in: bytes)
    if outPos + len > dstSize { s.inodes[dst].content.resize(to: outPos + len) }
    for part in runs {
      let shift = outPos - inPos
      s.inodes[dst].content.set(
        (part.range.lowerBound + shift)..<(part.range.upperBound + shift), to: part.content)
    }
    dropPages(file: dst, pageRange(outPos..<(outPos + len), file: dst), in: &s)
  }

  /// A check under the inode's locks failed: the syscall releases them and returns `e`.
  func failUnderLocks(_ e: Errno, task t: Int, in s: inout KernelState) {
    s.tasks[t].path = StepList(
      s.tasks[t].path.filter { if case .unlock = $0 { true } else { false } } + [.ret(.error(e))])
  }

  /// `truncate_inode_pages_range` and `unmap_mapping_range`: `pages` of file `f` leave the page
  /// cache and every mapping.
  func dropPages(file f: Int, _ pages: Range<Int>, in s: inout KernelState) {
    for p in pages { s.inodes[f].cached[p] = false }
    unmap(file: f, pages: pages, in: &s)
  }

  /// Removes the PTEs of `pages` of file `f` from every mapping (truncate_pagecache unmaps).
  func unmap(file f: Int, pages: Range<Int>, in s: inout KernelState) {
    for t in s.tasks.indices {
      for (i, m) in s.tasks[t].maps.enumerated() where m?.file == f {
        var mapping = m!
        for q in 0..<64 where pages.contains(filePage(mapping, q)) {
          mapping.ptes &= ~(1 << UInt64(q))
          mapping.pmds &= ~(1 << UInt64(q / Self.pmdPages))
        }
        s.tasks[t].maps[i] = mapping
      }
    }
  }

  /// `do_read_fault`: `do_fault_around` maps already-uptodate folios without ->fault (B6);
  /// otherwise `filemap_fault` runs, calling the pre-content hook where the profile puts it. The
  /// hook drops `mmap_lock`, emits, and returns VM_FAULT_RETRY; the retry has FAULT_FLAG_TRIED
  /// and skips the hook. Without the hook: readahead (unless suppressed), read the folio, map it.
  func doReadFault(
    map: Int, page q: Int, tried: Bool, flags: FaultRetryFlags = .allowRetry, write: Bool = false,
    task t: Int,
    in s: inout KernelState
  ) {
    let retry: PathStep =
      write
      ? .doWriteFault(map: map, page: q, tried: true) : .doReadFault(map: map, page: q, tried: true)
    var m = s.tasks[t].maps[map]!
    let f = m.file
    let p = filePage(m, q)
    let pages = pagesBelowEOF(f, in: s)
    let profile = config.profile
    if pastEOF(m, page: p, in: s) {
      faultFails(flags: flags, task: t, in: &s)
      return
    }
    let hooked = profile.faultHook != .none
    if config.files[f].dax {
      let viaFilemap = config.filesystem.type == "xfs" && profile.daxReadFaultViaFilemap
      if viaFilemap {
        s.history.wrongDispatch = true  // B2: a DAX inode has no page cache for filemap_fault
      } else {
        // A read fault's retry goes through __handle_mm_fault again: PUD, PMD, then PTE.
        let daxRetry =
          write
          ? retry : readFaultEntry(map: map, page: q, tried: true, flags: flags, task: t, in: s)
        daxReadFault(
          map: map, page: q, tried: tried, flags: flags, retry: daxRetry, task: t, in: &s)
        return
      }
    }
    // A PMD-eligible fault maps the whole large folio, by fault-around or by do_set_pmd alike.
    let pmd = m.huge && !(m.hsm && profile.hugeFaultFallback)
    if profile.faultAround && !pmd {
      for r in q...min(q + 1, m.length / Fanotify.pageSize - 1)
      where filePage(m, r) < pages && s.inodes[f].cached[filePage(m, r)] {
        m.ptes |= 1 << UInt64(r)
      }
      if m.hasPTE(q) {
        s.tasks[t].maps[map] = m
        return  // mapped by fault-around: ->fault never ran
      }
    }
    let readahead = !m.hsm || profile.syncReadahead
    func readAhead() {
      for r in p...min(p + 1, pages - 1) where !s.inodes[f].cached[r] {
        s.inodes[f].cached[r] = true
        if r != p && m.hsm && hooked && hasStub(f, page: r, in: s) {
          s.history.unnotifiedFault = true  // a stub folio made uptodate by readahead (B5)
        }
      }
    }
    var cached = s.inodes[f].cached[p]
    if profile.faultHook == .notUptodate && !cached && readahead {
      // v6 to 6.14-rc1 look for an uptodate folio after do_sync_mmap_readahead, so readahead on
      // an HSM file (suppressed in those versions; `sync-readahead on` is the what-if) makes the
      // faulting page's stub uptodate and the hook never fires for it.
      readAhead()
      if m.hsm && hooked && !s.tasks[t].faultEventAllowed && hasStub(f, page: p, in: s) {
        s.history.unnotifiedFault = true
      }
      cached = true
    }
    let hook: Bool
    switch profile.faultHook {
    case .none: hook = false
    case .everyFault: hook = !tried
    case .notUptodate: hook = !tried && !cached
    }
    if hook && m.hsm {
      switch flags {
      case .allowRetry: break
      case .retryNowait:
        // FAULT_FLAG_RETRY_NOWAIT: the lock may not be dropped to wait; VM_FAULT_RETRY, no event.
        s.tasks[t].path = [.unlock(.mmap_lock), .ret(.error(.EAGAIN))]
        return
      case .noRetry where !profile.noRetryFaultReturnsRetry:
        // The lock may not be dropped, so no event: VM_FAULT_SIGBUS, which GUP turns into EFAULT
        // (v2's design, inferred from the semantics doc; v2's text was not re-read).
        faultFails(flags: flags, task: t, in: &s)
        return
      case .noRetry:
        // v7 to 6.14-rc1 (B10), read in the v7, v8 and v9 postings of filemap_fault's hook and in
        // the 6.14-rc7 revert: the hook releases the folio lock and invalidate_lock, but
        // maybe_unlock_mmap_for_io keeps mmap_lock without ALLOW_RETRY, so it jumps to out_retry: no event, VM_FAULT_RETRY with mmap_lock still held. GUP's
        // faultin_page takes RETRY without NOWAIT as "lock dropped" (*locked = 0, -EBUSY);
        // __get_user_pages returns 0 pages, and without FOLL_UNLOCKABLE __get_user_pages_locked
        // hands that 0 back ("VM_FAULT_RETRY couldn't trigger, bypass"). The caller, who took
        // mmap_lock itself, unlocks it: no leak, but nothing is pinned and the HSM is never
        // asked, however often the caller retries. 0 pages is EAGAIN here, as for FOLL_NOWAIT.
        s.history.retryLockHeld = true
        let (taken, dropped) = filemapFaultLocks(file: f, page: p)
        s.tasks[t].path = StepList(taken + dropped + [.unlock(.mmap_lock), .ret(.error(.EAGAIN))])
        return
      }
      if config.filesystem.faultLock != nil && !profile.fsHookBeforeLock {
        // D5 mutation: the filesystem takes its fault lock first and the hook emits under it.
        // v2's gfs2 and bcachefs hooks count as filemap_fault's, as on the unmutated path (their
        // code was not re-read; v2 keeps a denial's SIGBUS either way).
        let lock = KernelLock.fs_fault_lock(file: f)
        s.tasks[t].path =
          [.lock(lock, exclusive: true), .unlock(.mmap_lock)]
          + faultHooks(m, page: p, mode: m.mode, site: .filemapFault)
          + [.unlock(lock), .lock(.mmap_lock, exclusive: false), retry] + s.tasks[t].path
        return
      }
      guard profile.faultDropsMmapLock else {
        // D3 mutation: emit holding mmap_lock, then go on without a retry.
        s.tasks[t].path =
          faultHooks(m, page: p, mode: m.mode, site: .filemapFault) + [retry] + s.tasks[t].path
        return
      }
      // v6 to 6.14-rc1 reach the hook in filemap_fault holding invalidate_lock (shared, taken to
      // add the folio) and the lock of the not-uptodate folio; it releases both, then mmap_lock,
      // before emitting (read in v7 15/18, v9 15/19 and the 6.14-rc7 revert). The D4 mutation
      // keeps them.
      let (taken, dropped) = filemapFaultLocks(file: f, page: p)
      guard profile.faultDropsFolioLocks else {
        s.tasks[t].path =
          taken + [.unlock(.mmap_lock)] + faultHooks(m, page: p, mode: m.mode, site: .filemapFault)
          + dropped
          + [.lock(.mmap_lock, exclusive: false), retry] + s.tasks[t].path
        return
      }
      s.tasks[t].path =
        taken + dropped + [.unlock(.mmap_lock)]
        + faultHooks(m, page: p, mode: m.mode, site: .filemapFault)
        + [.lock(.mmap_lock, exclusive: false), retry] + s.tasks[t].path
      return
    }
    if pmd {
      // filemap_fault found a PMD-sized folio and do_set_pmd maps all of it, after an event
      // (if any) for the faulting page only.
      let base = q / Self.pmdPages * Self.pmdPages
      for r in base..<min(base + Self.pmdPages, m.length / Fanotify.pageSize) {
        let fp = filePage(m, r)
        guard fp < pages else { continue }
        if !s.inodes[f].cached[fp] {
          s.inodes[f].cached[fp] = true
          if m.hsm && hooked && (r != q || !s.tasks[t].faultEventAllowed) {
            s.history.unnotifiedFault = true  // mapped by the PMD without an event (huge fault)
          }
        }
        m.ptes |= 1 << UInt64(r)
      }
      // A read fault's PMD is read-only (do_set_pmd maps it writable only for a write fault, which
      // the model keeps as PTEs); do_set_pmd needs the whole PMD inside the mapping.
      if !write && base + Self.pmdPages <= m.length / Fanotify.pageSize {
        m.pmds |= 1 << UInt64(base / Self.pmdPages)
      }
      s.tasks[t].maps[map] = m
      return
    }
    if !cached {
      s.inodes[f].cached[p] = true
      if m.hsm && hooked && !s.tasks[t].faultEventAllowed {
        s.history.unnotifiedFault = true  // a folio that was not uptodate, mapped without an event
      }
    }
    // do_sync_mmap_readahead on a miss, do_async_mmap_readahead on a hit: each reads the next
    // page ahead unless suppressed for HSM files.
    if cached ? (!m.hsm || profile.asyncReadahead) : readahead { readAhead() }
    m.ptes |= 1 << UInt64(q)
    s.tasks[t].maps[map] = m
  }

  /// The locks `filemap_fault` holds when it reaches its hook on a not-uptodate folio
  /// (`filemap_invalidate_lock_shared`, `lock_folio_maybe_drop_mmap`), and their release, in v6
  /// to 6.14-rc1; none for v2's hook at the top of the function, before either is taken.
  func filemapFaultLocks(file f: Int, page p: Int) -> (taken: [PathStep], dropped: [PathStep]) {
    guard config.profile.faultHook == .notUptodate else { return ([], []) }
    let folio = KernelLock.folio_lock(file: f, page: p)
    return (
      [.lock(.invalidate_lock(file: f), exclusive: false), .lock(folio, exclusive: true)],
      [.unlock(folio), .unlock(.invalidate_lock(file: f))]
    )
  }

  /// `filemap_fault`'s first check (and `page_mkwrite`'s): a page at or past EOF is
  /// VM_FAULT_SIGBUS, before any hook. (xfs's write-fault hook of a DAX inode would run first;
  /// the model checks EOF first for every filesystem.)
  func pastEOF(_ m: Mapping, page p: Int, in s: KernelState) -> Bool {
    return p >= pagesBelowEOF(m.file, in: s)
  }

  /// A fault that ends in VM_FAULT_SIGBUS: SIGBUS for a user load or store; EFAULT when the
  /// fault came from `get_user_pages` or from copying a syscall's user buffer. Returning releases
  /// whatever the task holds.
  func faultFails(flags: FaultRetryFlags, task t: Int, in s: inout KernelState) {
    let viaKernel = flags != .allowRetry || s.tasks[t].io?.sourceMap != nil
    s.tasks[t].path = [.ret(.error(viaKernel ? .EFAULT : .SIGBUS))]
  }

  /// `xfs_filemap_page_mkwrite → xfs_write_fault` of a non-DAX inode where the hook is
  /// unconditional (v7 16/18, read; v2, inferred: not re-read): `do_page_mkwrite` sets
  /// `vmf->flags = FAULT_FLAG_WRITE|FAULT_FLAG_MKWRITE` around `->page_mkwrite` (read in 6.x
  /// mainline `mm/memory.c`), so `filemap_fsnotify_fault` (v7 15/18, v8 16/19, read) passes its
  /// FAULT_FLAG_TRIED check, finds the pre-content watch, and `maybe_unlock_mmap_for_io` (6.x
  /// `mm/internal.h`, read) returns NULL without FAULT_FLAG_ALLOW_RETRY: VM_FAULT_SIGBUS, before
  /// `sb_start_pagefault`, no event, whether the page is uptodate or not. Every store that needs
  /// `->page_mkwrite` on a watched non-DAX xfs file fails (B11 in v2 to v8).
  func xfsMkwriteHookFails(_ m: Mapping) -> Bool {
    config.filesystem.type == "xfs" && config.profile.faultHook != .none
      && !config.profile.xfsWriteHookDaxOnly && !config.files[m.file].dax && m.hsm
  }

  /// `do_page_mkwrite` under `sb_start_pagefault` (`sb_writers` here), or, where xfs's
  /// unconditional hook fails it first, `do_page_mkwrite` alone (it fails before the freeze level).
  func pageMkwriteSteps(_ m: Mapping, map: Int, page q: Int) -> [PathStep] {
    if xfsMkwriteHookFails(m) { return [.pageMkwrite(map: map, page: q)] }
    return [
      .lock(.sb_writers, exclusive: false), .pageMkwrite(map: map, page: q), .unlock(.sb_writers),
    ]
  }

  /// `do_shared_fault`. For a DAX inode xfs's `->fault` is `xfs_write_fault`, whose hook runs
  /// first, before its MMAPLOCK and `sb_start_pagefault` (v2 and v7 unconditionally, v7 16/18
  /// read; v9 16/19 and 6.14-rc1 `if (IS_DAX(inode))`, read). Otherwise `__do_fault → ->fault`
  /// is `filemap_fault` with the read-fault placement, then `do_page_mkwrite` dirties the page:
  /// for a non-DAX xfs inode `xfs_filemap_page_mkwrite → xfs_write_fault` (read in the context of
  /// Christoph Hellwig's 2024 xfs fault refactor), where v2 and v7's unconditional hook gets
  /// VM_FAULT_SIGBUS (`xfsMkwriteHookFails`). Jan Kara's v9 comment on that hook, read in his
  /// review of v8 17/19: "Usually we get here from ->page_mkwrite callback but in case of DAX we
  /// will get here also for ordinary write fault."
  func doWriteFault(map: Int, page q: Int, tried: Bool, task t: Int, in s: inout KernelState) {
    let m = s.tasks[t].maps[map]!
    let p = filePage(m, q)
    let profile = config.profile
    if pastEOF(m, page: p, in: s) {
      faultFails(flags: .allowRetry, task: t, in: &s)
      return
    }
    let xfsHook =
      config.filesystem.type == "xfs" && profile.faultHook != .none && config.files[m.file].dax
    if xfsHook && !tried && m.hsm {
      // xfs_write_fault is ->fault itself for a DAX inode: the helper's event is the first of the
      // fault, with B12's offset where the profile has it.
      s.tasks[t].path =
        [.unlock(.mmap_lock)] + daxFsnotifyFault(m, page: p, access: p..<(p + 1))
        + [.lock(.mmap_lock, exclusive: false), .doWriteFault(map: map, page: q, tried: true)]
        + s.tasks[t].path
      return
    }
    if config.files[m.file].dax
      && !(config.filesystem.type == "xfs" && profile.daxReadFaultViaFilemap)
    {
      // A DAX inode's ->fault takes the store itself: ext4_dax_fault → ext4_dax_huge_fault(vmf,
      // 0) and xfs_filemap_fault → xfs_write_fault(vmf, 0) see FAULT_FLAG_WRITE on a shared
      // mapping and run their write branch: sb_start_pagefault, then (ext4)
      // filemap_invalidate_lock_shared or (xfs) the MMAPLOCK, not modelled, and dax_iomap_fault
      // maps a writable PTE. It returns VM_FAULT_NOPAGE, so do_shared_fault never calls
      // ->page_mkwrite. The branch structure is read in the context lines of v9's ext4 and xfs
      // DAX patches and of the 6.14-rc7 reverts; the write-branch locking, VM_FAULT_NOPAGE and
      // do_shared_fault's early return are from memory of mainline fs/ext4/file.c,
      // fs/xfs/xfs_file.c, fs/dax.c and mm/memory.c, not re-read. The only hook on this path is
      // xfs's, above (6.14-rc1 and v9: when IS_DAX; v2 and v7: every write fault); 6.14-rc1's
      // ext4 hook sat in the non-write branch (read in v9 and the 6.14-rc7 revert), so an ext4
      // DAX store emits nothing in any profile (v2 and v7 had no ext4 DAX hook at all).
      let ext4 = config.filesystem.type != "xfs"
      let invalidate = KernelLock.invalidate_lock(file: m.file)
      s.tasks[t].path =
        [.lock(.sb_writers, exclusive: false)]
        + (ext4 ? [.lock(invalidate, exclusive: false)] : [])
        + [.daxPteFault(map: map, page: q)]
        + (ext4 ? [.unlock(invalidate)] : []) + [.unlock(.sb_writers)] + s.tasks[t].path
      return
    }
    // __do_fault → ->fault: the read-fault logic (hook, readahead, read the folio, PTE); a hook
    // there schedules a write-fault retry instead of mapping.
    doReadFault(map: map, page: q, tried: tried, write: true, task: t, in: &s)
    guard s.tasks[t].maps[map]!.hasPTE(q) else { return }
    s.tasks[t].path = pageMkwriteSteps(m, map: map, page: q) + s.tasks[t].path
  }

  /// `xfs_dax_read_fault` / `ext4_dax_fault` → `dax_iomap_fault` at PTE order: no page cache, the
  /// PTE maps storage directly. Fault-hook profiles with `dax-read-hooks` (v9, 6.14-rc1) call the
  /// DAX helper first (6.14-rc1 with the B12 offset shift); v2 and v7 have no hook here.
  func daxReadFault(
    map: Int, page q: Int, tried: Bool, flags: FaultRetryFlags = .allowRetry, retry: PathStep,
    task t: Int, in s: inout KernelState
  ) {
    var m = s.tasks[t].maps[map]!
    let p = filePage(m, q)
    if config.profile.faultHook != .none && config.profile.daxReadHooks && !tried && m.hsm {
      guard flags == .allowRetry else {
        // B10's DAX side: filemap_fsnotify_fault runs on every first fault of an HSM file, data
        // present or not, and maybe_unlock_mmap_for_io keeps mmap_lock for a NOWAIT or
        // non-retriable fault, so the helper returns VM_FAULT_SIGBUS (GUP: EFAULT).
        faultFails(flags: flags, task: t, in: &s)
        return
      }
      s.tasks[t].path =
        [.unlock(.mmap_lock)] + daxFsnotifyFault(m, page: p, access: p..<(p + 1))
        + [.lock(.mmap_lock, exclusive: false), retry] + s.tasks[t].path
      return
    }
    // The PTE maps the storage itself (no folio): mapping a stub page without an allowed event in
    // this fault is I2-h's hole (with no DAX read hook, v2 and v7, every such fault is one).
    if m.hsm && config.profile.faultHook != .none && !s.tasks[t].faultEventAllowed
      && hasStub(m.file, page: p, in: s)
    {
      s.history.unnotifiedFault = true
    }
    m.ptes |= 1 << UInt64(q)
    s.tasks[t].maps[map] = m
  }

  /// `dax_iomap_pte_fault` for a store: the PTE maps the storage writable and the store writes
  /// the page. Under a fault-hook profile, mapping a page the HSM has not filled without an
  /// allowed event in this fault episode is I2-h's hole: the store lands in a stub page whose
  /// rest is never fetched (6.14-rc1's ext4 DAX hook was in the non-write branch only).
  func daxPteFault(map: Int, page q: Int, task t: Int, in s: inout KernelState) {
    var m = s.tasks[t].maps[map]!
    let p = filePage(m, q)
    if m.hsm && config.profile.faultHook != .none && !s.tasks[t].faultEventAllowed
      && hasStub(m.file, page: p, in: s)
    {
      s.history.unnotifiedFault = true
    }
    writeStoredByte(m, page: p, task: t, in: &s)
    m.ptes |= 1 << UInt64(q)
    s.tasks[t].maps[map] = m
  }

  /// `wp_huge_pmd` for a store to a page mapped by a read-only huge PMD. A DAX inode's
  /// `->huge_fault(PMD_ORDER)` (write branch, under `sb_start_pagefault`) dirties the PMD in place,
  /// unless 6.14-rc1 refused huge faults of a pre-content watched file; every other shared file
  /// mapping (no `->huge_fault`) goes to `__split_huge_pmd` and returns VM_FAULT_FALLBACK, and the
  /// PTE-level write fault follows: `do_wp_page → wp_page_shared → do_page_mkwrite` (for DAX
  /// `wp_pfn_shared → ->pfn_mkwrite`). Read in mainline `mm/memory.c` and in the v8 posting of
  /// "mm: don't allow huge faults for files with pre content watches". The split maps nothing new:
  /// the PTEs map the folio the PMD mapped.
  func wpHugePmd(map: Int, page q: Int, task t: Int, in s: inout KernelState) {
    var m = s.tasks[t].maps[map]!
    let split = !hasHugeFault(m) || (m.hsm && config.profile.hugeFaultFallback)
    if split { m.pmds &= ~(1 << UInt64(q / Self.pmdPages)) }
    s.tasks[t].maps[map] = m
    s.tasks[t].path = pageMkwriteSteps(m, map: map, page: q) + s.tasks[t].path
  }

  /// The event of `filemap_fsnotify_fault`, the helper DAX handlers call: one page at
  /// `pgoff << PAGE_SHIFT` (B12: `pgoff >> PAGE_SHIFT`, `dax-fault-offset-bug`), `PAGE_SIZE`
  /// whatever the fault's order. Read in the v7 (15/18), v8 (16/19) and v9 (15/19) postings of
  /// "fsnotify: generate pre-content permission event on page fault" and in its 6.14-rc7 revert:
  /// the same two lines in all four. `access` is what the fault maps, for I11 and for I2-h's "the
  /// event covers the folio".
  func daxFsnotifyFault(_ m: Mapping, page p: Int, access: Range<Int>) -> [PathStep] {
    var hooks = faultHooks(m, page: p, mode: m.mode, site: .fsnotifyHelper)
    if case .notify(var n) = hooks[0] {
      if config.profile.daxFaultOffsetBug {
        n.range = eventRange(pos: p >> 12, len: Fanotify.pageSize)  // pgoff >> PAGE_SHIFT
      }
      n.access = ByteSpan(
        pos: access.lowerBound * Fanotify.pageSize, len: access.count * Fanotify.pageSize)
      hooks[0] = .notify(n)
    }
    return hooks
  }

  /// The first step of a read fault on page `q` of mapping `map`: `__handle_mm_fault` tries
  /// `create_huge_pud` while the PUD is empty, then `create_huge_pmd` while the PMD is empty, for
  /// a DAX inode (DAX VMAs may always fault huge: `thp_vma_allowable_order`); then the PTE level.
  /// Page-cache files have no `->huge_fault` (their PMDs come from `do_set_pmd`, see
  /// `doReadFault`).
  func readFaultEntry(
    map: Int, page q: Int, tried: Bool, flags: FaultRetryFlags, task t: Int, in s: KernelState
  ) -> PathStep {
    let m = s.tasks[t].maps[map]!
    if hasHugeFault(m) {
      if m.ptes == 0 {
        return .hugeFault(map: map, page: q, order: .pud, tried: tried, flags: flags)
      }
      if pmdNone(m, q) {
        return .hugeFault(map: map, page: q, order: .pmd, tried: tried, flags: flags)
      }
    }
    return .doReadFault(map: map, page: q, tried: tried, flags: flags)
  }

  /// The file has `->huge_fault`: a DAX inode on ext4 or xfs (unless v2 routes xfs DAX faults to
  /// `filemap_fault`, B2).
  func hasHugeFault(_ m: Mapping) -> Bool {
    config.files[m.file].dax
      && !(config.filesystem.type == "xfs" && config.profile.daxReadFaultViaFilemap)
  }

  /// No PTE and no PMD maps the PMD group of page `q` (`pmd_none`).
  func pmdNone(_ m: Mapping, _ q: Int) -> Bool {
    let base = q / Self.pmdPages * Self.pmdPages
    let group: UInt64 = ((1 << UInt64(Self.pmdPages)) - 1) << UInt64(base)
    return m.ptes & group == 0
  }

  /// `create_huge_pud`/`create_huge_pmd` for a DAX read fault. 6.14-rc1 returned
  /// VM_FAULT_FALLBACK for HSM files before calling `->huge_fault` ("mm: don't allow huge faults
  /// for files with pre content watches", read in its v8 posting). Otherwise `->huge_fault`'s
  /// non-write branch calls 6.14-rc1's `filemap_fsnotify_fault` before
  /// `filemap_invalidate_lock_shared` (read in the 6.14-rc7 revert of "ext4: add pre-content
  /// fsnotify hook for DAX faults"), then `dax_iomap_fault`: PUD order always falls back (fs DAX
  /// maps PTEs and PMDs only), a PMD maps `pmdPages` pages if the PMD lies inside the mapping and
  /// below EOF (`dax_iomap_pmd_fault`), else it falls back too.
  func hugeFault(
    map: Int, page q: Int, order: HugeOrder, tried: Bool, flags: FaultRetryFlags, task t: Int,
    in s: inout KernelState
  ) {
    var m = s.tasks[t].maps[map]!
    let profile = config.profile
    let p = filePage(m, q)
    let fallback: PathStep =
      order == .pud && pmdNone(m, q)
      ? .hugeFault(map: map, page: q, order: .pmd, tried: tried, flags: flags)
      : .doReadFault(map: map, page: q, tried: tried, flags: flags)
    if m.hsm && profile.hugeFaultFallback {
      s.tasks[t].path = [fallback] + s.tasks[t].path
      return
    }
    let base = q / Self.pmdPages * Self.pmdPages
    let span =
      order == .pmd
      ? filePage(m, base)..<filePage(m, base + Self.pmdPages)
      : filePage(m, 0)..<filePage(m, m.length / Fanotify.pageSize)
    if profile.faultHook != .none && profile.daxReadHooks && !tried && m.hsm {
      guard flags == .allowRetry else {
        // maybe_unlock_mmap_for_io keeps mmap_lock: the helper returns VM_FAULT_SIGBUS.
        faultFails(flags: flags, task: t, in: &s)
        return
      }
      s.tasks[t].path =
        [.unlock(.mmap_lock)] + daxFsnotifyFault(m, page: p, access: span)
        + [
          .lock(.mmap_lock, exclusive: false),
          readFaultEntry(map: map, page: q, tried: true, flags: flags, task: t, in: s),
        ] + s.tasks[t].path
      return
    }
    let f = m.file
    let maxPgoff = (s.inodes[f].size + Fanotify.pageSize - 1) / Fanotify.pageSize
    let fits =
      order == .pmd && (m.offset / Fanotify.pageSize) % Self.pmdPages == 0
      && base + Self.pmdPages <= m.length / Fanotify.pageSize && span.upperBound <= maxPgoff
    guard fits else {
      s.tasks[t].path = [fallback] + s.tasks[t].path
      return
    }
    for r in base..<(base + Self.pmdPages) {
      if m.hsm && profile.faultHook != .none && (r != q || !s.tasks[t].faultEventAllowed) {
        s.history.unnotifiedFault = true  // mapped by the PMD without an event covering it
      }
      m.ptes |= 1 << UInt64(r)
    }
    m.pmds |= 1 << UInt64(base / Self.pmdPages)
    s.tasks[t].maps[map] = m
  }

  /// I1: when data moves through an HSM-mode file, every group with a matching FAN_PRE_ACCESS
  /// mark has allowed this operation, unless it went ahead implicitly (queue full, group closed).
  func checkCoverage(task t: Int, file f: Int, in s: inout KernelState) {
    let ts = s.tasks[t]
    guard let io = ts.io, let ofd = ts.fds[io.slot], ofd.mode.preContent, !ts.implicitAllow
    else { return }
    for g in config.groups.indices where ts.allowedGroups & (1 << UInt32(g)) == 0 {
      if watches(group: g, file: f, mask: .FAN_PRE_ACCESS, in: s) {
        s.history.uncoveredTransfer = true
      }
    }
  }
}

extension RWSemaphore {
  mutating func acquire(_ t: Int, exclusive: Bool) {
    if exclusive { writer = t } else { readers.insertSorted(t) }
  }

  mutating func release(_ t: Int) {
    if writer == t {
      writer = nil
    } else if let i = readers.firstIndex(of: t) {
      readers.remove(at: i)
    }
  }
}

extension Array where Element == Int {
  mutating func insertSorted(_ x: Int) {
    insert(x, at: firstIndex { $0 > x } ?? count)
  }
}
