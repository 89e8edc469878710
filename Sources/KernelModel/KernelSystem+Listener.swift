import Exploration

/// Listener tasks: `fanotify_read`, the model's actions through the event fd, the response.
extension KernelSystem {
  /// The listener model serving group `g`.
  func listener(ofGroup g: Int) -> any ListenerModel { config.groups[g].listener! }

  /// The one step the listener of group `g` (task `t`) can take, if any.
  func listenerStep(task t: Int, group g: Int, in s: KernelState) -> Transition<KernelStep>? {
    switch s.listeners[g] {
    case .idle:
      guard let waiter = s.groups[g].queue.first else { return nil }
      return Transition(
        task: t, label: .fanotifyRead,
        footprint: Footprint(writing: [objects.group(g), objects.event(ofTask: waiter)]))
    case .handling(let h, _):
      switch listener(ofGroup: g).actions(for: h.event)[h.action] {
      case .fillRange:
        return Transition(
          task: t, label: .fillPage(page: h.page),
          footprint: Footprint(writing: [objects.page(file: h.event.file, h.page)]))
      case .respond(let word):
        var writes = [objects.group(g)]
        if let entry = s.groups[g].accessList.first(where: { $0.fd == h.fd }) {
          writes.append(objects.event(ofTask: entry.waiter))
        }
        return Transition(
          task: t, label: .fanotifyWrite(response: word), footprint: Footprint(writing: writes))
      case .closeEventFd:
        return Transition(task: t, label: .closeEventFd, footprint: Footprint())
      }
    }
  }

  func applyListener(_ label: KernelStep, group g: Int, to s: inout KernelState) {
    var fds = s.listeners[g].openEventFds
    switch (label, s.listeners[g]) {
    case (.fanotifyRead, .idle):
      let waiter = s.groups[g].queue.removeFirst()
      let fd = Self.lowestFreeEventFd(fds)
      fds.append(fd)
      fds.sort()
      s.groups[g].accessList.append(AccessEntry(fd: fd, waiter: waiter))
      s.tasks[waiter].pending!.status = .reported(fd: fd)
      let p = s.tasks[waiter].pending!
      let event = ListenerEvent(
        mask: p.mask, range: p.range, file: p.file, groupClass: config.groups[g].groupClass)
      let h = Handling(
        waiter: waiter, fd: fd, event: event, action: 0, page: p.range?.pages.lowerBound ?? 0)
      s.listeners[g] = advance(h, group: g, fds: fds, in: s)
    case (.fillPage(let page), .handling(var h, _)):
      // vfs_write(event fd) → file_start_write (sb_writers) → inode_lock (i_rwsem) →
      // generic_perform_write; FMODE_NONOTIFY, so rw_verify_area emits nothing.
      s.inodes[h.event.file].content[page] = .filled
      s.inodes[h.event.file].cache[page] = .filled
      h.page = page + 1
      s.listeners[g] = advance(h, group: g, fds: fds, in: s)
    case (.fanotifyWrite(let word), .handling(var h, _)):
      applyResponse(word, fd: h.fd, group: g, in: &s)
      h.action += 1
      s.listeners[g] = advance(h, group: g, fds: fds, in: s)
    case (.closeEventFd, .handling(var h, _)):
      fds.removeAll { $0 == h.fd }
      h.action += 1
      s.listeners[g] = advance(h, group: g, fds: fds, in: s)
    default:
      preconditionFailure("step \(label) does not apply to listener of group \(g)")
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
  private func applyResponse(_ word: UInt32, fd: Int, group g: Int, in s: inout KernelState) {
    guard case .value = responseOutcome(word, fd: fd, group: g, in: s),
      let i = s.groups[g].accessList.firstIndex(where: { $0.fd == fd })
    else { return }
    let groupClass = config.groups[g].groupClass
    let outcome: ResponseValidation.WaiterOutcome
    switch ResponseValidation.validate(response: word, fd: fd, groupClass: groupClass) {
    case .accept(let o):
      outcome = o
    case .reject:
      // Only reachable with response-validation off: the kernel applies a word the rules forbid.
      outcome = ResponseValidation.unchecked(response: word)
      s.history.answerDiscipline = true
    }
    let waiter = s.groups[g].accessList.remove(at: i).waiter
    s.tasks[waiter].pending!.status = .answered(outcome)
  }

  /// Skips what needs no step (pages already local, finished actions); idle when done.
  private func advance(_ h0: Handling, group g: Int, fds: [Int], in s: KernelState)
    -> ListenerState
  {
    var h = h0
    let actions = listener(ofGroup: g).actions(for: h.event)
    while h.action < actions.count {
      guard case .fillRange = actions[h.action] else { break }
      let file = h.event.file
      let end = min(h.event.range?.pages.upperBound ?? 0, config.files[file].pageCount)
      while h.page < end && s.inodes[file].content[h.page] != .remote { h.page += 1 }
      if h.page < end { break }
      h.action += 1
    }
    return h.action < actions.count ? .handling(h, openEventFds: fds) : .idle(openEventFds: fds)
  }

  /// Event fds are the lowest free numbers from 4 (0–2 are stdio, 3 the fanotify fd).
  static func lowestFreeEventFd(_ open: [Int]) -> Int {
    var fd = 4
    while open.contains(fd) { fd += 1 }
    return fd
  }
}
