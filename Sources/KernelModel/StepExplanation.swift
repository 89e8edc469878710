import Exploration

/// What one step did, in kernel terms and as structured facts; the runner renders it as text.
public struct StepExplanation: Hashable, Sendable {
  public var task: Int
  /// The kernel function chain the step stands for, outermost first.
  public var kernelFunction: String
  /// Locks the task holds once the step is taken.
  public var locksHeld: [KernelLock]
  /// For application tasks, the instruction the step belongs to.
  public var instruction: Int?
  /// Which of the instruction's choices it is.
  public var choice = 0
  /// For listeners, the call the step belongs to.
  public var listenerCall: ListenerCall?
  public var effect: StepEffect
}

/// What exec's write denial did (§3.5).
public enum WriteDenial: Hashable, Sendable {
  /// HSM-mode binary: i_writecount untouched.
  case skipped
  /// Writers are now refused (ETXTBSY) while the image runs.
  case denied
  /// The file is open for write: execve fails with ETXTBSY.
  case busy
}

/// The observable effect of a step.
public enum StepEffect: Hashable, Sendable {
  /// A syscall began.
  case entered(Syscall)
  /// `do_dentry_open` decided the new file's notify mode; `mask` are its permission events.
  case openModeDecided(NotifyMode, mask: EventMask)
  /// A permission event was queued to a group; the task now waits.
  case queued(group: Int, mask: EventMask, range: EventRange?)
  /// The group's queue was full: the event was dropped and the access allowed (B17).
  case overflowed(group: Int)
  /// A truncate's FS_MODIFY: delivered to no fd-reporting group, but clears the ignore masks
  /// that do not survive modification.
  case inodeModified(file: Int)
  /// The listener read FAN_Q_OVERFLOW: events were dropped; it has no fd.
  case overflowRead(group: Int)
  /// `create_fd` failed for the event read: a permission event is answered FAN_DENY (B20).
  case eventFdFailed(group: Int, waiter: Int?, mask: EventMask, errno: Errno)
  /// A notification event went to these groups (each queued it, merged it into an unread event
  /// of the same file and task, or overflowed); none when nobody watches it or nothing moved.
  case noticed(mask: EventMask, file: Int, groups: [Int])
  /// No group watches any more: the walk ends.
  case walkEnded
  /// The waiter woke with its answer (`implicit`: nobody decided, e.g. the group closed).
  case woke(group: Int, outcome: ResponseValidation.WaiterOutcome, implicit: Bool)
  /// A page fault's event was denied. `site` says which hook asked: `filemap_fsnotify_fault`
  /// returns VM_FAULT_SIGBUS; `filemap_fault` sets VM_FAULT_SIGBUS and, where `lost` (B9), still
  /// leaves through `out_retry`, so the retry maps the page.
  case faultDenied(group: Int, errno: Errno, site: FaultHookSite, lost: Bool)
  /// A fatal signal ended the wait and the task.
  case killedWhileWaiting
  /// An exec segment's mapping was denied after the point of no return: SIGSEGV kills the task.
  case execDeniedFatally(group: Int, errno: Errno)
  case locked(KernelLock)
  case unlocked(KernelLock)
  case freezing
  case frozen
  case thawed
  /// Bytes `bytes` of a page were copied to user space, or (for a load) the page was exposed
  /// through its PTE; `contents` are what those bytes hold, in order (`readIn`: the folio was
  /// read into the page cache first); `exempt` when stub content is an I2 exemption (not HSM
  /// mode, implicit allow).
  case pageRead(
    file: Int, page: Int, bytes: Range<Int>, contents: [PageContent], readIn: Bool, exempt: Bool)
  /// The read reached end of file.
  case endOfFile
  case writeChecked(pos: Int)
  /// Bytes `bytes` of a page were written; `contents` are what the page holds now, in order.
  case pageWritten(file: Int, page: Int, bytes: Range<Int>, contents: [PageContent])
  case sizeSet(file: Int, size: Int)
  /// Bytes `[start, end)` became a hole.
  case holePunched(file: Int, start: Int, end: Int)
  /// `FALLOC_FL_COLLAPSE_RANGE` or `FALLOC_FL_INSERT_RANGE` moved the file's tail.
  case rangeShifted(file: Int, offset: Int, length: Int, insert: Bool)
  /// The file would have grown past the scenario's `max`: the task stops, the run is incomplete.
  case sizeBoundHit(file: Int, maxSize: Int)
  case spliced(file: Int, bytes: Int)
  case fdInstalled(slot: Int, mode: NotifyMode)
  case mapped(map: Int, notified: Bool)
  /// A clone shared `bytes` of `source` (holding `contents`) at `at` in `target`; a dedupe
  /// shared identical bytes only.
  case remapped(
    source: Int, bytes: Range<Int>, contents: [PageContent], target: Int, at: Int, dedupe: Bool)
  /// `generic_remap_file_range_prep` refused the ranges (EINVAL).
  case remapRefused
  /// `mremap` resized a mapping; no hook announces the new range (B16).
  case mappingResized(map: Int, length: Int)
  /// `elf_map` mapped bytes `bytes` of the binary into the new image; `contents` are what they
  /// hold, in order.
  case execMapped(file: Int, bytes: Range<Int>, contents: [PageContent])
  /// `exe_file_deny_write_access` on an exec'd binary.
  case writeDenial(file: Int, result: WriteDenial)
  /// The syscall returned.
  case returned(SyscallResult, expected: ExpectedResult?)
  /// The listener read an event and got an event fd.
  case eventRead(group: Int, waiter: Int, fd: Int, mask: EventMask, range: EventRange?)
  /// The listener wrote a response; `result` is what its write returned.
  case responded(group: Int, fd: Int, response: UInt32, result: SyscallResult, waiter: Int?)
  case eventFdClosed(fd: Int)
  /// The listener closed its group; these waiters were answered FAN_ALLOW.
  case groupClosed(group: Int, released: [Int])
  /// The event with fd `fd` went to helper thread `helper`.
  case handedOff(fd: Int, helper: Int)
  /// A task with a fatal signal pending exited at the syscall boundary.
  case died
  /// `do_fault_around` mapped the page from an uptodate folio: ->fault never ran (B6).
  case mappedByFaultAround(file: Int, page: Int)
  /// `filemap_fault` calls the pre-content hook: mmap_lock dropped, VM_FAULT_RETRY to follow.
  case faultHook(file: Int, page: Int)
  /// `filemap_fsnotify_fault`, the helper the DAX and xfs handlers call: on a first try
  /// (no FAULT_FLAG_TRIED) of a pre-content watched file it emits whether or not the data is
  /// there (no folio to test); mmap_lock dropped, VM_FAULT_RETRY to follow.
  case helperHook(file: Int, page: Int)
  /// `filemap_fsnotify_fault` may not drop mmap_lock (NOWAIT or no ALLOW_RETRY): VM_FAULT_SIGBUS
  /// with no event, even for data that is there (B10's DAX side).
  case helperFailed(file: Int, page: Int)
  /// A store to a DAX inode with no PTE: `->fault`'s write branch (no page cache).
  case daxWriteFault(file: Int, page: Int)
  /// `dax_iomap_pte_fault` mapped the page's storage with a PTE (`write`: writable, and the store
  /// wrote it).
  case daxPteMapped(file: Int, page: Int, write: Bool)
  /// The hook emits holding `mmap_lock`, which this fault may not drop (B10, D3).
  case faultHookUnderLock(file: Int, page: Int)
  /// The fault returned without mapping the page and without an event: past EOF
  /// (VM_FAULT_SIGBUS), or a not-uptodate page under a fault that may not wait (NOWAIT, noretry).
  case faultFailed(file: Int, page: Int, pastEOF: Bool)
  /// v7 to 6.14-rc1 (B10): no event, VM_FAULT_RETRY with `mmap_lock` still held to a caller without
  /// FAULT_FLAG_ALLOW_RETRY; `get_user_pages` returns 0 pages.
  case faultRetryLockHeld(file: Int, page: Int)
  /// The fault mapped the page (`readIn`: its folio was read; `readahead`: neighbours read too).
  case faultMapped(file: Int, page: Int, readIn: Bool, readahead: [Int])
  /// `create_huge_pud`/`create_huge_pmd` returned VM_FAULT_FALLBACK: `hsm` when 6.14-rc1 refused
  /// the huge fault of a pre-content watched file, otherwise `dax_iomap_fault` could not map it.
  case hugeFallback(file: Int, page: Int, order: HugeOrder, hsm: Bool)
  /// `wp_huge_pmd` on the PMD mapping `pages` pages from `first`: split into PTEs (VM_FAULT_FALLBACK
  /// to the PTE-level write fault), or a DAX inode's `->huge_fault` keeps the PMD.
  case hugePmdWriteFault(file: Int, first: Int, pages: Int, split: Bool)
  /// `dax_iomap_pmd_fault` mapped `pages` pages from `first` with one huge PMD.
  case pmdMapped(file: Int, first: Int, pages: Int)
  /// The write's user buffer page had no PTE: fault it in.
  case faultingIn(page: Int)
  /// The write's user buffer page is mapped already.
  case bufferMapped
  /// `force_page_cache_ra` made these pages uptodate folios.
  case readahead(file: Int, pages: [Int])
}

