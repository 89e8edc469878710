import Exploration

/// `fsnotify()` for permission events: the walk over interested groups in priority order, the
/// queueing (`fanotify_handle_event`) and the wait (`fanotify_get_response`).
extension KernelSystem {
  /// The first group at or after `cursor` in delivery order with a mark on `file` whose mask
  /// has `mask`, with its position.
  func nextInterestedGroup(_ n: Notification, in s: KernelState) -> (cursor: Int, group: Int)? {
    var cursor = n.cursor
    while cursor < deliveryOrder.count {
      let g = deliveryOrder[cursor]
      if s.marks.contains(where: {
        $0.group == g && $0.object == .inode(file: n.file) && $0.mask.contains(n.mask)
      }) {
        return (cursor, g)
      }
      cursor += 1
    }
    return nil
  }

  /// Starts (or continues) a walk: the task queues to the next interested group, or, when none
  /// is left, goes on with what follows the event.
  func continueNotification(task t: Int, _ n: Notification, in s: inout KernelState) {
    if let next = nextInterestedGroup(n, in: s) {
      var n = n
      n.cursor = next.cursor
      s.tasks[t].phase = .notify(n)
    } else {
      finishNotification(task: t, n, in: &s)
    }
  }

  /// Every interested group allowed `n`: the syscall goes on.
  func finishNotification(task t: Int, _ n: Notification, in s: inout KernelState) {
    switch n.mask {
    case .FAN_PRE_ACCESS:
      // rw_verify_area: the legacy FAN_ACCESS_PERM follows only on (0,0) files, after every
      // pre-content group allowed (I8).
      if let io = s.tasks[t].io, let ofd = s.tasks[t].fds[io.slot], ofd.mode.accessPerm {
        let next = Notification(mask: .FAN_ACCESS_PERM, range: nil, file: n.file, cursor: 0)
        continueNotification(task: t, next, in: &s)
      } else {
        startFilemapRead(task: t, in: &s)
      }
    case .FAN_ACCESS_PERM:
      startFilemapRead(task: t, in: &s)
    default:  // FAN_OPEN_PERM
      finishOpen(task: t, in: &s)
    }
  }

  /// Footprint and label of the queueing step.
  func queueStep(task t: Int, _ n: Notification, in s: KernelState) -> Transition<KernelStep> {
    var writes = [objects.event(ofTask: t)]
    if let next = nextInterestedGroup(n, in: s) { writes.append(objects.group(next.group)) }
    return Transition(
      task: t, label: .fsnotifyQueue,
      footprint: Footprint(reading: [objects.marks], writing: writes))
  }

  /// `fanotify_handle_event()`: queue the event (INIT) and start waiting.
  func applyQueue(task t: Int, _ n: Notification, in s: inout KernelState) {
    guard let next = nextInterestedGroup(n, in: s) else {
      finishNotification(task: t, n, in: &s)  // the mark went away meanwhile
      return
    }
    var n = n
    n.cursor = next.cursor
    s.groups[next.group].queue.append(t)
    s.tasks[t].pending = PendingEvent(
      group: next.group, mask: n.mask, range: n.range, file: n.file, status: .queued)
    s.tasks[t].phase = .waiting(n)
  }

  /// `fanotify_get_response()` returns: allow goes on to the next group, deny ends the syscall.
  func applyGetResponse(task t: Int, _ n: Notification, in s: inout KernelState) {
    guard let p = s.tasks[t].pending, case .answered(let outcome) = p.status else { return }
    s.tasks[t].pending = nil
    switch outcome {
    case .allow:
      var n = n
      n.cursor += 1
      continueNotification(task: t, n, in: &s)
    case .deny(let e):
      let groupClass = config.groups[p.group].groupClass
      let permitted =
        e == .EPERM || (groupClass == .preContent && Fanotify.allowedDenyErrnos.contains(e))
      if !permitted { s.history.answerDiscipline = true }
      if case .FAN_OPEN_PERM = n.mask { s.tasks[t].opening = nil }
      endSyscall(task: t, .error(e), in: &s)
    }
  }
}
