import Exploration

/// The canonical encoding of `KernelState` for fingerprints, written out by hand: the generic
/// `Codable` encoding costs most of a search's time. Every stored field is appended in
/// declaration order (the shared parts' task ids after the rest of them: `encodeShared`);
/// variable-length parts carry their length and enum cases a tag. A test
/// explores every scenario and checks that distinct states get distinct fingerprints, so a
/// field left out here cannot go unnoticed.
extension KernelSystem {
  public func encode(_ s: KernelState, into e: inout StateEncoder) {
    encodeShared(s, renaming: nil, into: &e)
    for t in s.tasks.indices {
      e.append(key(ofTask: t, in: s))
      e.optional(s.tasks[t].handling?.waiter)
    }
    encodeHistory(s.history, into: &e)
  }

  /// Task `t`'s own fingerprint: the key `apply` left beside it, or computed. A state is
  /// encoded hierarchically (the shared parts, then each task's key), so a step re-encodes only
  /// the tasks whose fields it set. (It takes the state and the task id, not a `TaskState`: a
  /// task passed by value is copied out of the array, all its bytes and references.)
  @inline(__always)
  func key(ofTask t: Int, in s: KernelState) -> Fingerprint {
    guard let key = s.tasks[t].key.fingerprint else { return Self.computeKey(of: s.tasks[t]) }
    assert(key == Self.computeKey(of: s.tasks[t]), "a task's key outlived a change of its fields")
    return key
  }

  static func computeKey(of task: borrowing TaskState) -> Fingerprint {
    var e = StateEncoder()
    task.encode(into: &e)
    return e.fingerprint
  }

  /// Everything but the tasks and the history, with task ids renamed by `renaming`: the
  /// fingerprint of the shared parts without their task ids, which `apply` keeps beside the
  /// state (`KernelState.sharedKey`) and no renaming changes, then the ids. So a step that
  /// changes only tasks re-encodes nothing shared, and symmetry's renamings only the ids.
  func encodeShared(_ s: KernelState, renaming: [Int]?, into e: inout StateEncoder) {
    e.append(sharedKey(of: s))
    encodeSharedTaskIDs(s, renaming: renaming, into: &e)
  }

  func sharedKey(of s: KernelState) -> Fingerprint {
    guard let key = s.sharedKey.fingerprint else { return computeSharedKey(of: s) }
    assert(key == computeSharedKey(of: s), "the shared key outlived a change")
    return key
  }

  func computeSharedKey(of s: KernelState) -> Fingerprint {
    var e = StateEncoder()
    encodeSharedBody(s, into: &e)
    return e.fingerprint
  }

  /// Computes the key of every task a step changed and of the shared parts if it changed them
  /// (each field forgets its key when set).
  func fillKeys(_ s: inout KernelState) {
    if s.sharedKey.fingerprint == nil {
      s.sharedKey.fingerprint = computeSharedKey(of: s)
    }
    s.tasks.withUnsafeMutableBufferPointer { tasks in
      for t in tasks.indices where tasks[t].key.fingerprint == nil {
        tasks[t].key.fingerprint = Self.computeKey(of: tasks[t])
      }
    }
  }

  /// The shared parts with every task id left out: inodes, marks, groups (an event's kind and
  /// details, not who waits or caused it), the freeze state and the observations. Where an id
  /// was left out, `encodeSharedTaskIDs` appends it in the same order, so the two together
  /// tell every two shared parts apart.
  func encodeSharedBody(_ s: KernelState, into e: inout StateEncoder) {
    e.append(s.inodes.count)
    for i in s.inodes { i.encodeBody(into: &e) }
    e.append(s.marks.count)
    for m in s.marks { m.encode(into: &e) }
    for g in s.groups {
      e.append(g.queue.count)
      for q in g.queue {
        switch q {
        case .permission: e.append(-3)
        case .overflow: e.append(-2)
        case .notice(let n):
          e.append(-1)
          e.append(UInt64(n.mask.rawValue))
          e.append(n.file)
        }
      }
      e.append(g.accessList.count)
      for a in g.accessList { e.append(a.fd) }
      e.append(g.closed)
      e.append(g.delivered)
    }
    e.append(s.sb.writers.count)
    switch s.sb.freeze {
    case .unfrozen: e.append(0)
    case .freezing: e.append(1)
    case .frozen: e.append(2)
    }
    // One value per observation, a fixed number: nothing at all without assertions.
    for v in s.observed { e.append(v) }
  }

