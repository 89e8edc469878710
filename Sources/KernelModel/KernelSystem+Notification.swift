import Exploration

/// `fsnotify()` for permission events: the walk over interested groups in priority order, the
/// queueing (`fanotify_handle_event`), the wait (`fanotify_get_response`) and the emission
/// checks (I3, I4, I11).
extension KernelSystem {
  /// `fsnotify_truncate_perm`'s gate: the sb opted in and some PRE_CONTENT group watches it.
  func truncateGate(_ s: KernelState) -> Bool {
    hsmFilesystem
      && s.marks.contains { config.groups[$0.group].groupClass == .preContent }
  }

  /// The first group at or after the walk's cursor, in delivery order, with a mark covering the
  /// file whose mask has the event, with its position.
  func nextInterestedGroup(_ n: Notification, in s: KernelState) -> (cursor: Int, group: Int)? {
    if n.isTruncate && !truncateGate(s) { return nil }
    var cursor = n.cursor
    while cursor < deliveryOrder.count {
      let g = deliveryOrder[cursor]
      if !s.groups[g].closed, watches(group: g, file: n.file, mask: n.mask, in: s) {
        return (cursor, g)
      }
      cursor += 1
    }
    return nil
  }

  /// `fanotify_handle_event()`: queue the event (INIT) and wait, or let it through when the queue
  /// is full (B17). Nothing to do when no group is interested any more.
  func queue(_ n0: Notification, task t: Int, in s: inout KernelState) {
    guard let next = nextInterestedGroup(n0, in: s) else { return }
    var n = n0
    n.cursor = next.cursor
    checkEmission(n, task: t, in: &s)
    let g = next.group
    if s.groups[g].overflowIfFull(limit: config.groups[g].queueLimit) {
      // fsnotify_insert_event returns 2: the event is dropped, the access allowed.
      s.tasks[t].implicitAllow = true
      continueWalk(after: n, task: t, in: &s)
      return
    }
    s.groups[g].queue.append(.permission(waiter: t))
    observeEvent(group: g, file: n.file, range: n.range, task: t, in: &s)
    s.tasks[t].pending = PendingEvent(
      group: g, mask: n.mask, range: n.range, file: n.file, status: .queued)
    s.tasks[t].path.prepend(.awaitResponse(n))
  }

  /// Queues a step for the next interested group after `n`'s, if any.
  func continueWalk(after n: Notification, task t: Int, in s: inout KernelState) {
    var next = n
    next.cursor += 1
    if nextInterestedGroup(next, in: s) != nil { s.tasks[t].path.prepend(.notify(next)) }
  }

  /// I3, I4, I8 and I11 at the moment an event is emitted.
  func checkEmission(_ n: Notification, task t: Int, in s: inout KernelState) {
    if n.mask == .FAN_PRE_ACCESS && config.files[n.file].directory {
      s.history.directoryEvent = true
    }
    // I8: FAN_ACCESS_PERM is a read event: never from a fault (B4), and only after every group
    // watching FAN_PRE_ACCESS allowed the operation (v2 emitted it first).
    if n.mask == .FAN_ACCESS_PERM {
      let pending = config.groups.indices.contains { g in
        s.tasks[t].allowedGroups & (1 << UInt32(g)) == 0 && !s.groups[g].closed
          && watches(group: g, file: n.file, mask: .FAN_PRE_ACCESS, in: s)
      }
      if n.fault || (pending && !s.tasks[t].implicitAllow) { s.history.groupOrder = true }
    }
    // I8: no group that watches this event and outranks this one comes later in the walk.
    let priority = config.groups[deliveryOrder[n.cursor]].groupClass.priority
    for later in deliveryOrder[(n.cursor + 1)...]
    where config.groups[later].groupClass.priority > priority && !s.groups[later].closed {
      if watches(group: later, file: n.file, mask: n.mask, in: s) {
        s.history.groupOrder = true
      }
    }
    if s.tasks[t].held.contains(where: \.forbiddenAtEmission) { s.history.lockedEmission = true }
    if n.viaSilentFd {
      if n.isTruncate {
        s.history.silentFdTruncate = true
      } else {
        s.history.silentFdEmitted = true
      }
    }
    if let r = n.range, let a = n.access {
      let page = Fanotify.pageSize
      let aligned = r.offset % page == 0 && r.count % page == 0
      let covers = a.len == 0 || (r.offset <= a.pos && r.offset + r.count >= a.pos + a.len)
      if !aligned || !covers { s.history.unsoundRange = true }
    }
  }