extension KernelSystem {
  /// Explains `transition` taken from `state`.
  public func explain(_ transition: Transition<KernelStep>, in state: KernelState)
    -> StepExplanation
  {
    let t = transition.task
    let ts = state.tasks[t]
    let after = apply(transition, to: state)
    let isApp = t < appTaskCount
    let instruction = isApp ? ts.pc : nil
    let call = ts.handling.flatMap { $0.next > 0 ? $0.calls[$0.next - 1] : nil }
    func explained(_ function: String, _ effect: StepEffect) -> StepExplanation {
      var e = StepExplanation(
        task: t, kernelFunction: function, locksHeld: Array(after.tasks[t].held),
        instruction: instruction,
        listenerCall: isApp ? nil : call, effect: effect)
      e.choice = ts.choice
      return e
    }
    switch transition.label {
    case .syscallEntry(let pc, let choice):
      let syscall = config.tasks[t].program[pc].choices[choice]
      if after.tasks[t].killed { return explained("exit_to_user_mode → do_exit", .died) }
      var e = explained(Self.entryFunction(syscall), .entered(syscall))
      e.choice = choice
      return e
    case .fanotifyRead:
      let g = listenerGroup(ofTask: t)!
      let head = state.groups[g].queue[0]
      func read(_ effect: StepEffect) -> StepExplanation {
        StepExplanation(
          task: t, kernelFunction: "fanotify_read → copy_event_to_user → create_fd",
          locksHeld: Array(after.tasks[t].held), instruction: nil, listenerCall: nil, effect: effect
        )
      }
      guard let event = readable(head, in: state) else { return read(.overflowRead(group: g)) }
      if let e = createFdError(task: t, group: g, file: event.file, in: state) {
        return read(.eventFdFailed(group: g, waiter: head.waiter, mask: event.mask, errno: e))
      }
      return read(
        .eventRead(
          group: g, waiter: event.pid, fd: nextEventFd(task: t, in: state), mask: event.mask,
          range: event.range))
    case .step(let step):
      return explainStep(step, task: t, before: state, after: after, explained)
    }
  }

