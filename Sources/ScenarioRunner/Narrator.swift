import Exploration
import KernelModel

/// Turns steps into text in kernel terms: the one place model values become words.
public struct Narrator: Sendable {
  public let system: KernelSystem

  public init(system: KernelSystem) { self.system = system }

  /// One narrated step.
  public struct Line: Hashable, Sendable {
    public var task: String
    public var kernelFunction: String
    public var description: String
    public var locksHeld: [String]
    /// The step in a few words, for the chart.
    public var brief: String
  }

  /// Narrates every step of a replayed path.
  public func narrate(_ replay: Replay<KernelSystem>) -> [Line] {
    zip(replay.transitions, replay.states).map { t, s in narrate(system.explain(t, in: s)) }
  }

  public func narrate(_ e: StepExplanation) -> Line {
    Line(
      task: system.taskName(e.task), kernelFunction: e.kernelFunction,
      description: describe(e), locksHeld: e.locksHeld.map(lockText), brief: brief(e))
  }

  var config: KernelConfig { system.config }

  func fileName(_ f: Int) -> String { config.files[f].name }
  func groupName(_ g: Int) -> String { config.groups[g].name }
  func listenerGroup(_ t: Int) -> Int { system.listenerGroup(ofTask: t) ?? 0 }
  func mutexName(_ g: Int, _ id: Int) -> String {
    let names = config.groups[g].listener?.mutexNames ?? []
    return id < names.count ? names[id] : "mutex \(id)"
  }

  /// A lock as lockdep would name it, with its object: `i_rwsem(data)`.
  public func lockText(_ lock: KernelLock) -> String {
    switch lock {
    case .i_rwsem(let f), .invalidate_lock(let f): return "\(lock.className)(\(fileName(f)))"
    case .fs_fault_lock(let f):
      return "\(config.filesystem.type) \(config.filesystem.faultLock ?? "lock")(\(fileName(f)))"
    case .folio_lock(let f, let p): return "folio_lock(page \(p) of \(fileName(f)))"
    case .daemon_mutex(let g, let id): return "pthread_mutex(\(mutexName(g, id)))"
    default: return lock.className
    }
  }

  /// The C-like text of instruction `pc` (its `choice`-th syscall) of application task `t`.
  public func syscallText(task t: Int, pc: Int, choice: Int = 0) -> String {
    syscallText(config.tasks[t].program[pc].choices[choice], task: t)
  }

