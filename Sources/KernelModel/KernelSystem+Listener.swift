import Exploration

/// Listener tasks: `fanotify_read`, the model's actions as calls, the response, group release.
extension KernelSystem {
  /// The listener model serving group `g`.
  func listener(ofGroup g: Int) -> any ListenerModel { config.groups[g].listener! }

  /// `fanotify_read() → copy_event_to_user()`: take the oldest queued event and install its fd
  /// (FMODE_NONOTIFY); a permission event moves to the access list (REPORTED), a notification
  /// event is done with once read.
  func applyFanotifyRead(task t: Int, group g: Int, in s: inout KernelState) {
    let head = s.groups[g].queue.removeFirst()
    let fd = nextEventFd(task: t, in: s)
    // FAN_Q_OVERFLOW carries no fd (FAN_NOFD): nothing to act on.
    guard let queued = readable(head, in: s) else { return }
    let event = ListenerEvent(
      mask: queued.mask, range: queued.range, file: queued.file,
      groupClass: config.groups[g].groupClass, sequence: s.groups[g].delivered)
    // Who caused the event shapes the listener's calls only: the state keeps the calls.
    var seen = event
    seen.task = queued.pid
    seen.causedByDaemon = listenerGroup(ofTask: queued.pid) == g
    s.groups[g].delivered += 1
    if createFdError(task: t, group: g, file: event.file, in: s) != nil {
      // create_fd failed: a permission event is answered FAN_DENY at once (the waiter gets
      // EPERM, B20); the listener's read fails, or with FAN_REPORT_FD_ERROR it gets the event
      // with the error as its fd. Either way it has no fd to act on.
      if let waiter = head.waiter {
        s.tasks[waiter].pending!.status = .answered(.deny(.EPERM), implicit: false)
      }
      return
    }
    if let waiter = head.waiter {
      s.groups[g].accessList.append(AccessEntry(fd: fd, waiter: waiter))
      s.tasks[waiter].pending!.status = .reported(fd: fd)
    }
    s.tasks[t].eventFds.append(EventFd(number: fd, file: event.file))
    s.tasks[t].eventFds.sort { $0.number < $1.number }
    s.tasks[t].fds[Self.listenerEventSlot] = OpenFile(
      file: event.file, flags: config.groups[g].eventFlags,
      mode: config.profile.eventFdNoNotify ? .none : .hsm, pos: 0, isEventFd: true)
    s.tasks[t].handling = Handling(
      waiter: head.waiter, fd: fd, event: event,
      calls: CallList(listenerCalls(listener(ofGroup: g).actions(for: seen), event: event)),
      next: 0)
  }

  /// What a listener reads of a queued event: its mask, file, range record and the task that
  /// caused it; nil for the overflow event, which has no file.
  func readable(_ q: QueuedEvent, in s: KernelState)
    -> (mask: EventMask, file: Int, range: EventRange?, pid: Int)?
  {
    switch q {
    case .permission(let w):
      let p = s.tasks[w].pending!
      return (p.mask, p.file, p.range, w)
    case .notice(let n): return (n.mask, n.file, nil, n.pid)
    case .overflow: return nil
    }
  }

  /// Why `create_fd` → `dentry_open_nonotify(path, event_f_flags)` fails for listener `t`'s
  /// event on `file`, if it does: an fd for writing gets ETXTBSY while a running image denies
  /// writers (`get_write_access`, B20); and `get_unused_fd_flags` gets EMFILE when the thread
  /// already holds `EventFds.limit` event fds (the model's fd table is fixed-size, like an
  /// RLIMIT_NOFILE; only a listener that never closes its event fds reaches it).
  func createFdError(task t: Int, group g: Int, file: Int, in s: KernelState) -> Errno? {
    if s.tasks[t].eventFds.count == EventFds.limit { return .EMFILE }
    return config.groups[g].eventFlags.canWrite && s.inodes[file].execDenials > 0 ? .ETXTBSY : nil
  }

