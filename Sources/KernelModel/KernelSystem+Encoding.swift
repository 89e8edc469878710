import Exploration

/// The canonical encoding of `KernelState` for fingerprints: every field, in declaration order,
/// with variable-length parts prefixed by their length and enum cases by a tag.
extension KernelSystem {
  public func encode(_ s: KernelState, into e: inout StateEncoder) {
    for inode in s.inodes {
      for c in inode.content { e.append(c.tag) }
      for c in inode.cache { e.append(c.map { $0.tag + 1 } ?? 0) }
    }
    e.append(s.marks.count)
    for m in s.marks { m.encode(into: &e) }
    for g in s.groups {
      e.append(g.queue.count)
      for t in g.queue { e.append(t) }
      e.append(g.accessList.count)
      for a in g.accessList {
        e.append(a.fd)
        e.append(a.waiter)
      }
    }
    for t in s.tasks { t.encode(into: &e) }
    for l in s.listeners {
      let fds: [Int]
      switch l {
      case .idle(let open):
        e.append(0)
        fds = open
      case .handling(let h, let open):
        e.append(1)
        e.append(h.waiter)
        e.append(h.fd)
        h.event.encode(into: &e)
        e.append(h.action)
        e.append(h.page)
        fds = open
      }
      e.append(fds.count)
      for fd in fds { e.append(fd) }
    }
    let h = s.history
    e.append(h.unnotifiedRead)
    e.append(h.gapRead)
    e.append(h.answerDiscipline)
    e.append(h.resultMismatch)
  }
}

extension PageContent {
  var tag: Int {
    switch self {
    case .remote: return 0
    case .filled: return 1
    case .written: return 2
    case .hole: return 3
    }
  }
}

extension NotifyMode {
  var tag: Int {
    switch self {
    case .none: return 0
    case .noPerm: return 1
    case .hsm: return 2
    case .allPerm: return 3
    }
  }
}

extension Mark {
  func encode(into e: inout StateEncoder) {
    e.append(group)
    switch object {
    case .inode(let file):
      e.append(0)
      e.append(file)
    }
    e.append(UInt64(mask.rawValue))
  }
}

extension Optional where Wrapped == EventRange {
  func encode(into e: inout StateEncoder) {
    if let r = self {
      e.append(1)
      e.append(r.offset)
      e.append(r.count)
    } else {
      e.append(0)
    }
  }
}

extension ListenerEvent {
  func encode(into e: inout StateEncoder) {
    e.append(UInt64(mask.rawValue))
    range.encode(into: &e)
    e.append(file)
    e.append(groupClass.priority)
  }
}

extension OpenFile {
  func encode(into e: inout StateEncoder) {
    e.append(file)
    e.append(UInt64(flags.rawValue))
    e.append(mode.tag)
    e.append(pos)
  }
}

extension SyscallResult {
  func encode(into e: inout StateEncoder) {
    switch self {
    case .value(let v):
      e.append(0)
      e.append(v)
    case .error(let errno):
      e.append(1)
      e.append(Int(errno.rawValue))
    }
  }
}

extension Notification {
  func encode(into e: inout StateEncoder) {
    e.append(UInt64(mask.rawValue))
    range.encode(into: &e)
    e.append(file)
    e.append(cursor)
  }
}

extension TaskState {
  func encode(into e: inout StateEncoder) {
    e.append(pc)
    switch phase {
    case .user:
      e.append(0)
    case .notify(let n):
      e.append(1)
      n.encode(into: &e)
    case .waiting(let n):
      e.append(2)
      n.encode(into: &e)
    case .reading(let page, let endPage, let bytes):
      e.append(3)
      e.append(page)
      e.append(endPage)
      e.append(bytes)
    case .returning(let r):
      e.append(4)
      r.encode(into: &e)
    }
    for fd in fds {
      if let f = fd {
        e.append(1)
        f.encode(into: &e)
      } else {
        e.append(0)
      }
    }
    if let f = opening {
      e.append(1)
      f.encode(into: &e)
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
      case .queued: e.append(0)
      case .reported(let fd):
        e.append(1)
        e.append(fd)
      case .answered(.allow): e.append(2)
      case .answered(.deny(let errno)):
        e.append(3)
        e.append(Int(errno.rawValue))
      }
    } else {
      e.append(0)
    }
    if let io = io {
      e.append(1)
      e.append(io.slot)
      e.append(io.pos)
      e.append(io.count)
      e.append(io.usesFilePosition)
    } else {
      e.append(0)
    }
    e.append(UInt64(held.rawValue))
  }
}
