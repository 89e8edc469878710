import Exploration

/// Application tasks: syscall entry, the open and read paths, return to user space.
extension KernelSystem {
  /// The one step application task `t` can take in `s`, if any.
  func appStep(task t: Int, in s: KernelState) -> Transition<KernelStep>? {
    let ts = s.tasks[t]
    switch ts.phase {
    case .user:
      let program = config.tasks[t].program
      guard ts.pc < program.count else { return nil }
      let footprint: Footprint
      switch program[ts.pc].syscall {
      case .open, .read, .pread: footprint = Footprint(reading: [objects.marks])
      case .close: footprint = Footprint()
      case .fanotifyMark: footprint = Footprint(writing: [objects.marks])
      }
      return Transition(task: t, label: .syscallEntry(pc: ts.pc), footprint: footprint)
    case .notify(let n):
      return queueStep(task: t, n, in: s)
    case .waiting:
      guard case .answered = ts.pending?.status else { return nil }
      let event = objects.event(ofTask: t)
      return Transition(
        task: t, label: .fanotifyGetResponse,
        footprint: Footprint(reading: [objects.marks], writing: [event]))
    case .reading(let page, _, _):
      let file = ts.fds[ts.io!.slot]!.file
      let object = objects.page(file: file, page)
      if s.inodes[file].cache[page] == nil {
        return Transition(
          task: t, label: .filemapReadFolio(page: page), footprint: Footprint(writing: [object]))
      }
      return Transition(
        task: t, label: .copyFolioToIter(page: page), footprint: Footprint(reading: [object]))
    case .returning:
      return Transition(task: t, label: .syscallReturn, footprint: Footprint())
    }
  }

  func applyApp(_ label: KernelStep, task t: Int, to s: inout KernelState) {
    switch (label, s.tasks[t].phase) {
    case (.syscallEntry(let pc), _):
      enterSyscall(config.tasks[t].program[pc].syscall, task: t, in: &s)
    case (.fsnotifyQueue, .notify(let n)):
      applyQueue(task: t, n, in: &s)
    case (.fanotifyGetResponse, .waiting(let n)):
      applyGetResponse(task: t, n, in: &s)
    case (.filemapReadFolio(let page), _):
      let file = s.tasks[t].fds[s.tasks[t].io!.slot]!.file
      s.inodes[file].cache[page] = s.inodes[file].content[page]
    case (.copyFolioToIter(let page), .reading(_, let endPage, let bytes)):
      copyFolio(page: page, endPage: endPage, bytes: bytes, task: t, in: &s)
    case (.syscallReturn, .returning(let result)):
      let instruction = config.tasks[t].program[s.tasks[t].pc]
      if let expected = instruction.expected, !expected.matches(result) {
        s.history.resultMismatch = true
      }
      s.tasks[t].held.remove(.f_pos_lock)  // fdput_pos
      s.tasks[t].io = nil
      s.tasks[t].pc += 1
      s.tasks[t].phase = .user
    default:
      preconditionFailure("step \(label) does not apply to task \(t) in \(s.tasks[t].phase)")
    }
  }

  /// Leaves the syscall with `result` at the next step.
  func endSyscall(task t: Int, _ result: SyscallResult, in s: inout KernelState) {
    s.tasks[t].phase = .returning(result)
  }

  private func enterSyscall(_ syscall: Syscall, task t: Int, in s: inout KernelState) {
    switch syscall {
    case .open(let file, let flags, _):
      // do_dentry_open → fsnotify_open_perm_and_set_mode (6.17+, §2.3).
      let (mode, mask) = openTimeMode(file: file, in: s)
      s.tasks[t].opening = OpenFile(file: file, flags: flags, mode: mode, pos: 0)
      if mask.contains(.FAN_OPEN_PERM) {
        let n = Notification(mask: .FAN_OPEN_PERM, range: nil, file: file, cursor: 0)
        continueNotification(task: t, n, in: &s)
      } else {
        finishOpen(task: t, in: &s)
      }
    case .read(let slot, let count), .pread(let slot, _, let count):
      guard let ofd = s.tasks[t].fds[slot], ofd.flags.canRead else {
        endSyscall(task: t, .error(.EBADF), in: &s)
        return
      }
      var pos = ofd.pos
      var usesFilePosition = true
      if case .pread(_, let offset, _) = syscall {
        pos = offset
        usesFilePosition = false
      } else {
        s.tasks[t].held.insert(.f_pos_lock)  // fdget_pos
      }
      s.tasks[t].io = IORequest(
        slot: slot, pos: pos, count: count, usesFilePosition: usesFilePosition)
      // rw_verify_area → fsnotify_file_area_perm (§2.4).
      if ofd.mode.preContent {
        let n = Notification(
          mask: .FAN_PRE_ACCESS, range: eventRange(pos: pos, len: count), file: ofd.file,
          cursor: 0)
        continueNotification(task: t, n, in: &s)
      } else {
        startFilemapRead(task: t, in: &s)
      }
    case .close(let slot):
      let had = s.tasks[t].fds[slot] != nil
      s.tasks[t].fds[slot] = nil
      endSyscall(task: t, had ? .value(0) : .error(.EBADF), in: &s)
    case .fanotifyMark(let mark):
      if let e = markError(mark, in: s) {
        endSyscall(task: t, .error(e), in: &s)
      } else {
        s.addMark(mark)
        endSyscall(task: t, .value(0), in: &s)
      }
    }
  }