  /// The fd number `create_fd` hands listener `t` next: the lowest free one of the daemon's fd
  /// table, which its worker threads share (0–2 are stdio, 3 the fanotify fd).
  func nextEventFd(task t: Int, in s: KernelState) -> Int {
    let threads = listenerTasks(ofGroup: listenerGroup(ofTask: t)!)
    var fd = 4
    while threads.contains(where: { w in s.tasks[w].eventFds.contains { $0.number == fd } }) {
      fd += 1
    }
    return fd
  }

  /// The model's actions as calls the listener task makes.
  func listenerCalls(_ actions: [ListenerAction], event: ListenerEvent) -> [ListenerCall] {
    let eventSlot = Self.listenerEventSlot
    let normalSlot = Self.listenerNormalSlot
    let range = event.range ?? EventRange(offset: 0, count: Fanotify.pageSize)
    // A listener answers permission events only: a notification event needs no response (and
    // writing one would fail ENOENT), so the model's responses are left out for it.
    let permission = !event.mask.intersection(.permissionEvents).isEmpty
    return actions.flatMap { action -> [ListenerCall] in
      switch action {
      case .respond where !permission, .respondElse where !permission: return []
      case .respondElse(let word, let fallback): return [.respondElse(word, fallback: fallback)]
      case .call(let call): return [call]
      case .fillRange:
        guard let r = event.range, r.count > 0 else { return [] }
        return [.syscall(.pwrite(slot: eventSlot, offset: r.offset, count: r.count))]
      case .respond(let word): return [.respond(word)]
      case .closeEventFd: return [.closeEventFd]
      case .closeGroup: return [.closeGroup]
      case .readEventFd:
        let size = config.files[event.file].size
        return size == 0 ? [] : [.syscall(.pread(slot: eventSlot, offset: 0, count: size))]
      case .ftruncateEventFd:
        return [.syscall(.ftruncate(slot: eventSlot, length: config.files[event.file].size))]
      case .readFile(let f, let offset, let count):
        let (o, n) = (offset ?? range.offset, count ?? max(range.count, 1))
        return [
          .syscall(.open(file: f, flags: [], slot: normalSlot)),
          .syscall(.pread(slot: normalSlot, offset: o, count: n)),
          .syscall(.close(slot: normalSlot)),
        ]
      case .writeFile(let f, let offset, let count):
        let (o, n) = (offset ?? range.offset, count ?? max(range.count, 1))
        return [
          .syscall(.open(file: f, flags: .O_WRONLY, slot: normalSlot)),
          .syscall(.pwrite(slot: normalSlot, offset: o, count: n)),
          .syscall(.close(slot: normalSlot)),
        ]
      case .readThroughNormalFd:
        return [
          .syscall(.open(file: event.file, flags: [], slot: normalSlot)),
          .syscall(.pread(slot: normalSlot, offset: range.offset, count: max(range.count, 1))),
          .syscall(.close(slot: normalSlot)),
        ]
      }
    }
  }

  /// Starts the listener's next call when its path is done; idle when its actions are done.
  func startNextListenerCall(task t: Int, in s: inout KernelState) {
    while s.tasks[t].path.isEmpty, var h = s.tasks[t].handling {
      guard h.next < h.calls.count else {
        s.tasks[t].handling = nil
        return
      }
      let call = h.calls[h.next]
      h.next += 1
      s.tasks[t].handling = h
      switch call {
      case .syscall(let syscall):
        s.tasks[t].allowedGroups = 0
        s.tasks[t].implicitAllow = false
        s.tasks[t].io = nil
        s.tasks[t].path = StepList(path(for: syscall, task: t, in: &s))
      case .respond(let word): s.tasks[t].path = [.respond(word)]
      case .respondElse(let word, let fallback):
        s.tasks[t].handling!.fallback = fallback
        s.tasks[t].path = [.respond(word)]
      case .closeEventFd: s.tasks[t].path = [.closeEventFd]
      case .closeGroup: s.tasks[t].path = [.closeGroup]
      case .lock(let id):
        let mutex = KernelLock.daemon_mutex(group: listenerGroup(ofTask: t)!, id: id)
        s.tasks[t].path = [.lock(mutex, exclusive: true)]
      case .unlock(let id):
        s.tasks[t].path = [.unlock(.daemon_mutex(group: listenerGroup(ofTask: t)!, id: id))]
      case .spawn: s.tasks[t].path = [.handOff]
      }
    }
  }