  /// The task ids of the shared parts, renamed by `renaming`, in `encodeSharedBody`'s order.
  func encodeSharedTaskIDs(_ s: KernelState, renaming: [Int]?, into e: inout StateEncoder) {
    func id(_ t: Int) -> Int { renaming?[t] ?? t }
    s.inodes.withUnsafeBufferPointer { inodes in
      for i in inodes.indices {
        inodes[i].iRwsem.encode(into: &e, renaming: renaming)
        inodes[i].invalidateLock.encode(into: &e, renaming: renaming)
      }
    }
    s.groups.withUnsafeBufferPointer { groups in
      for g in groups.indices {
        groups[g].queue.withUnsafeBufferPointer { queue in
          for q in queue {
            switch q {
            case .permission(let t): e.append(id(t))
            case .overflow: break
            case .notice(let n): e.append(id(n.pid))
            }
          }
        }
        groups[g].accessList.withUnsafeBufferPointer { list in
          for a in list { e.append(id(a.waiter)) }
        }
      }
    }
    e.set(s.sb.writers, renaming: renaming)
    switch s.sb.freeze {
    case .unfrozen: break
    case .freezing(let by), .frozen(let by): e.append(id(by))
    }
  }

  func encodeHistory(_ h: History, into e: inout StateEncoder) {
    e.append(h.bits)
  }
}

extension History {
  /// Every flag, one bit each.
  var bits: UInt64 {
    @inline(__always) func bit(_ flag: Bool, _ i: UInt64) -> UInt64 { flag ? 1 << i : 0 }
    return bit(unnotifiedRead, 0) | bit(gapRead, 1) | bit(answerDiscipline, 2)
      | bit(resultMismatch, 3) | bit(uncoveredTransfer, 4) | bit(lockedEmission, 5)
      | bit(silentFdEmitted, 6) | bit(silentFdTruncate, 7) | bit(unsoundRange, 8)
      | bit(defaultModeHSM, 9) | bit(groupOrder, 10) | bit(execWriteDeny, 11)
      | bit(directoryEvent, 12) | bit(unnotifiedFault, 13) | bit(wrongDispatch, 14)
      | bit(spuriousFaultEvent, 15) | bit(retryLockHeld, 16) | bit(sizeBound, 17)
  }
}

extension StateEncoder {
  mutating func append(_ f: Fingerprint) {
    append(f.high)
    append(f.low)
  }

  mutating func ints(_ xs: [Int]) {
    append(xs.count)
    for x in xs { append(x) }
  }

  /// A sorted set of task ids, renamed and sorted again.
  mutating func set(_ xs: [Int], renaming: [Int]?) {
    guard let renaming, xs.count > 1 else {
      append(xs.count)
      for x in xs { append(renaming?[x] ?? x) }
      return
    }
    ints(xs.map { renaming[$0] }.sorted())
  }

  mutating func optional(_ x: Int?) {
    append(x.map { $0 + 1 } ?? 0)
  }
}

extension PageContent {
  var tag: Int {
    switch self {
    case .remote: return 1
    case .filled: return 2
    case .written: return 3
    case .hole: return 4
    }
  }
}

extension NotifyMode {
  var tag: Int {
    switch self {
    case .none: return 1
    case .noPerm: return 2
    case .hsm: return 3
    case .allPerm: return 4
    }
  }
}

extension RWSemaphore {
  func encode(into e: inout StateEncoder, renaming: [Int]?) {
    e.optional(writer.map { renaming?[$0] ?? $0 })
    e.set(readers, renaming: renaming)
  }
}

extension InodeState {
  /// Every field but the locks' holders (`KernelSystem.encodeSharedTaskIDs`).
  func encodeBody(into e: inout StateEncoder) {
    e.append(size)
    e.append(content.runs.count)
    for r in content.runs {
      e.append(r.start)
      e.append(r.content.tag)
    }
    e.append(cached.count)
    var bits: UInt64 = 0
    for (p, c) in cached.enumerated() {
      if c { bits |= 1 << UInt64(p % 64) }
      if p % 64 == 63 || p == cached.count - 1 {
        e.append(bits)
        bits = 0
      }
    }
    e.append(writers)
    e.append(execDenials)
  }
}

