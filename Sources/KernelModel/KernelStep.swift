/// A step label: what a task does next.
///
/// Each task has at most one enabled step at a time, so the label only has to say which: a new
/// syscall, a listener taking an event, or the current step of the current path. Labels of one
/// task are equal in two states exactly when the task would take the same step.
public enum KernelStep: Hashable, Sendable, Codable {
  /// Syscall entry of an application task: instruction `pc` starts, with its `choice`-th syscall.
  case syscallEntry(pc: Int, choice: Int)
  /// `fanotify_read() → copy_event_to_user()`: a listener takes the oldest queued event.
  case fanotifyRead
  /// The current step of the task's path.
  case step(PathStep)
}

/// One atomic kernel step of a syscall path; a path is a list of these (design §3.1).
public enum PathStep: Hashable, Sendable, Codable {
  // Permission events (fsnotify).
  /// `fsnotify() → fanotify_handle_event()`: queue the event to the next interested group.
  case notify(Notification)
  /// `fanotify_get_response()`: sleep until the group answers.
  case awaitResponse(Notification)
  /// `fsnotify_access`/`fsnotify_modify`/`fsnotify_open`/`fsnotify_close`: a notification event
  /// queued (or merged) to every group whose marks ask for it; nobody waits. With
  /// `ifTransferred`, only when the operation moved at least one byte (`if (ret > 0)`).
  case notice(mask: EventMask, file: Int, ifTransferred: Bool)
  /// `notify_change → fsnotify_change`: FS_MODIFY carrying an inode, not a path, so no group
  /// that reports fds gets it; it still clears the ignore masks that do not survive
  /// modification (measured on 6.18: a truncate sends no FAN_MODIFY).
  case inodeModified(file: Int)

  // Locks.
  /// Acquire a lock; blocks while it is unavailable.
  case lock(KernelLock, exclusive: Bool)
  case unlock(KernelLock)

  // Page cache and file content.
  /// `filemap_read()` for one page of the io file: `filemap_get_pages()` (reading the folio in
  /// when it is not cached), then `copy_folio_to_iter()` — the observation I2 checks. Ends the
  /// read at EOF.
  case filemapRead(file: Int, page: Int)
  /// `generic_write_checks()`: resolve O_APPEND, check the size limit, lay out the page writes.
  case writeChecks
  /// `generic_perform_write()` for one page of the io file (a listener's write fills stub pages).
  case writeFolio(file: Int, page: Int)
  /// `truncate_setsize()`: new `i_size`; whole pages past it are dropped.
  case setSize(file: Int, size: Int)
  /// `i_size_write()` growing the file to at least `size` (fallocate without KEEP_SIZE).
  case extendSize(file: Int, size: Int)
  /// `->fallocate` punching or zeroing bytes `[start, end)`, then `truncate_pagecache_range()`:
  /// the bytes become a hole; whole pages inside leave the page cache and every mapping, partial
  /// ones stay cached with the bytes zeroed.
  case punchHole(file: Int, start: Int, end: Int)
  /// `ext4_collapse_range` (`insert` false) or `ext4_insert_range`: bytes `[offset, offset +
  /// length)` disappear and the rest moves down, or a hole of `length` appears at `offset` and
  /// the rest moves up; the page cache from `offset` on is dropped and unmapped.
  case shiftRange(file: Int, offset: Int, length: Int, insert: Bool)
  /// The file would grow past the size the scenario lets it reach (`max`): the task stops here
  /// and the run is incomplete (property `size-bound`), never a wrong errno.
  case sizeBound(file: Int)

  /// `do_splice_direct()` write side: the bytes read so far land in `outSlot`'s file at `outPos`.
  case spliceWrite(outSlot: Int, outPos: Int)
  /// `->remap_file_range` (`xfs_file_remap_range`, `btrfs_remap_file_range`) after
  /// `generic_remap_file_range_prep`: the destination's bytes now share the source's extents
  /// (stubs included); a dedupe shares only identical bytes and changes no content.
  case remapRange(
    inSlot: Int, inPos: Int, outSlot: Int, outPos: Int, length: Int, dedupe: Bool)
  /// `mremap_to`/`vma_expand`: mapping `map` now covers `length` bytes.
  case mremapVma(map: Int, length: Int)

