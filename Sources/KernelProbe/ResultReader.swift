import CKernelProbe
import KernelModel

/// Reads the C result into Swift values.
enum ResultReader {
  static func observation(from r: UnsafeMutablePointer<kp_result>, config: KernelConfig)
    -> ProbeObservation
  {
    var events: [ProbeEvent] = []
    for i in 0..<Int(r.pointee.event_count) {
      let e = kp_result_event(r, Int32(i))!.pointee
      let responded = e.responded != 0
      events.append(
        ProbeEvent(
          group: Int(e.group), mask: EventMask(rawValue: UInt32(truncatingIfNeeded: e.mask)),
          range: e.has_range != 0
            ? EventRange(offset: Int(e.offset), count: Int(e.count)) : nil,
          task: e.task >= 0 ? Int(e.task) : nil,
          instruction: e.instruction >= 0 ? Int(e.instruction) : nil,
          response: responded ? e.response : nil,
          responseError: responded && e.response_errno != 0
            ? Errno(rawValue: e.response_errno) : nil,
          file: e.file >= 0 ? Int(e.file) : nil, readAtTeardown: e.read_at_teardown != 0,
          fdError: e.fd_error != 0 ? Errno(rawValue: e.fd_error) : nil,
          readFailed: e.read_error != 0))
    }

    var calls: [ProbeCall] = []
    for i in 0..<Int(r.pointee.call_count) {
      let cptr = kp_result_call(r, Int32(i))!
      let c = cptr.pointee
      let task = Int(c.task)
      let instruction = Int(c.instruction)
      let status: ProbeCall.Status
      switch Int32(c.status) {
      case Int32(KP_STATUS_OK.rawValue): status = .returned(.value(Int(c.value)))
      case Int32(KP_STATUS_ERROR.rawValue): status = .returned(.error(Errno(rawValue: c.err)))
      case Int32(KP_STATUS_BLOCKED.rawValue): status = .blocked
      case Int32(KP_STATUS_KILLED.rawValue):
        status = .killed(signal: Errno(rawValue: 128 + Int32(truncatingIfNeeded: c.value)))
      default: status = .notRun
      }
      var observed: [PageContent]?
      var firstPage: Int?
      let syscall = config.tasks[task].program[instruction].syscall
      if isRead(syscall), case .returned(.value) = status {
        let n = max(0, Int(c.observed_count))
        observed = (0..<n).map { page(Int32(kp_call_observed(cptr, Int32($0)))) }
        if n > 0 { firstPage = Int(c.observed_first_page) }
      }
      calls.append(
        ProbeCall(
          task: task, instruction: instruction, status: status, observed: observed,
          firstObservedPage: firstPage))
    }

    var notes: [String] = []
    for i in 0..<Int(r.pointee.note_count) {
      notes.append(String(cString: kp_result_note(r, Int32(i))))
    }
    var taskSleepsIn: [Int: [String]] = [:]
    for t in config.tasks.indices {
      let w = String(cString: kp_result_task_where(r, Int32(t)))
      if !w.isEmpty { taskSleepsIn[t] = w.split(separator: " ").map(String.init) }
    }
    var listenerSleepsIn: [Int: [String]] = [:]
    for g in config.groups.indices where kp_result_listener_blocked(r, Int32(g)) != 0 {
      let w = String(cString: kp_result_listener_where(r, Int32(g)))
      listenerSleepsIn[g] = w.split(separator: " ").map(String.init)
    }
    var finalFiles: [Int: FileSnapshot] = [:]
    for f in config.files.indices {
      let size = Int(kp_result_final_size(r, Int32(f)))
      guard size >= 0 else { continue }
      let pages = (0..<(size + Fanotify.pageSize - 1) / Fanotify.pageSize).map {
        page(Int32(kp_result_final_page(r, Int32(f), Int32($0))))
      }
      finalFiles[f] = FileSnapshot(size: size, pages: pages)
    }
    return ProbeObservation(
      events: events, calls: calls, notes: notes, privateFilesystem: r.pointee.private_fs != 0,
      taskSleepsIn: taskSleepsIn, listenerSleepsIn: listenerSleepsIn,
      unrecovered: Int(r.pointee.unrecovered), finalFiles: finalFiles)
  }

  static func isRead(_ syscall: Syscall) -> Bool {
    switch syscall {
    case .read, .pread, .readv, .preadv, .spliceToPipe, .load: return true
    default: return false
    }
  }

  static func page(_ code: Int32) -> PageContent {
    switch code {
    case Int32(KP_PAGE_REMOTE.rawValue): return .remote
    case Int32(KP_PAGE_FILLED.rawValue): return .filled
    case Int32(KP_PAGE_WRITTEN.rawValue): return .written
    default: return .hole
    }
  }
}