extension Mark {
  func encode(into e: inout StateEncoder) {
    e.append(group)
    switch object {
    case .inode(let f):
      e.append(1)
      e.append(f)
    case .directory: e.append(2)
    case .mount: e.append(3)
    case .filesystem: e.append(4)
    }
    e.append(UInt64(mask.rawValue))
    e.append(UInt64(ignore.rawValue))
    e.append(ignoreSurvivesModify)
    e.append(ignoreFlagsAPI)
  }
}

extension Optional where Wrapped == EventRange {
  func encode(into e: inout StateEncoder) {
    guard let r = self else { return e.append(0) }
    e.append(1)
    e.append(r.offset)
    e.append(r.count)
  }
}

extension OpenFile {
  func encode(into e: inout StateEncoder) {
    e.append(file)
    e.append(UInt64(flags.rawValue))
    e.append(mode.tag)
    e.append(pos)
    e.append(isEventFd)
  }
}

extension SyscallResult {
  func encode(into e: inout StateEncoder) {
    switch self {
    case .value(let v):
      e.append(0)
      e.append(v)
    case .error(let err):
      e.append(1)
      e.append(Int(err.rawValue))
    }
  }
}

extension KernelLock {
  func encode(into e: inout StateEncoder) {
    switch self {
    case .f_pos_lock(let slot):
      e.append(1)
      e.append(slot)
    case .sb_writers: e.append(2)
    case .i_rwsem(let f):
      e.append(3)
      e.append(f)
    case .invalidate_lock(let f):
      e.append(4)
      e.append(f)
    case .mmap_lock: e.append(5)
    case .cred_guard_mutex: e.append(6)
    case .fs_fault_lock(let f):
      e.append(7)
      e.append(f)
    case .folio_lock(let f, let p):
      e.append(8)
      e.append(f)
      e.append(p)
    case .daemon_mutex(let g, let id):
      e.append(9)
      e.append(g)
      e.append(id)
    }
  }
}

extension Notification {
  func encode(into e: inout StateEncoder) {
    e.append(UInt64(mask.rawValue))
    range.encode(into: &e)
    e.append(file)
    e.append(cursor)
    if let a = access {
      e.append(1)
      e.append(a.pos)
      e.append(a.len)
    } else {
      e.append(0)
    }
    e.append(viaSilentFd)
    e.append(isTruncate)
    e.append(faultSite.map { $0.rawValue + 1 } ?? 0)
    e.append(fatalDenial)
    e.append(Int(deniedErrno?.rawValue ?? 0))
    e.append(closesExecFile)
  }
}

extension PathStep {
  func encode(into e: inout StateEncoder) {
    switch self {
    case .notify(let n):
      e.append(1)
      n.encode(into: &e)
    case .awaitResponse(let n):
      e.append(2)
      n.encode(into: &e)
    case .lock(let l, let exclusive):
      e.append(3)
      l.encode(into: &e)
      e.append(exclusive)
    case .unlock(let l):
      e.append(4)
      l.encode(into: &e)
    case .filemapRead(let f, let p): e.three(5, f, p)
    case .writeChecks: e.append(6)
    case .writeFolio(let f, let p): e.three(7, f, p)
    case .setSize(let f, let size): e.three(8, f, size)
    case .extendSize(let f, let size): e.three(9, f, size)
    case .punchHole(let f, let start, let end):
      e.three(10, f, start)
      e.append(end)
    case .shiftRange(let f, let offset, let length, let insert):
      e.three(34, f, offset)
      e.append(length)
      e.append(insert)
    case .sizeBound(let f): e.three(35, f, 0)
    case .execMap(let f, let offset, let length):
      e.three(37, f, offset)
      e.append(length)
    case .inodeModified(let f): e.three(38, f, 0)
    case .remapRange(let inSlot, let inPos, let outSlot, let outPos, let length, let dedupe):
      e.three(39, inSlot, inPos)
      e.three(outSlot, outPos, length)
      e.append(dedupe)
    case .mremapVma(let map, let length): e.three(40, map, length)
    case .notice(let mask, let f, let ifTransferred):
      e.three(36, f, Int(mask.rawValue))
      e.append(ifTransferred)
    case .spliceWrite(let slot, let pos): e.three(11, slot, pos)
    case .doDentryOpen(let f, let flags, let slot):
      e.three(12, f, slot)
      e.append(UInt64(flags.rawValue))
    case .openExec(let f): e.three(13, f, 0)
    case .denyWriteAccess(let f, let mode): e.three(14, f, mode.tag)
    case .installFd(let slot, let file):
      e.three(15, slot, 0)
      file.encode(into: &e)
    case .mmapRegion(let slot, let offset, let length, let map):
      e.three(16, slot, offset)
      e.append(length)
      e.append(map)
    case .respond(let word):
      e.append(17)
      e.append(UInt64(word))
    case .closeEventFd: e.append(18)
    case .closeGroup: e.append(19)
    case .handOff: e.append(61)
    case .freezeSuper: e.append(20)
    case .freezeWait: e.append(21)
    case .thawSuper: e.append(22)
    case .doReadFault(let map, let page, let tried, let flags):
      e.three(23, map, page)
      e.append(tried)
      e.append(flags.rawValue)
    case .hugeFault(let map, let page, let order, let tried, let flags):
      e.three(31, map, page)
      e.append(order.rawValue)
      e.append(tried)
      e.append(flags.rawValue)
    case .doWriteFault(let map, let page, let tried):
      e.three(24, map, page)
      e.append(tried)
    case .pageMkwrite(let map, let page): e.three(25, map, page)
    case .wpHugePmd(let map, let page): e.three(32, map, page)
    case .daxPteFault(let map, let page): e.three(33, map, page)
    case .userRead(let map, let page): e.three(26, map, page)
    case .faultIn(let map, let page): e.three(27, map, page)
    case .forceReadahead(let f, let first, let end, let hsm):
      e.three(28, f, first)
      e.append(end)
      e.append(hsm)
    case .ret(let r):
      e.append(29)
      r.encode(into: &e)
    case .retTransferred: e.append(30)
    }
  }
}