  /// The C-like text of a syscall issued by task `t`.
  public func syscallText(_ syscall: Syscall, task t: Int) -> String {
    func fd(_ slot: Int) -> String {
      if t < system.appTaskCount { return config.tasks[t].fdNames[slot] }
      return slot == 1 ? "event_fd" : "fd"
    }
    func map(_ slot: Int) -> String { config.tasks[t].mapNames[slot] }
    func list(_ counts: [Int]) -> String {
      "[" + counts.map(String.init).joined(separator: ", ") + "]"
    }
    switch syscall {
    case .open(let file, let flags, _): return "openat(\(fileName(file)), \(flags))"
    case .read(let s, let count): return "read(\(fd(s)), \(count))"
    case .pread(let s, let offset, let count): return "pread64(\(fd(s)), \(count), \(offset))"
    case .readv(let s, let counts): return "readv(\(fd(s)), \(list(counts)))"
    case .preadv(let s, let offset, let counts):
      return "preadv(\(fd(s)), \(list(counts)), \(offset))"
    case .write(let s, let count): return "write(\(fd(s)), \(count))"
    case .pwrite(let s, let offset, let count): return "pwrite64(\(fd(s)), \(count), \(offset))"
    case .writev(let s, let counts): return "writev(\(fd(s)), \(list(counts)))"
    case .ftruncate(let s, let length): return "ftruncate(\(fd(s)), \(length))"
    case .truncate(let file, let length): return "truncate(\(fileName(file)), \(length))"
    case .fallocate(let s, let mode, let offset, let length):
      return "fallocate(\(fd(s)), \(mode), \(offset), \(length))"
    case .mmap(let s, let offset, let length, let m):
      return "\(map(m)) = mmap(\(length), PROT_READ, MAP_SHARED, \(fd(s)), \(offset))"
    case .sendfile(let out, let inSlot, let offset, let count):
      return "sendfile(\(fd(out)), \(fd(inSlot)), \(offset.map(String.init) ?? "NULL"), \(count))"
    case .spliceToPipe(let s, let offset, let count):
      return "splice(\(fd(s)), \(offset), pipe, \(count))"
    case .spliceFromPipe(let s, let offset, let count):
      return "splice(pipe, \(fd(s)), \(offset), \(count))"
    case .copyFileRange(let inSlot, let inOffset, let out, let outOffset, let count):
      return "copy_file_range(\(fd(inSlot)), \(inOffset), \(fd(out)), \(outOffset), \(count))"
    case .getdents(let s): return "getdents64(\(fd(s)))"
    case .remap(let inSlot, let inOffset, let out, let outOffset, let length, let dedupe):
      if dedupe {
        return
          "ioctl(\(fd(inSlot)), FIDEDUPERANGE, {\(inOffset), \(length), \(fd(out)), \(outOffset)})"
      }
      if length == 0 && inOffset == 0 && outOffset == 0 {
        return "ioctl(\(fd(out)), FICLONE, \(fd(inSlot)))"
      }
      return
        "ioctl(\(fd(out)), FICLONERANGE, {\(fd(inSlot)), \(inOffset), \(length), \(outOffset)})"
    case .mremap(let m, let length):
      return "mremap(\(map(m)), \(length), MREMAP_MAYMOVE)"
    case .close(let s): return "close(\(fd(s)))"
    case .fanotifyMark(let m, let flags): return markText(m, flags: flags)
    case .freeze: return "ioctl(FIFREEZE)"
    case .thaw: return "ioctl(FITHAW)"
    case .kill(let victim): return "kill(\(system.taskName(victim)), SIGKILL)"
    case .load(let m, let offset, .allowRetry): return "load \(map(m))[\(offset)]"
    case .load(let m, let offset, .retryNowait):
      return "get_user_pages(\(map(m)) + \(offset), FOLL_NOWAIT)"
    case .load(let m, let offset, .noRetry): return "get_user_pages(\(map(m)) + \(offset), 0)"
    case .madviseHugepage(let m): return "madvise(\(map(m)), MADV_HUGEPAGE)"
    case .madviseWillneed(let m): return "madvise(\(map(m)), MADV_WILLNEED)"
    case .readahead(let s, let offset, let count):
      return "readahead(\(fd(s)), \(offset), \(count))"
    case .store(let m, let offset): return "store \(map(m))[\(offset)]"
    case .fadviseWillneed(let s, let offset, let length):
      return "fadvise64(\(fd(s)), \(offset), \(length), POSIX_FADV_WILLNEED)"
    case .pwriteFromMap(let s, let offset, let count, let m, let mapOffset):
      return "pwrite64(\(fd(s)), \(map(m)) + \(mapOffset), \(count), \(offset))"
    case .exec(let file): return "execve(\(fileName(file)))"
    }
  }

  func markText(_ m: Mark, flags: MarkFlags = []) -> String {
    let object: String
    switch m.object {
    case .inode(let file): object = fileName(file)
    case .directory: object = "the directory"
    case .mount: object = "FAN_MARK_MOUNT"
    case .filesystem: object = "FAN_MARK_FILESYSTEM"
    }
    return "fanotify_mark(\(groupName(m.group)), \(flags), \(m.mask), \(object))"
  }

  public func rangeText(_ r: EventRange?) -> String {
    r.map { "offset \($0.offset) count \($0.count)" } ?? "no range"
  }

  public func resultText(_ r: SyscallResult) -> String {
    switch r {
    case .value(let v): return "\(v)"
    case .error(let e): return "-\(e.name)"
    }
  }

  func modeText(_ m: NotifyMode) -> String {
    switch m {
    case .none: return "FMODE_NONOTIFY (no events)"
    case .noPerm: return "FMODE_NONOTIFY_PERM (no permission events)"
    case .hsm: return "FMODE_NONOTIFY_HSM (pre-content events)"
    case .allPerm: return "mode 0 (pre-content and FAN_ACCESS_PERM)"
    }
  }