  private func explainStep(
    _ step: PathStep, task t: Int, before s: KernelState, after: KernelState,
    _ explained: (String, StepEffect) -> StepExplanation
  ) -> StepExplanation {
    switch step {
    case .notify(let n):
      let function = Self.notifyFunction(n)
      guard let next = nextInterestedGroup(n, in: s) else { return explained(function, .walkEnded) }
      if after.tasks[t].pending == nil {
        return explained(function, .overflowed(group: next.group))
      }
      return explained(function, .queued(group: next.group, mask: n.mask, range: n.range))
    case .inodeModified(let f):
      return explained(
        "notify_change → fsnotify_change → fsnotify(FS_MODIFY, inode)", .inodeModified(file: f))
    case .notice(let mask, let f, let ifTransferred):
      let moved = !ifTransferred || (s.tasks[t].io?.done ?? 0) > 0
      let groups = moved ? noticeGroups(mask, file: f, in: s).map(\.group) : []
      return explained(Self.noticeFunction(mask), .noticed(mask: mask, file: f, groups: groups))
    case .awaitResponse(let n):
      let p = s.tasks[t].pending!
      guard case .answered(let outcome, let implicit) = p.status else {
        return explained("fanotify_get_response → fatal_signal_pending", .killedWhileWaiting)
      }
      if case .deny(let e) = outcome, n.fatalDenial {
        return explained(
          "fanotify_get_response; load_elf_binary fails after begin_new_exec → force_fatal_sig(SIGSEGV)",
          .execDeniedFatally(group: p.group, errno: e))
      }
      if case .deny(let e) = outcome, let site = n.faultSite {
        let lost = site == .filemapFault && config.profile.faultDenialLost
        return explained(
          "fanotify_get_response",
          .faultDenied(group: p.group, errno: e, site: site, lost: lost))
      }
      return explained(
        "fanotify_get_response", .woke(group: p.group, outcome: outcome, implicit: implicit))
    case .lock(let lock, let exclusive):
      let opening = s.tasks[t].path.count > 1 && isOpen(s, t)
      // Only a page fault takes sb_writers while holding mmap_lock: sb_start_pagefault.
      let pagefault = s.tasks[t].held.contains(.mmap_lock)
      return explained(
        Self.lockFunction(lock, exclusive: exclusive, opening: opening, pagefault: pagefault),
        .locked(lock))
    case .unlock(let lock):
      let pagefault = s.tasks[t].held.contains(.mmap_lock)
      return explained(
        Self.unlockFunction(lock, exclusive: holdsExclusive(lock, s, t), pagefault: pagefault),
        .unlocked(lock))
    case .freezeSuper:
      return explained("freeze_super → sb_wait_write (new writers block)", .freezing)
    case .freezeWait:
      return explained("sb_wait_write → percpu_down_write (writers drained)", .frozen)
    case .thawSuper:
      return explained("thaw_super → sb_freeze_unlock", .thawed)
    case .filemapRead(let f, let p):
      guard let io = s.tasks[t].io, let doneAfter = after.tasks[t].io?.done, doneAfter != io.done
      else {
        return explained("filemap_read → i_size_read (end of file)", .endOfFile)
      }
      let lo = max(io.pos, p * Fanotify.pageSize)
      let bytes = lo..<(lo + doneAfter - io.done)
      let readIn = !s.inodes[f].cached[p]
      let ofd = s.tasks[t].fds[s.tasks[t].io!.slot]
      let exempt = !(ofd?.mode.preContent ?? false) || s.tasks[t].implicitAllow
      var function = "filemap_read → filemap_get_pages"
      if readIn { function += " → filemap_read_folio" }
      function += " → copy_folio_to_iter"
      return explained(
        function,
        .pageRead(
          file: f, page: p, bytes: bytes, contents: contents(s.inodes[f].content, bytes),
          readIn: readIn, exempt: exempt))
    case .writeChecks:
      return explained("generic_write_checks", .writeChecked(pos: after.tasks[t].io?.pos ?? 0))
    case .writeFolio(let f, let p):
      let io = s.tasks[t].io!
      let lo = max(io.pos, p * Fanotify.pageSize)
      let bytes = lo..<(lo + (after.tasks[t].io?.done ?? io.done) - io.done)
      return explained(
        "generic_perform_write",
        .pageWritten(
          file: f, page: p, bytes: bytes,
          contents: contents(after.inodes[f].content, after.inodes[f].content.page(p))))
    case .setSize(let f, let size):
      return explained(
        "do_truncate → notify_change → truncate_setsize", .sizeSet(file: f, size: size))
    case .extendSize(let f, _):
      return explained(
        "vfs_fallocate → ->fallocate → i_size_write", .sizeSet(file: f, size: after.inodes[f].size))
    case .punchHole(let f, let start, let end):
      return explained(
        "->fallocate → truncate_pagecache_range", .holePunched(file: f, start: start, end: end))
    case .shiftRange(let f, let offset, let length, let insert):
      return explained(
        insert
          ? "ext4_fallocate → ext4_insert_range → truncate_pagecache"
          : "ext4_fallocate → ext4_collapse_range → truncate_pagecache",
        .rangeShifted(file: f, offset: offset, length: length, insert: insert))
    case .sizeBound(let f):
      return explained(
        "(model bound: the file's max)",
        .sizeBoundHit(file: f, maxSize: config.files[f].maxSize))
    case .remapRange(let inSlot, _, let outSlot, let outPos, _, let dedupe):
      let (src, dst) = (s.tasks[t].fds[inSlot]!.file, s.tasks[t].fds[outSlot]!.file)
      guard let done = after.tasks[t].io?.done else {
        return explained("generic_remap_file_range_prep", .remapRefused)
      }
      let bytes = (s.tasks[t].io?.pos ?? 0)..<((s.tasks[t].io?.pos ?? 0) + done)
      return explained(
        dedupe
          ? "->remap_file_range(REMAP_FILE_DEDUP) → generic_remap_file_range_prep"
          : "->remap_file_range → generic_remap_file_range_prep → remap extents",
        .remapped(
          source: src, bytes: bytes, contents: dedupe ? [] : contents(s.inodes[src].content, bytes),
          target: dst, at: outPos, dedupe: dedupe))
    case .mremapVma(let map, let length):
      return explained("mremap → vma_expand", .mappingResized(map: map, length: length))
    case .spliceWrite(let outSlot, _):
      let f = s.tasks[t].fds[outSlot]!.file
      return explained(
        "do_splice_direct → iter_file_splice_write",
        .spliced(file: f, bytes: s.tasks[t].io?.done ?? 0))
    case .doDentryOpen(let file, _, _):
      let (mode, mask) = openTimeMode(file: file, in: s)
      return explained(
        "do_dentry_open → fsnotify_open_perm_and_set_mode", .openModeDecided(mode, mask: mask))
    case .installFd(let slot, let file):
      return explained("fd_install", .fdInstalled(slot: slot, mode: file.mode))
    case .mmapRegion(_, _, _, let map):
      return explained(
        "do_mmap → mmap_region",
        .mapped(map: map, notified: after.tasks[t].maps[map]?.notified ?? false))
    case .openExec(let file):
      let (mode, mask) = openTimeMode(file: file, in: s)
      return explained(
        "do_open_execat → do_dentry_open → fsnotify_open_perm_and_set_mode",
        .openModeDecided(mode, mask: mask))
    case .execMap(let f, let offset, let length):
      let bytes = offset..<(offset + length)
      return explained(
        "load_elf_binary → elf_load → elf_map → vm_mmap → mmap_region",
        .execMapped(file: f, bytes: bytes, contents: contents(s.inodes[f].content, bytes)))
    case .denyWriteAccess(let file, let mode):
      let effect: StepEffect
      if mode.preContent {
        effect = .writeDenial(file: file, result: .skipped)
      } else if after.tasks[t].path.first == .ret(.error(.ETXTBSY)) {
        effect = .writeDenial(file: file, result: .busy)
      } else {
        effect = .writeDenial(file: file, result: .denied)
      }
      return explained("exe_file_deny_write_access", effect)
    case .respond(let word):
      let g = listenerGroup(ofTask: t)!
      let fd = s.tasks[t].handling!.fd
      let waiter = s.groups[g].accessList.first(where: { $0.fd == fd })?.waiter
      let result = responseOutcome(word, fd: fd, group: g, in: s)
      return explained(
        "fanotify_write → process_access_response",
        .responded(
          group: g, fd: fd, response: word, result: result,
          waiter: result == .value(8) ? waiter : nil))
    case .closeEventFd:
      return explained("close_fd(event fd) → fput", .eventFdClosed(fd: s.tasks[t].handling!.fd))
    case .handOff:
      let h = idleHelper(of: t, in: s)!
      return explained(
        "pthread_create / work queue", .handedOff(fd: s.tasks[t].handling!.fd, helper: h))
    case .closeGroup:
      let g = listenerGroup(ofTask: t)!
      return explained(
        "close(fanotify fd) → fanotify_release",
        .groupClosed(
          group: g, released: s.groups[g].queuedWaiters + s.groups[g].accessList.map(\.waiter)))
    case .doReadFault(let map, let q, _, let flags):
      let m = s.tasks[t].maps[map]!
      let p = filePage(m, q)
      let f = m.file
      if hasHugeFault(m) {
        return explainDaxReadFault(map: map, page: q, task: t, s, after, explained)
      }
      // v6 to 6.14-rc1 hook inside filemap_fault: unlock the folio, maybe_unlock_mmap_for_io,
      // fsnotify_file_area_perm (read in v7, v9 and the 6.14-rc7 revert); v2's hook at the top of
      // filemap_fault was a helper (not re-read).
      let hookSite =
        "handle_mm_fault → do_read_fault → filemap_fault → "
        + (config.profile.faultHook == .everyFault
          ? "filemap_fsnotify_fault" : "maybe_unlock_mmap_for_io")
      // Every hook placement puts its event within the first six steps of the new path (after
      // the folio and invalidate_lock steps of v7 to 6.14-rc1); it emits under mmap_lock unless
      // the path drops it first.
      let head = Array(after.tasks[t].path.prefix(6))
      if let i = head.firstIndex(where: { if case .notify = $0 { true } else { false } }) {
        if !head[..<i].contains(.unlock(.mmap_lock)) {
          return explained(hookSite, .faultHookUnderLock(file: f, page: p))
        }
        return explained(hookSite, .faultHook(file: f, page: p))
      }
      if case .noRetry = flags, after.tasks[t].path.contains(.ret(.error(.EAGAIN))) {
        return explained(
          "handle_mm_fault → do_read_fault → filemap_fault → maybe_unlock_mmap_for_io",
          .faultRetryLockHeld(file: f, page: p))
      }
      if !(after.tasks[t].maps[map]?.hasPTE(q) ?? false) {
        let eof = pastEOF(m, page: p, in: s)
        return explained(
          eof ? "handle_mm_fault → do_read_fault → filemap_fault" : hookSite,
          .faultFailed(file: f, page: p, pastEOF: eof))
      }
      if s.inodes[f].cached[p] && config.profile.faultAround {
        return explained(
          "handle_mm_fault → do_read_fault → do_fault_around → filemap_map_pages",
          .mappedByFaultAround(file: f, page: p))
      }
      let readIn = !s.inodes[f].cached[p]
      let ahead = (0..<config.files[f].pageCapacity).filter {
        $0 != p && !s.inodes[f].cached[$0] && after.inodes[f].cached[$0]
      }
      return explained(
        "handle_mm_fault → do_read_fault → filemap_fault" + (readIn ? " → filemap_read_folio" : "")
          + " → finish_fault",
        .faultMapped(file: f, page: p, readIn: readIn, readahead: ahead))
    case .daxPteFault(let map, let q):
      let m = s.tasks[t].maps[map]!
      return explained(
        "dax_iomap_fault → dax_iomap_pte_fault",
        .daxPteMapped(file: m.file, page: filePage(m, q), write: true))
    case .hugeFault(let map, let q, let order, _, _):
      let m = s.tasks[t].maps[map]!
      let p = filePage(m, q)
      let create =
        "handle_mm_fault → __handle_mm_fault → create_huge_" + (order == .pud ? "pud" : "pmd")
      let handler =
        create + " → "
        + (config.filesystem.type == "xfs" ? "xfs_filemap_huge_fault" : "ext4_dax_huge_fault")
        + "(\(order.name))"
      let mapsAfter = after.tasks[t].maps[map]!
      if mapsAfter.pmds != m.pmds {
        let base = filePage(m, q / Self.pmdPages * Self.pmdPages)
        return explained(
          handler + " → dax_iomap_fault → dax_iomap_pmd_fault",
          .pmdMapped(file: m.file, first: base, pages: Self.pmdPages))
      }
      if addedFaultHook(s, after, t) != nil {
        return explained(handler + " → filemap_fsnotify_fault", .helperHook(file: m.file, page: p))
      }
      if case .ret = after.tasks[t].path.first {
        return explained(
          handler + " → filemap_fsnotify_fault", .helperFailed(file: m.file, page: p))
      }
      if m.hsm && config.profile.hugeFaultFallback {
        return explained(create, .hugeFallback(file: m.file, page: p, order: order, hsm: true))
      }
      return explained(
        handler + " → dax_iomap_fault",
        .hugeFallback(file: m.file, page: p, order: order, hsm: false))
    case .doWriteFault(let map, let q, _):
      let m = s.tasks[t].maps[map]!
      let p = filePage(m, q)
      if pastEOF(m, page: p, in: s) {
        return explained(
          "handle_mm_fault → do_shared_fault → __do_fault → filemap_fault",
          .faultFailed(file: m.file, page: p, pastEOF: true))
      }
      switch addedFaultHook(s, after, t) {
      case .fsnotifyHelper:
        return explained(
          "handle_mm_fault → do_shared_fault → __do_fault → xfs_filemap_fault → xfs_write_fault → filemap_fsnotify_fault",
          .helperHook(file: m.file, page: p))
      case .filemapFault:
        return explained(
          "handle_mm_fault → do_shared_fault → __do_fault → filemap_fault → "
            + (config.profile.faultHook == .everyFault
              ? "filemap_fsnotify_fault" : "maybe_unlock_mmap_for_io"),
          .faultHook(file: m.file, page: p))
      case nil: break
      }
      if after.tasks[t].path.contains(.daxPteFault(map: map, page: q)) {
        return explained(
          "handle_mm_fault → do_shared_fault → __do_fault → "
            + (config.filesystem.type == "xfs"
              ? "xfs_filemap_fault → xfs_write_fault(0)"
              : "ext4_dax_fault → ext4_dax_huge_fault(0)"),
          .daxWriteFault(file: m.file, page: p))
      }
      return explained(
        "handle_mm_fault → do_shared_fault → __do_fault → filemap_fault",
        .faultMapped(file: m.file, page: p, readIn: !s.inodes[m.file].cached[p], readahead: [])
      )
    case .wpHugePmd(let map, let q):
      let m = s.tasks[t].maps[map]!
      let base = filePage(m, q / Self.pmdPages * Self.pmdPages)
      let split = !after.tasks[t].maps[map]!.hasPMD(q)
      let handler =
        config.filesystem.type == "xfs" ? "xfs_filemap_huge_fault" : "ext4_dax_huge_fault"
      return explained(
        split
          ? "handle_mm_fault → __handle_mm_fault → wp_huge_pmd → __split_huge_pmd; VM_FAULT_FALLBACK → handle_pte_fault → do_wp_page → wp_page_shared"
          : "handle_mm_fault → __handle_mm_fault → wp_huge_pmd → \(handler)(PMD_ORDER)",
        .hugePmdWriteFault(file: m.file, first: base, pages: Self.pmdPages, split: split))
    case .pageMkwrite(let map, let q):
      let m = s.tasks[t].maps[map]!
      let p = filePage(m, q)
      if xfsMkwriteHookFails(m) {
        return explained(
          "do_page_mkwrite → xfs_filemap_page_mkwrite → xfs_write_fault → filemap_fsnotify_fault",
          .helperFailed(file: m.file, page: p))
      }
      let function =
        config.files[m.file].dax && m.hasPMD(q)
        ? "->huge_fault write branch: sb_start_pagefault → dax_iomap_fault → dax_iomap_pmd_fault"
        : "do_page_mkwrite → ->page_mkwrite → folio_mark_dirty"
      let page = after.inodes[m.file].content.page(p)
      return explained(
        function,
        .pageWritten(
          file: m.file, page: p, bytes: page, contents: contents(after.inodes[m.file].content, page)
        )
      )
    case .userRead(let map, let q):
      let m = s.tasks[t].maps[map]!
      let p = filePage(m, q)
      let page = s.inodes[m.file].content.page(p)
      return explained(
        "user load through the PTE",
        .pageRead(
          file: m.file, page: p, bytes: page, contents: contents(s.inodes[m.file].content, page),
          readIn: false, exempt: !m.hsm || s.tasks[t].implicitAllow))
    case .faultIn(let map, let q):
      let mapped = s.tasks[t].maps[map]!.hasPTE(q)
      return explained(
        "generic_perform_write → fault_in_iov_iter_readable",
        mapped ? .bufferMapped : .faultingIn(page: q))
    case .forceReadahead(let f, let first, let end, _):
      let pages = (first..<max(first, min(end, pagesBelowEOF(f, in: s)))).filter {
        !s.inodes[f].cached[$0]
      }
      return explained(
        "generic_fadvise → force_page_cache_ra → page_cache_ra_unbounded",
        .readahead(file: f, pages: pages))
    case .ret(let r):
      return explained(retFunction(s, t), .returned(r, expected: expected(s, t)))
    case .retTransferred:
      return explained(
        retFunction(s, t), .returned(.value(s.tasks[t].io?.done ?? 0), expected: expected(s, t)))
    }
  }