  // Files, mappings, marks.
  /// `do_dentry_open() → fsnotify_open_perm_and_set_mode()`: decide the notify mode, then queue
  /// FAN_OPEN_PERM if marked, truncate for O_TRUNC, and install the fd.
  case doDentryOpen(file: Int, flags: OpenFlags, slot: Int)
  /// `do_open_execat() → do_dentry_open()`: decide the binary's mode, queue FAN_OPEN_EXEC_PERM
  /// and FAN_OPEN_PERM if marked, then the rest of exec.
  case openExec(file: Int)
  /// `elf_map → vm_mmap` has mapped bytes `[offset, offset + length)` of an HSM-mode binary
  /// into the new image: user space can see them (I2 checks them for stubs).
  case execMap(file: Int, offset: Int, length: Int)
  /// `exe_file_deny_write_access()`: skipped for an HSM-mode binary (§3.5); otherwise ETXTBSY
  /// while the file is open for write.
  case denyWriteAccess(file: Int, mode: NotifyMode)
  /// `fd_install()` puts the opened file in its slot.
  case installFd(slot: Int, file: OpenFile)
  /// `mmap_region()`: the mapping exists.
  case mmapRegion(slot: Int, offset: Int, length: Int, map: Int)

  // Listener actions.
  /// `fanotify_write() → process_access_response()`.
  case respond(UInt32)
  /// `close(event_fd)`.
  case closeEventFd
  /// `close(fanotify_fd) → fanotify_release()`: pending events answered FAN_ALLOW.
  case closeGroup
  /// `pthread_create()` / a work queue: the event, its fd and the rest of the program go to an
  /// idle helper thread of the daemon; the worker goes back to `fanotify_read`.
  case handOff

  // Freezer.
  /// `freeze_super() → sb_wait_write()` begins: new `sb_start_write` callers block.
  case freezeSuper
  /// `sb_wait_write()` completes once every writer left: the filesystem is frozen.
  case freezeWait
  /// `thaw_super() → sb_freeze_unlock()`.
  case thawSuper

  // Page faults (profiles with fault hooks, kernel-semantics §3.3, §4.2).
  /// `do_read_fault`: fault-around, then `filemap_fault` with the hook placed per profile; with
  /// the hook it drops `mmap_lock`, emits, and returns VM_FAULT_RETRY for a FAULT_FLAG_TRIED retry.
  case doReadFault(map: Int, page: Int, tried: Bool, flags: FaultRetryFlags = .allowRetry)
  /// `__handle_mm_fault → create_huge_pud`/`create_huge_pmd → ->huge_fault(order)` for a read
  /// fault on a DAX inode (`ext4_dax_huge_fault`, `xfs_filemap_huge_fault` → `dax_iomap_fault`):
  /// a PMD mapping, or VM_FAULT_FALLBACK to the next smaller order.
  case hugeFault(map: Int, page: Int, order: HugeOrder, tried: Bool, flags: FaultRetryFlags)
  /// `do_shared_fault`: the filesystem's write-fault handler (`filemap_fault` or
  /// `xfs_write_fault`, the hook placed per profile), then `do_page_mkwrite`.
  case doWriteFault(map: Int, page: Int, tried: Bool)
  /// `wp_huge_pmd`: a store to a page mapped by a read-only huge PMD. `__split_huge_pmd` then
  /// VM_FAULT_FALLBACK to the PTE-level write fault, or a DAX inode's `->huge_fault(PMD_ORDER)`.
  case wpHugePmd(map: Int, page: Int)
  /// `->page_mkwrite` (under `sb_start_pagefault`): the page becomes written and dirty.
  case pageMkwrite(map: Int, page: Int)
  /// `dax_iomap_fault → dax_iomap_pte_fault` in a DAX inode's write-fault branch
  /// (`ext4_dax_huge_fault(vmf, 0)`, `xfs_write_fault(vmf, 0)`, under `sb_start_pagefault`): a
  /// writable PTE maps the storage itself and the store writes the page; no page cache, no
  /// `->page_mkwrite`.
  case daxPteFault(map: Int, page: Int)
  /// The user-space load reads the mapped page (the observation I2 checks).
  case userRead(map: Int, page: Int)
  /// `fault_in_iov_iter_readable` of a write's user buffer page: a fault when it has no PTE.
  case faultIn(map: Int, page: Int)
  /// `force_page_cache_ra`: pages `first..<end` of the file become uptodate folios.
  case forceReadahead(file: Int, first: Int, end: Int, hsm: Bool)