  func outcomeText(_ o: ResponseValidation.WaiterOutcome) -> String {
    switch o {
    case .allow: return "allowed"
    case .deny(let e): return "denied with \(e.name)"
    }
  }

  /// The call a step belongs to: the application's syscall or the listener's call.
  func callText(_ e: StepExplanation) -> String {
    if let pc = e.instruction { return syscallText(task: e.task, pc: pc, choice: e.choice) }
    switch e.listenerCall {
    case .syscall(let s): return syscallText(s, task: e.task)
    case .respond, .respondElse: return "write(fanotify_fd)"
    case .closeEventFd: return "close(event_fd)"
    case .closeGroup: return "close(fanotify_fd)"
    case .spawn: return "hand off to a helper thread"
    case .lock(let id): return "pthread_mutex_lock(&\(mutexName(listenerGroup(e.task), id)))"
    case .unlock(let id): return "pthread_mutex_unlock(&\(mutexName(listenerGroup(e.task), id)))"
    case nil: return ""
    }
  }

  func describe(_ e: StepExplanation) -> String {
    let call = callText(e)
    switch e.effect {
    case .entered:
      return call
    case .openModeDecided(let mode, _):
      return "\(call): \(modeText(mode))"
    case .queued(let g, let mask, let range):
      return "\(mask) (\(rangeText(range))) queued to \(groupName(g)); waits"
    case .overflowed(let g):
      return "\(groupName(g))'s queue is full: event dropped, access allowed (B17)"
    case .inodeModified(let f):
      return "FS_MODIFY on \(fileName(f))'s inode: no event for fd-reporting groups; ignore "
        + "masks that do not survive modification are cleared"
    case .overflowRead:
      return "reads FAN_Q_OVERFLOW (no fd): events were dropped"
    case .eventFdFailed(_, let waiter, let mask, let e):
      let whose = waiter.map { " of \(system.taskName($0))" } ?? ""
      return "reads \(mask)\(whose), but create_fd fails with \(e.name)"
        + (waiter == nil ? "" : ": the event is answered FAN_DENY (B20)")
    case .noticed(let mask, let f, let groups):
      guard !groups.isEmpty else { return "\(mask) on \(fileName(f)): no group watches it" }
      return "\(mask) on \(fileName(f)) queued to "
        + groups.map(groupName).joined(separator: ", ")
        + " (merged into an unread one of the same task if any)"
    case .walkEnded:
      return "no group watches any more; goes on"
    case .woke(let g, let outcome, let implicit):
      return "wakes: \(groupName(g)) \(outcomeText(outcome))" + (implicit ? " (group closed)" : "")
    case .faultDenied(let g, let e, .fsnotifyHelper, _):
      return
        "wakes: \(groupName(g)) denied with \(e.name): filemap_fsnotify_fault returns VM_FAULT_SIGBUS"
    case .faultDenied(let g, let e, .filemapFault, true):
      return
        "wakes: \(groupName(g)) denied with \(e.name): filemap_fault sets VM_FAULT_SIGBUS, leaves through out_retry (SIGBUS|VM_FAULT_RETRY), and the retry maps the page (B9)"
    case .faultDenied(let g, let e, .filemapFault, false):
      return "wakes: \(groupName(g)) denied with \(e.name): filemap_fault returns VM_FAULT_SIGBUS"
    case .execDeniedFatally(let g, let e):
      return "wakes: \(groupName(g)) denied with \(e.name) after exec's point of no return: "
        + "SIGSEGV, the task dies"
    case .killedWhileWaiting:
      return "fatal signal: the wait ends, the event is cancelled, the task exits"
    case .locked(let lock):
      return "takes \(lockText(lock))"
    case .unlocked(let lock):
      return "releases \(lockText(lock))"
    case .freezing:
      return "freeze begins: new sb_start_write callers block"
    case .frozen:
      return "every writer left: filesystem frozen"
    case .thawed:
      return "filesystem thawed"
    case .pageRead(let f, let page, let bytes, let contents, let readIn, let exempt):
      let whole = bytes.count == Fanotify.pageSize
      let part = whole ? "" : "bytes \(bytes.lowerBound)..<\(bytes.upperBound) of "
      let what =
        (readIn
          ? "reads page \(page) of \(fileName(f)) in and copies \(whole ? "it" : part + "it")"
          : "copies \(part)page \(page) of \(fileName(f))") + " to user space"
      guard contents.contains(.remote) else {
        return "\(what) (\(contents.map(\.rawValue).joined(separator: "+")))"
      }
      return exempt
        ? "\(what): STUB content, exempt (known gap I2(c))"
        : "\(what): STUB content the listener never filled (I2)"
    case .endOfFile:
      return "end of file"
    case .writeChecked(let pos):
      return "writes at offset \(pos)"
    case .pageWritten(let f, let page, let bytes, let contents):
      let part =
        bytes.count == Fanotify.pageSize
        ? "" : " (bytes \(bytes.lowerBound)..<\(bytes.upperBound) written)"
      return "page \(page) of \(fileName(f)) is now "
        + contents.map(\.rawValue).joined(separator: "+") + part
    case .sizeSet(let f, let size):
      return "i_size of \(fileName(f)) = \(size)"
    case .holePunched(let f, let start, let end):
      return "bytes \(start)..<\(end) of \(fileName(f)) become a hole"
    case .rangeShifted(let f, let offset, let length, let insert):
      return insert
        ? "a hole of \(length) bytes opens at \(offset) of \(fileName(f)); the rest moves up"
        : "bytes \(offset)..<\(offset + length) of \(fileName(f)) are removed; the rest moves down"
    case .sizeBoundHit(let f, let maxSize):
      return "\(fileName(f)) would grow past its max of \(maxSize) bytes: the task stops here "
        + "(model bound, run incomplete)"
    case .spliced(let f, let bytes):
      return "\(bytes) bytes land in \(fileName(f))"
    case .fdInstalled(_, let mode):
      return "fd installed, \(modeText(mode))"
    case .mapped(_, let notified):
      return notified
        ? "mapping created (range announced)" : "mapping created without an allowed event"
    case .remapped(let src, let bytes, let contents, let dst, let at, let dedupe):
      let range = "bytes \(bytes.lowerBound)..<\(bytes.upperBound) of \(fileName(src))"
      if dedupe { return "\(range) deduplicated into \(fileName(dst)) at \(at) (no content moves)" }
      let what = "\(range) now shared by \(fileName(dst)) at \(at)"
      return contents.contains(.remote)
        ? "\(what): STUB content the listener never filled leaves the file (I2)"
        : "\(what) (\(contents.map(\.rawValue).joined(separator: "+")))"
    case .remapRefused:
      return "the ranges are not block aligned, start past EOF or overlap: EINVAL"
    case .mappingResized(let map, let length):
      let name = e.task < system.appTaskCount ? config.tasks[e.task].mapNames[map] : "mapping"
      return "\(name) now covers \(length) bytes, with no event for the new range"
    case .execMapped(let f, let bytes, let contents):
      let what =
        "maps bytes \(bytes.lowerBound)..<\(bytes.upperBound) of \(fileName(f)) into the image"
      return contents.contains(.remote)
        ? "\(what): STUB content the listener never filled (I2)"
        : "\(what) (\(contents.map(\.rawValue).joined(separator: "+")))"
    case .writeDenial(let f, .skipped):
      return "\(fileName(f)) is in HSM mode: write denial skipped (exec exemption)"
    case .writeDenial(let f, .denied):
      return "writers of \(fileName(f)) now get ETXTBSY"
    case .writeDenial(let f, .busy):
      return "\(fileName(f)) is open for write: ETXTBSY"
    case .returned(let r, let expected):
      var text = "\(call) = \(resultText(r))"
      if let x = expected, !x.matches(r) { text += " (scenario expects \(x))" }
      return text
    case .eventRead(_, let waiter, let fd, let mask, let range):
      let what =
        mask.isDisjoint(with: .permissionEvents)
        ? "\(mask) of \(system.taskName(waiter))"
        : "\(mask) of \(system.taskName(waiter)) (\(rangeText(range)))"
      return "reads \(what) as event fd \(fd)"
    case .responded(_, let fd, let word, let result, _):
      let answer = "write({fd \(fd), \(ResponseValidation.describe(word))})"
      if case .error(let err) = result { return "\(answer) fails: \(err.name)" }
      return answer
    case .eventFdClosed(let fd):
      return "close(event fd \(fd))"
    case .handedOff(let fd, let helper):
      return "hands event fd \(fd) to \(system.taskName(helper))"
    case .groupClosed(_, let released):
      let names = released.map { system.taskName($0) }
      return "fanotify_release answers FAN_ALLOW to "
        + (names.isEmpty ? "nobody" : names.joined(separator: ", "))
    case .died:
      return "exits on its pending fatal signal"
    case .mappedByFaultAround(let f, let page):
      return
        "fault-around maps page \(page) of \(fileName(f)) from its uptodate folio: no ->fault, no event (B6)"
    case .faultHook(let f, let page):
      return
        "page \(page) of \(fileName(f)) not uptodate: the fault will emit once it has dropped mmap_lock, then return VM_FAULT_RETRY"
    case .helperHook(let f, let page):
      return
        "first try on pre-content watched \(fileName(f)), page \(page) there or not: the fault will emit once it has dropped mmap_lock, then return VM_FAULT_RETRY"
    case .helperFailed(let f, let page):
      return
        "first try on pre-content watched \(fileName(f)), page \(page), but this fault may not drop mmap_lock: VM_FAULT_SIGBUS, no event, even if the data is there"
    case .daxWriteFault(let f, let page):
      return
        "store to page \(page) of DAX \(fileName(f)): ->fault's write branch maps the storage itself (no page cache, no ->page_mkwrite)"
    case .daxPteMapped(let f, let page, let write):
      return write
        ? "maps page \(page) of \(fileName(f)) writable with a PTE to its storage; the store writes it"
        : "maps page \(page) of \(fileName(f)) with a PTE to its storage"
    case .faultHookUnderLock(let f, let page):
      return
        "page \(page) of \(fileName(f)) not uptodate: emits holding mmap_lock, which this fault may not drop"
    case .faultFailed(let f, let page, true):
      return "page \(page) of \(fileName(f)) is at or past EOF: VM_FAULT_SIGBUS, no event"
    case .faultFailed(let f, let page, false):
      return
        "page \(page) of \(fileName(f)) not uptodate, but this fault may not drop mmap_lock to wait: no event, nothing mapped"
    case .faultRetryLockHeld(let f, let page):
      return
        "page \(page) of \(fileName(f)) not uptodate: releases the folio lock and invalidate_lock, but may not drop mmap_lock: no event, VM_FAULT_RETRY with mmap_lock still held; faultin_page takes it as dropped and get_user_pages pins 0 pages"
    case .faultMapped(let f, let page, let readIn, let ahead):
      var text = "maps page \(page) of \(fileName(f))"
      if readIn { text += ", reading its folio in" }
      if !ahead.isEmpty {
        text += "; readahead makes pages \(ahead.map(String.init).joined(separator: ", ")) uptodate"
      }
      return text
    case .hugeFallback(let f, let page, let order, let hsm):
      return hsm
        ? "page \(page) of \(fileName(f)): \(order.name) refused for a pre-content watched file: VM_FAULT_FALLBACK"
        : "page \(page) of \(fileName(f)): no \(order.name) mapping here: VM_FAULT_FALLBACK to the next order"
    case .hugePmdWriteFault(let f, let first, let pages, let split):
      return split
        ? "store to the read-only PMD of pages \(first) to \(first + pages - 1) of \(fileName(f)): split into PTEs, VM_FAULT_FALLBACK to the PTE write fault"
        : "store to the read-only PMD of pages \(first) to \(first + pages - 1) of \(fileName(f)): ->huge_fault keeps the PMD"
    case .pmdMapped(let f, let first, let pages):
      return
        "maps pages \(first) to \(first + pages - 1) of \(fileName(f)) with one huge PMD (\(pages) pages in the model)"
    case .faultingIn(let page):
      return "the user buffer's page \(page) has no PTE: page fault inside the write"
    case .bufferMapped:
      return "the user buffer is mapped already"
    case .readahead(let f, let pages):
      return pages.isEmpty
        ? "nothing to read ahead"
        : "pages \(pages.map(String.init).joined(separator: ", ")) of \(fileName(f)) become uptodate folios (no event)"
    }
  }
}