  /// The fsnotify helper that sends a notification event.
  static func noticeFunction(_ mask: EventMask) -> String {
    let helper: String
    if mask.contains(.FAN_ACCESS) {
      helper = "fsnotify_access"
    } else if mask.contains(.FAN_MODIFY) {
      helper = "fsnotify_modify"
    } else if !mask.isDisjoint(with: [.FAN_CLOSE_WRITE, .FAN_CLOSE_NOWRITE]) {
      helper = "__fput → fsnotify_close"
    } else {
      helper = "vfs_open → fsnotify_open"
    }
    return helper + " → fsnotify → fanotify_handle_event → fsnotify_insert_event"
  }

  /// The contents of `bytes` of a file, in order, each once per run.
  private func contents(_ c: FileContent, _ bytes: Range<Int>) -> [PageContent] {
    c.runs(in: bytes).map(\.content)
  }

  /// A read fault of a DAX inode at PTE order: `ext4_dax_fault → ext4_dax_huge_fault(0)` or
  /// `xfs_filemap_fault → xfs_dax_read_fault`, the fault-hook profiles' `filemap_fsnotify_fault`,
  /// then `dax_iomap_fault`.
  private func explainDaxReadFault(
    map: Int, page q: Int, task t: Int, _ s: KernelState, _ after: KernelState,
    _ explained: (String, StepEffect) -> StepExplanation
  ) -> StepExplanation {
    let m = s.tasks[t].maps[map]!
    let p = filePage(m, q)
    let handler =
      "handle_mm_fault → do_read_fault → __do_fault → "
      + (config.filesystem.type == "xfs"
        ? "xfs_filemap_fault → xfs_dax_read_fault" : "ext4_dax_fault → ext4_dax_huge_fault(0)")
    if pastEOF(m, page: p, in: s) {
      return explained(handler, .faultFailed(file: m.file, page: p, pastEOF: true))
    }
    if addedFaultHook(s, after, t) != nil {
      return explained(handler + " → filemap_fsnotify_fault", .helperHook(file: m.file, page: p))
    }
    if !(after.tasks[t].maps[map]?.hasPTE(q) ?? false) {
      return explained(handler + " → filemap_fsnotify_fault", .helperFailed(file: m.file, page: p))
    }
    return explained(
      handler + " → dax_iomap_fault → dax_iomap_pte_fault",
      .daxPteMapped(file: m.file, page: p, write: false))
  }