extension StateEncoder {
  mutating func three(_ tag: Int, _ a: Int, _ b: Int) {
    append(tag)
    append(a)
    append(b)
  }
}

extension TaskState {
  /// Every field but the waiter a listener handles, the one field that names a task: a state's
  /// encoding appends it after the task's key, renamed under symmetry, so that no key depends on
  /// which task is which.
  func encode(into e: inout StateEncoder) {
    e.append(pc)
    e.append(choice)
    e.append(path.count)
    e.append(path.fingerprint)
    e.append(fds.count)
    for fd in fds {
      if let f = fd {
        e.append(1)
        f.encode(into: &e)
      } else {
        e.append(0)
      }
    }
    e.append(maps.count)
    for m in maps {
      guard let m else {
        e.append(0)
        continue
      }
      e.append(1)
      e.append(m.file)
      e.append(m.offset)
      e.append(m.length)
      e.append(m.notified)
      e.append(m.mode.tag)
      e.append(m.ptes)
      e.append(m.huge)
      e.append(m.writable)
      e.append(m.pmds)
      e.optional(m.fdSlot)
    }
    e.append(eventFds.count)
    for fd in eventFds {
      e.append(fd.number)
      e.append(fd.file)
    }
    if let h = handling {
      // The calls are a pure function of the event and the group's model: not encoded.
      e.append(1)
      e.append(h.waiter != nil)
      e.append(h.fd)
      e.append(UInt64(h.event.mask.rawValue))
      h.event.range.encode(into: &e)
      e.append(h.event.file)
      e.append(h.event.groupClass.priority)
      e.append(h.event.sequence)
      e.append(h.next)
      // A failed response inserts its fallback: the calls grow by one.
      e.append(h.calls.count)
      e.optional(h.fallback.map { Int($0) })
    } else {
      e.append(0)
    }
    if let p = pending {
      e.append(1)
      e.append(p.group)
      e.append(UInt64(p.mask.rawValue))
      p.range.encode(into: &e)
      e.append(p.file)
      switch p.status {
      case .queued: e.append(1)
      case .reported(let fd):
        e.append(2)
        e.append(fd)
      case .answered(.allow, let implicit):
        e.append(3)
        e.append(implicit)
      case .answered(.deny(let errno), let implicit):
        e.append(4)
        e.append(Int(errno.rawValue))
        e.append(implicit)
      }
    } else {
      e.append(0)
    }
    e.append(held.count)
    for l in held { l.encode(into: &e) }
    if let io {
      e.append(1)
      e.append(io.slot)
      e.append(io.pos)
      e.append(io.count)
      e.append(io.usesFilePosition)
      e.append(io.done)
      e.optional(io.sourceMap)
      e.append(io.sourcePage)
    } else {
      e.append(0)
    }
    e.append(UInt64(allowedGroups))
    e.append(implicitAllow)
    e.append(faultEventAllowed)
    e.append(signalled)
    e.append(killed)
    e.append(stoppedAtBound)
  }
}