  /// Return to user space with this result (releases what the syscall still holds).
  case ret(SyscallResult)
  /// Return the number of bytes transferred so far.
  case retTransferred
}

/// One permission-event walk over the groups (`fsnotify()` for one mask).
public struct Notification: Hashable, Sendable, Codable {
  public var mask: EventMask
  public var range: EventRange?
  public var file: Int
  /// Position in `KernelSystem.deliveryOrder` of the next (or current) group.
  public var cursor: Int
  /// The bytes really accessed, for range soundness (I11); nil without a position.
  public var access: ByteSpan?
  /// The operation goes through an FMODE_NONOTIFY fd or a listener's event fd (I4).
  public var viaSilentFd: Bool
  /// A truncate hook: gated on the superblock (any PRE_CONTENT watcher), not on the fd's mode.
  public var isTruncate: Bool
  /// Emitted after exec's point of no return (`elf_map`): a denial cannot fail the syscall any
  /// more, so the task dies (`force_fatal_sig(SIGSEGV)`).
  public var fatalDenial = false
  /// The errno a denial makes the syscall return, when not the answer's own: `load_elf_phdrs`
  /// returns NULL on a failed read, so `load_elf_binary` returns ENOEXEC (measured on 6.18).
  public var deniedErrno: Errno? = nil
  /// Emitted while exec holds its binary open (`bprm->file`): a denial fails the exec, whose
  /// `fput` closes the binary (FAN_CLOSE_NOWRITE, measured on 6.18) before it returns.
  public var closesExecFile = false
  /// The page-fault hook that emitted it; nil for a syscall's hook.
  public var faultSite: FaultHookSite?

  /// Emitted by a page fault: a denial gives SIGBUS (EFAULT for a kernel access), or, from
  /// `filemap_fault`'s own hook, is lost where the profile has B9.
  public var fault: Bool { faultSite != nil }
}

/// Which page-fault hook emitted an event: they differ in what a denial does.
public enum FaultHookSite: UInt8, Hashable, Sendable, Codable {
  /// `filemap_fault`'s own hook (v2 to 6.14-rc1). From v7 a denial sets VM_FAULT_SIGBUS and
  /// still leaves through `out_retry`, so the fault returns SIGBUS|VM_FAULT_RETRY and the retry
  /// maps the page (B9; read in v7 15/18, v8 16/19, v9 15/19 and the 6.14-rc7 revert).
  case filemapFault
  /// `filemap_fsnotify_fault`, the helper that filesystems with their own `->fault` call (the DAX
  /// read faults of ext4 and xfs, `xfs_write_fault`): a denial returns VM_FAULT_SIGBUS alone
  /// (read in the same postings and the revert).
  case fsnotifyHelper
}

/// A byte range `[pos, pos + len)`.
public struct ByteSpan: Hashable, Sendable, Codable {
  public var pos: Int
  public var len: Int

  public init(pos: Int, len: Int) {
    self.pos = pos
    self.len = len
  }
}

/// The order of a huge fault (`PMD_ORDER`, `PUD_ORDER`).
public enum HugeOrder: UInt8, Hashable, Sendable, Codable {
  case pmd
  case pud

  /// The kernel constant's name.
  public var name: String { self == .pmd ? "PMD_ORDER" : "PUD_ORDER" }
}

/// What the caller of `handle_mm_fault` lets a fault do with `mmap_lock` (`FAULT_FLAG_*`).
public enum FaultRetryFlags: UInt8, Hashable, Sendable, Codable {
  /// FAULT_FLAG_ALLOW_RETRY (a user page fault, GUP with FOLL_UNLOCKABLE): the fault may drop
  /// `mmap_lock`, wait, and return VM_FAULT_RETRY.
  case allowRetry
  /// FAULT_FLAG_ALLOW_RETRY | FAULT_FLAG_RETRY_NOWAIT (GUP with FOLL_NOWAIT): a fault that would
  /// wait returns VM_FAULT_RETRY at once, the lock still held.
  case retryNowait
  /// FAULT_FLAG_ALLOW_RETRY clear (GUP without FOLL_UNLOCKABLE, `fixup_user_fault` without
  /// `unlocked`): `mmap_lock` may not be dropped and VM_FAULT_RETRY is not expected (B10).
  case noRetry
}