  /// The site of the fault hook whose event the step just put on task `t`'s path, if any.
  private func addedFaultHook(_ s: KernelState, _ after: KernelState, _ t: Int) -> FaultHookSite? {
    let added = after.tasks[t].path.count - (s.tasks[t].path.count - 1)
    for step in after.tasks[t].path.prefix(max(0, added)) {
      if case .notify(let n) = step, let site = n.faultSite { return site }
    }
    return nil
  }

  private func isOpen(_ s: KernelState, _ t: Int) -> Bool {
    s.tasks[t].path.contains { if case .doDentryOpen = $0 { return true } else { return false } }
  }

  /// Whether task `t` holds `lock` exclusively: rwsems say so; `mmap_lock` is taken for writing
  /// only by `mmap` itself (faults and `get_user_pages` read-lock it).
  private func holdsExclusive(_ lock: KernelLock, _ s: KernelState, _ t: Int) -> Bool {
    switch lock {
    case .i_rwsem(let f): return s.inodes[f].iRwsem.writer == t
    case .invalidate_lock(let f): return s.inodes[f].invalidateLock.writer == t
    case .mmap_lock:
      guard t < appTaskCount, s.tasks[t].pc < config.tasks[t].program.count else { return false }
      if case .mmap = config.tasks[t].program[s.tasks[t].pc].syscall { return true }
      return false
    default: return true
    }
  }