  /// The range record for an access at `pos` of `len` bytes under the profile.
  func eventRange(pos: Int, len: Int) -> EventRange {
    config.profile.pageAlignedRanges
      ? .pageAligned(pos: pos, len: len) : EventRange(offset: pos, count: len)
  }

  /// `fsnotify_open_perm_and_set_mode()` (6.17+): the notify mode of a new file and the
  /// permission events marked on it.
  public func openTimeMode(file: Int, in s: KernelState) -> (NotifyMode, EventMask) {
    // Fast path: no object on the sb watched by a group of priority >= CONTENT.
    guard s.marks.contains(where: { config.groups[$0.group].groupClass >= .content }) else {
      return (.noPerm, [])
    }
    var mask: EventMask = []
    for m in s.marks where m.object == .inode(file: file) {
      mask.formUnion(m.mask.intersection(.permissionEvents))
    }
    if mask.contains(.FAN_ACCESS_PERM) { return (.allPerm, mask) }
    if mask.contains(.FAN_PRE_ACCESS) { return (.hsm, mask) }  // regular files only
    return (.noPerm, mask)
  }

  /// `fd_install()`: the opened file enters its fd slot.
  func finishOpen(task t: Int, in s: inout KernelState) {
    guard case .open(_, _, let slot) = config.tasks[t].program[s.tasks[t].pc].syscall,
      let file = s.tasks[t].opening
    else { return }
    s.tasks[t].fds[slot] = file
    s.tasks[t].opening = nil
    endSyscall(task: t, .value(Self.fdNumber(ofSlot: slot)), in: &s)
  }

  /// The fd number a program's fd slot stands for: 3 + slot.
  public static func fdNumber(ofSlot slot: Int) -> Int { 3 + slot }

  /// `->read_iter` → `filemap_read()`: clamp to EOF, then one step per page.
  func startFilemapRead(task t: Int, in s: inout KernelState) {
    guard let io = s.tasks[t].io, let ofd = s.tasks[t].fds[io.slot] else { return }
    let size = config.files[ofd.file].size
    let bytes = max(0, min(io.count, size - io.pos))
    if bytes == 0 {
      endSyscall(task: t, .value(0), in: &s)
      return
    }
    let page = Fanotify.pageSize
    s.tasks[t].phase = .reading(
      page: io.pos / page, endPage: (io.pos + bytes - 1) / page, bytes: bytes)
  }

  /// `copy_folio_to_iter()`: what the user buffer receives; checks I2 on stub content.
  private func copyFolio(
    page: Int, endPage: Int, bytes: Int, task t: Int, in s: inout KernelState
  ) {
    let io = s.tasks[t].io!
    let ofd = s.tasks[t].fds[io.slot]!
    if s.inodes[ofd.file].cache[page] == .remote {
      if ofd.mode.preContent {
        s.history.unnotifiedRead = true
      } else {
        s.history.gapRead = true
      }
    }
    if page < endPage {
      s.tasks[t].phase = .reading(page: page + 1, endPage: endPage, bytes: bytes)
    } else {
      if io.usesFilePosition { s.tasks[t].fds[io.slot]!.pos += bytes }
      endSyscall(task: t, .value(bytes), in: &s)
    }
  }

  /// `fanotify_mark()` checks for adding `mark` (§1.5), or nil when it may be added.
  public func markError(_ mark: Mark, in s: KernelState) -> Errno? {
    let groupClass = config.groups[mark.group].groupClass
    if !mark.mask.intersection(.permissionEvents).isEmpty && groupClass == .notif {
      return .EINVAL
    }
    if mark.mask.contains(.FAN_PRE_ACCESS) {
      if groupClass != .preContent { return .EINVAL }
      if mark.mask.contains(.FAN_ONDIR) { return .EINVAL }
      if !config.filesystem.allowsHSM { return .EOPNOTSUPP }
    }
    if let existing = s.marks.first(where: { $0.group == mark.group && $0.object == mark.object }
    ) {
      let union = existing.mask.union(mark.mask)
      if union.contains(.FAN_PRE_ACCESS) && union.contains(.FAN_ONDIR) { return .EEXIST }
    }
    return nil
  }
}