  /// `fanotify_get_response()` returns: allow goes on to the next group, deny ends the syscall;
  /// a fatal signal cancels the event and ends the task.
  func wake(_ n: Notification, task t: Int, in s: inout KernelState) {
    guard let p = s.tasks[t].pending else { return }
    guard case .answered(let outcome, let implicit) = p.status else {
      // Fatal signal: a queued event is removed; a reported one stays CANCELED (§5.1).
      s.groups[p.group].queue.removeAll { $0 == .permission(waiter: t) }
      s.tasks[t].pending = nil
      die(task: t, in: &s)
      return
    }
    s.tasks[t].pending = nil
    if implicit { s.tasks[t].implicitAllow = true }
    switch outcome {
    case .allow:
      s.tasks[t].allowedGroups |= 1 << UInt32(p.group)
      if n.fault, let r = n.range, let a = n.access,
        r.offset <= a.pos && r.offset + r.count >= a.pos + a.len
      {
        s.tasks[t].faultEventAllowed = true  // an allowed event that covers the faulting folio
      }
      continueWalk(after: n, task: t, in: &s)
    case .deny(let e):
      let groupClass = config.groups[p.group].groupClass
      let permitted =
        e == .EPERM || (groupClass == .preContent && Fanotify.allowedDenyErrnos.contains(e))
      if !permitted { s.history.answerDiscipline = true }
      if n.fault {
        // A denied fault: SIGBUS for a load, a short copy (EFAULT) for a syscall's user buffer.
        // From v7 to 6.14-rc1 filemap_fault's own hook returned SIGBUS|VM_FAULT_RETRY and the
        // retry mapped the page anyway (B9); the helper filemap_fsnotify_fault returns SIGBUS.
        if n.faultSite == .filemapFault && config.profile.faultDenialLost { return }
        faultFails(flags: .allowRetry, task: t, in: &s)
        return
      }
      if n.fatalDenial {
        // After exec's point of no return: bprm_execve forces SIGSEGV; the task dies.
        die(task: t, in: &s)
        return
      }
      let close = n.closesExecFile ? notices(.FAN_CLOSE_NOWRITE, file: n.file) : []
      s.tasks[t].path = StepList(close + [.ret(.error(n.deniedErrno ?? e))])
    }
  }

  /// The groups a notification event with `mask` on `file` reaches now, with the bits each one
  /// asked for: open groups with a mark that delivers them and no mark that ignores them (an
  /// FS_MODIFY event first clears the ignore masks that do not survive it).
  func noticeGroups(_ mask: EventMask, file: Int, in s: KernelState) -> [(
    group: Int, mask: EventMask
  )] {
    var out: [(group: Int, mask: EventMask)] = []
    for g in config.groups.indices where !s.groups[g].closed {
      var wanted: EventMask = []
      for (_, bit) in EventMask.named where mask.contains(bit) {
        if watches(
          group: g, file: file, mask: bit, modifies: mask.contains(.FAN_MODIFY), in: s)
        {
          wanted.insert(bit)
        }
      }
      if !wanted.isEmpty { out.append((g, wanted)) }
    }
    return out
  }

  /// `fsnotify()` → `fanotify_handle_event()` → `fsnotify_insert_event()` for a notification
  /// event: per interested group, a full queue drops it (the overflow event is queued once), an
  /// unread event of the same file and task takes its bits (`fanotify_merge`), or it is queued.
  func queueNotice(
    _ mask: EventMask, file f: Int, task t: Int, inodeOnly: Bool = false, in s: inout KernelState
  ) {
    if mask.contains(.FAN_MODIFY) {
      // send_to_group: FS_MODIFY clears the ignore masks that do not survive modification
      // before it applies them, so this very event gets through (measured on 6.18).
      // An inode-only event (no path: fsnotify_change) never visits mount marks (measured on
      // 6.18: a truncate leaves a mount mark's ignore mask in place).
      for i in s.marks.indices
      where ignoreCovers(s.marks[i], file: f) && !s.marks[i].ignoreSurvivesModify
        && !(inodeOnly && s.marks[i].object == .mount)
      {
        s.marks[i].ignore = []
      }
    }
    let groups = inodeOnly ? [] : noticeGroups(mask, file: f, in: s)
    for (g, wanted) in groups {
      if s.groups[g].overflowIfFull(limit: config.groups[g].queueLimit) { continue }
      if let i = s.groups[g].queue.firstIndex(where: {
        if case .notice(let n) = $0 { return n.file == f && n.pid == t } else { return false }
      }), case .notice(var n) = s.groups[g].queue[i] {
        n.mask.formUnion(wanted)
        s.groups[g].queue[i] = .notice(n)
      } else {
        s.groups[g].queue.append(.notice(Notice(mask: wanted, file: f, pid: t)))
        observeEvent(group: g, file: f, range: nil, task: t, in: &s)
      }
    }
  }

  /// The notification event `mask` on `file` as a step, when some mark of the scenario could
  /// ever ask for it (so scenarios without notification marks keep their paths).
  func notices(_ mask: EventMask, file: Int, ifTransferred: Bool = false) -> [PathStep] {
    mask.isDisjoint(with: watchedNotices)
      ? [] : [.notice(mask: mask, file: file, ifTransferred: ifTransferred)]
  }
}