  private func expected(_ s: KernelState, _ t: Int) -> ExpectedResult? {
    t < appTaskCount ? config.tasks[t].program[s.tasks[t].pc].expected : nil
  }

  private func retFunction(_ s: KernelState, _ t: Int) -> String {
    let fPos = s.tasks[t].held.contains {
      if case .f_pos_lock = $0 { return true } else { return false }
    }
    return fPos ? "fdput_pos → syscall_exit_to_user_mode" : "syscall_exit_to_user_mode"
  }

  static func entryFunction(_ syscall: Syscall) -> String {
    switch syscall {
    case .open: return "do_sys_openat2 → do_filp_open → path_openat → do_open"
    case .read: return "ksys_read → fdget_pos → vfs_read → rw_verify_area"
    case .pread: return "ksys_pread64 → vfs_read → rw_verify_area"
    case .readv: return "do_readv → fdget_pos → vfs_readv → rw_verify_area"
    case .preadv: return "do_preadv → vfs_readv → rw_verify_area"
    case .write: return "ksys_write → fdget_pos → vfs_write → rw_verify_area"
    case .pwrite: return "ksys_pwrite64 → vfs_write → rw_verify_area"
    case .writev: return "do_writev → fdget_pos → vfs_writev → rw_verify_area"
    case .ftruncate: return "do_sys_ftruncate → do_ftruncate"
    case .truncate: return "do_sys_truncate → vfs_truncate"
    case .fallocate: return "ksys_fallocate → vfs_fallocate"
    case .mmap: return "ksys_mmap_pgoff → vm_mmap_pgoff"
    case .sendfile: return "do_sendfile → rw_verify_area"
    case .spliceToPipe: return "__do_splice → do_splice → rw_verify_area"
    case .spliceFromPipe: return "__do_splice → do_splice → rw_verify_area"
    case .copyFileRange: return "vfs_copy_file_range → generic_copy_file_checks → rw_verify_area"
    case .remap(_, _, _, _, _, true):
      return "ioctl_file_dedupe_range → vfs_dedupe_file_range_one → remap_verify_area"
    case .remap: return "ioctl_file_clone → vfs_clone_file_range → remap_verify_area"
    case .mremap: return "sys_mremap → mremap_to / vma_expand"
    case .close: return "close_fd → filp_close"
    case .fanotifyMark(_, let flags):
      return flags.contains(.FAN_MARK_REMOVE)
        ? "do_fanotify_mark → fanotify_remove_mark" : "do_fanotify_mark → fanotify_add_mark"
    case .freeze: return "ioctl_fsfreeze"
    case .thaw: return "ioctl_fsthaw"
    case .kill: return "kill_pid_info → send_signal"
    case .exec: return "do_execveat_common → bprm_execve"
    case .load(_, _, .allowRetry): return "user load → do_user_addr_fault"
    case .load(_, _, .retryNowait): return "get_user_pages(FOLL_NOWAIT) → handle_mm_fault"
    case .load(_, _, .noRetry): return "get_user_pages → faultin_page → handle_mm_fault"
    case .store: return "user store → do_user_addr_fault"
    case .madviseHugepage: return "do_madvise → hugepage_madvise"
    case .fadviseWillneed: return "ksys_fadvise64_64 → vfs_fadvise"
    case .readahead: return "ksys_readahead → vfs_fadvise"
    case .madviseWillneed: return "do_madvise → madvise_willneed → vfs_fadvise"
    case .pwriteFromMap: return "ksys_pwrite64 → vfs_write → rw_verify_area"
    case .getdents: return "ksys_getdents64 → iterate_dir → fsnotify_file_perm"
    }
  }

