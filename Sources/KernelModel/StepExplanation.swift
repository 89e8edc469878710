import Exploration

/// What one step did, in kernel terms and as structured facts; the runner renders it as text.
public struct StepExplanation: Hashable, Sendable {
  public var task: Int
  /// The kernel function chain the step stands for, outermost first.
  public var kernelFunction: String
  /// Locks the task holds while taking the step.
  public var locksHeld: LockSet
  /// For application tasks, the instruction the step belongs to.
  public var instruction: Int?
  public var effect: StepEffect
}

/// The observable effect of a step.
public enum StepEffect: Hashable, Sendable {
  /// A syscall began (read, pread, close, fanotify_mark).
  case entered
  /// `do_dentry_open` decided the new file's notify mode.
  case openModeDecided(NotifyMode)
  /// A permission event was queued to a group; the task now waits.
  case queued(group: Int, mask: EventMask, range: EventRange?)
  /// The group the walk was heading for no longer has a matching mark.
  case notificationSkipped
  /// The waiter woke with its answer.
  case woke(group: Int, outcome: ResponseValidation.WaiterOutcome)
  /// A page was read into the page cache with this content.
  case folioRead(file: Int, page: Int, content: PageContent)
  /// A cached page was copied to user space; `exempt` when the file is not in HSM mode.
  case copied(file: Int, page: Int, content: PageContent, exempt: Bool)
  /// The syscall returned.
  case returned(SyscallResult, expected: ExpectedResult?)
  /// The listener read an event and got an event fd.
  case eventRead(group: Int, waiter: Int, fd: Int, mask: EventMask, range: EventRange?)
  /// The listener filled a page through the event fd.
  case filled(file: Int, page: Int)
  /// The listener wrote a response; `result` is what its write returned.
  case responded(group: Int, fd: Int, response: UInt32, result: SyscallResult, waiter: Int?)
  /// The listener closed an event fd.
  case eventFdClosed(fd: Int)
}

extension KernelSystem {
  /// Explains `transition` taken from `state`.
  public func explain(_ transition: Transition<KernelStep>, in state: KernelState)
    -> StepExplanation
  {
    let t = transition.task
    if let g = listenerGroup(ofTask: t) {
      return explainListener(transition.label, task: t, group: g, in: state)
    }
    let ts = state.tasks[t]
    let after = apply(transition, to: state)
    let syscall = config.tasks[t].program[ts.pc].syscall
    var held = ts.held.union(after.tasks[t].held)
    let function: String
    let effect: StepEffect
    switch transition.label {
    case .syscallEntry:
      switch syscall {
      case .open(let file, _, _):
        function = "do_sys_openat2 → do_dentry_open → fsnotify_open_perm_and_set_mode"
        effect = .openModeDecided(openTimeMode(file: file, in: state).0)
      case .read:
        function = "ksys_read → fdget_pos → vfs_read → rw_verify_area → fsnotify_file_area_perm"
        effect = .entered
      case .pread:
        function = "ksys_pread64 → vfs_read → rw_verify_area → fsnotify_file_area_perm"
        effect = .entered
      case .close:
        function = "close_fd → filp_close → fput"
        effect = .entered
      case .fanotifyMark:
        function = "do_fanotify_mark → fanotify_add_mark"
        effect = .entered
      }
    case .fsnotifyQueue:
      function = "fsnotify → fanotify_handle_event → fsnotify_insert_event"
      if let p = after.tasks[t].pending, case .waiting = after.tasks[t].phase {
        effect = .queued(group: p.group, mask: p.mask, range: p.range)
      } else {
        effect = .notificationSkipped
      }
    case .fanotifyGetResponse:
      function = "fanotify_get_response"
      if let p = ts.pending, case .answered(let outcome) = p.status {
        effect = .woke(group: p.group, outcome: outcome)
      } else {
        effect = .notificationSkipped
      }
    case .filemapReadFolio(let page):
      let file = ts.fds[ts.io!.slot]!.file
      function = "filemap_read → filemap_get_pages → filemap_read_folio"
      effect = .folioRead(file: file, page: page, content: after.inodes[file].cache[page]!)
    case .copyFolioToIter(let page):
      let ofd = ts.fds[ts.io!.slot]!
      function = "filemap_read → copy_folio_to_iter"
      effect = .copied(
        file: ofd.file, page: page, content: state.inodes[ofd.file].cache[page]!,
        exempt: !ofd.mode.preContent)
    case .syscallReturn:
      guard case .returning(let r) = ts.phase else { preconditionFailure("not returning") }
      function =
        ts.held.contains(.f_pos_lock)
        ? "fdput_pos → syscall_exit_to_user_mode" : "syscall_exit_to_user_mode"
      effect = .returned(r, expected: config.tasks[t].program[ts.pc].expected)
      held = ts.held
    default:
      preconditionFailure("listener step \(transition.label) on application task \(t)")
    }
    return StepExplanation(
      task: t, kernelFunction: function, locksHeld: held, instruction: ts.pc, effect: effect)
  }

  private func explainListener(_ label: KernelStep, task t: Int, group g: Int, in s: KernelState)
    -> StepExplanation
  {
    let after = apply(Transition(task: t, label: label, footprint: Footprint()), to: s)
    switch (label, s.listeners[g]) {
    case (.fanotifyRead, _):
      let waiter = s.groups[g].queue[0]
      let p = s.tasks[waiter].pending!
      guard case .reported(let fd) = after.tasks[waiter].pending!.status else {
        preconditionFailure("event not reported")
      }
      return StepExplanation(
        task: t, kernelFunction: "fanotify_read → copy_event_to_user → create_fd",
        locksHeld: [], instruction: nil,
        effect: .eventRead(group: g, waiter: waiter, fd: fd, mask: p.mask, range: p.range))
    case (.fillPage(let page), .handling(let h, _)):
      return StepExplanation(
        task: t,
        kernelFunction: "ksys_pwrite64(event fd) → vfs_write → generic_perform_write",
        locksHeld: [.sb_writers, .i_rwsem], instruction: nil,
        effect: .filled(file: h.event.file, page: page))
    case (.fanotifyWrite(let word), .handling(let h, _)):
      let waiter = s.groups[g].accessList.first(where: { $0.fd == h.fd })?.waiter
      let result = responseOutcome(word, fd: h.fd, group: g, in: s)
      return StepExplanation(
        task: t, kernelFunction: "fanotify_write → process_access_response", locksHeld: [],
        instruction: nil,
        effect: .responded(
          group: g, fd: h.fd, response: word, result: result,
          waiter: result == .value(8) ? waiter : nil))
    case (.closeEventFd, .handling(let h, _)):
      return StepExplanation(
        task: t, kernelFunction: "close_fd(event fd) → fput", locksHeld: [], instruction: nil,
        effect: .eventFdClosed(fd: h.fd))
    default:
      preconditionFailure("step \(label) on listener task \(t)")
    }
  }
}