  /// The outcome of `write(fanotify_fd, {fd, word})` before it changes anything.
  public func responseOutcome(_ word: UInt32, fd: Int, group g: Int, in s: KernelState)
    -> SyscallResult
  {
    let groupClass = config.groups[g].groupClass
    if config.profile.responseValidation,
      case .reject(let e) = ResponseValidation.validate(
        response: word, fd: fd, groupClass: groupClass)
    {
      return .error(e)
    }
    guard s.groups[g].accessList.contains(where: { $0.fd == fd }) else { return .error(.ENOENT) }
    return .value(8)  // sizeof(struct fanotify_response)
  }

  /// `process_access_response()`: validate, find the event by fd number, answer it.
  func respond(_ word: UInt32, task t: Int, in s: inout KernelState) {
    let g = listenerGroup(ofTask: t)!
    let fd = s.tasks[t].handling!.fd
    let fallback = s.tasks[t].handling!.fallback
    s.tasks[t].handling!.fallback = nil
    guard case .value = responseOutcome(word, fd: fd, group: g, in: s),
      let i = s.groups[g].accessList.firstIndex(where: { $0.fd == fd })
    else {
      // The write failed: a listener with a fallback writes that next.
      if let fallback {
        let next = s.tasks[t].handling!.next
        s.tasks[t].handling!.calls.insert(.respond(fallback), at: next)
      }
      return
    }
    let outcome: ResponseValidation.WaiterOutcome
    switch ResponseValidation.validate(
      response: word, fd: fd, groupClass: config.groups[g].groupClass)
    {
    case .accept(let o):
      outcome = o
    case .reject:
      // Only reachable with response-validation off: the kernel applies a word the rules forbid.
      outcome = ResponseValidation.unchecked(response: word)
      s.history.answerDiscipline = true
    }
    let waiter = s.groups[g].accessList.remove(at: i).waiter
    observeAnswer(group: g, in: &s)
    if s.tasks[waiter].pending != nil {  // nil when the waiter was killed (CANCELED)
      s.tasks[waiter].pending!.status = .answered(outcome, implicit: false)
    }
  }

  /// An idle helper thread of listener `t`'s daemon, if there is one (with room for one more
  /// event fd: a helper that kept `EventFds.limit` of them takes no more).
  public func idleHelper(of t: Int, in s: KernelState) -> Int? {
    listenerTasks(ofGroup: listenerGroup(ofTask: t)!).first {
      isHelperTask($0) && s.tasks[$0].handling == nil && s.tasks[$0].path.isEmpty
        && s.tasks[$0].eventFds.count < EventFds.limit
    }
  }

  /// The hand-off: the event (its fd, the calls left, its fallback) moves to an idle helper,
  /// which starts on them; the worker is free to read the next event.
  func handOff(task t: Int, in s: inout KernelState) {
    let h = idleHelper(of: t, in: s)!
    let handling = s.tasks[t].handling!
    s.tasks[h].handling = handling
    s.tasks[t].handling = nil
    let slot = Self.listenerEventSlot
    s.tasks[h].fds[slot] = s.tasks[t].fds[slot]
    s.tasks[t].fds[slot] = nil
    if let i = s.tasks[t].eventFds.firstIndex(where: { $0.number == handling.fd }) {
      s.tasks[h].eventFds.append(s.tasks[t].eventFds.remove(at: i))
      s.tasks[h].eventFds.sort { $0.number < $1.number }
    }
    startNextListenerCall(task: h, in: &s)
  }

  /// `fanotify_release()`: the group stops receiving; every pending event is answered ALLOW.
  func closeGroup(_ g: Int, in s: inout KernelState) {
    s.groups[g].closed = true
    s.marks.removeAll { $0.group == g }
    let waiters = s.groups[g].queuedWaiters + s.groups[g].accessList.map(\.waiter)
    for w in waiters where s.tasks[w].pending != nil {
      s.tasks[w].pending!.status = .answered(.allow, implicit: true)
    }
    s.groups[g].queue = []
    s.groups[g].accessList = []
  }
}