  static func notifyFunction(_ n: Notification) -> String {
    let tail = "fsnotify → fanotify_handle_event"
    if n.isTruncate { return "fsnotify_truncate_perm → fsnotify_pre_content → " + tail }
    if n.fatalDenial {
      return "elf_map → vm_mmap → vm_mmap_pgoff → fsnotify_mmap_perm → fsnotify_pre_content → "
        + tail
    }
    switch n.mask {
    case .FAN_PRE_ACCESS: return "fsnotify_file_area_perm → fsnotify_pre_content → " + tail
    case .FAN_ACCESS_PERM: return "fsnotify_file_area_perm → fsnotify_path → " + tail
    default: return "fsnotify_open_perm_and_set_mode → " + tail
    }
  }

  static func lockFunction(
    _ lock: KernelLock, exclusive: Bool, opening: Bool, pagefault: Bool = false
  ) -> String {
    switch lock {
    case .sb_writers:
      if pagefault { return "sb_start_pagefault" }
      return opening ? "mnt_want_write → sb_start_write" : "file_start_write → sb_start_write"
    case .i_rwsem: return exclusive ? "inode_lock" : "inode_lock_shared"
    case .invalidate_lock:
      return exclusive ? "filemap_invalidate_lock" : "filemap_invalidate_lock_shared"
    case .mmap_lock: return exclusive ? "mmap_write_lock_killable" : "mmap_read_lock"
    case .f_pos_lock: return "fdget_pos"
    case .cred_guard_mutex: return "prepare_bprm_creds → mutex_lock(cred_guard_mutex)"
    case .fs_fault_lock:
      return "->fault → the filesystem's fault lock (gfs2_glock_nq / bch2_pagecache_add_get)"
    case .folio_lock: return "filemap_fault → lock_folio_maybe_drop_mmap → folio_lock"
    case .daemon_mutex: return "pthread_mutex_lock"
    }
  }

  static func unlockFunction(_ lock: KernelLock, exclusive: Bool, pagefault: Bool = false)
    -> String
  {
    switch lock {
    case .sb_writers: return pagefault ? "sb_end_pagefault" : "sb_end_write"
    case .i_rwsem: return exclusive ? "inode_unlock" : "inode_unlock_shared"
    case .invalidate_lock:
      return exclusive ? "filemap_invalidate_unlock" : "filemap_invalidate_unlock_shared"
    case .mmap_lock: return exclusive ? "mmap_write_unlock" : "mmap_read_unlock"
    case .f_pos_lock: return "fdput_pos"
    case .cred_guard_mutex: return "setup_new_exec → mutex_unlock(cred_guard_mutex)"
    case .fs_fault_lock: return "the filesystem's fault unlock"
    case .folio_lock: return "folio_unlock"
    case .daemon_mutex: return "pthread_mutex_unlock"
    }
  }
}
