/// `process_access_response()`: validation of a listener's `write(2)` of
/// `struct fanotify_response` (kernel-semantics §1.3), as a pure function.
public enum ResponseValidation {
  /// What the kernel does with one response word.
  public enum Outcome: Hashable, Sendable, Codable {
    /// The word is acceptable; the waiting task will see `result` once the event is found.
    case accept(WaiterOutcome)
    /// The `write(2)` fails with this errno and no event changes.
    case reject(Errno)
  }

  /// What the blocked operation does after the answer.
  public enum WaiterOutcome: Hashable, Sendable, Codable {
    case allow
    case deny(Errno)
  }

  /// Validates `response` for a group of `groupClass`, rows 1–6 and 8 of the table; row 9
  /// (no such event → ENOENT) is the caller's, since it needs the access list.
  public static func validate(
    response: UInt32, fd: Int, groupClass: GroupClass, auditEnabled: Bool = false
  ) -> Outcome {
    let errnoByte = Int32(response >> 24)
    let flags = response & 0x00FF_FFFF
    let known = Fanotify.FAN_ALLOW | Fanotify.FAN_DENY | Fanotify.FAN_AUDIT | Fanotify.FAN_INFO
    if flags & ~known != 0 { return .reject(.EINVAL) }  // 1
    let access = flags & (Fanotify.FAN_ALLOW | Fanotify.FAN_DENY)
    guard access == Fanotify.FAN_ALLOW || access == Fanotify.FAN_DENY else {
      return .reject(.EINVAL)  // 2
    }
    if access == Fanotify.FAN_ALLOW && errnoByte != 0 { return .reject(.EINVAL) }  // 3
    if access == Fanotify.FAN_DENY && errnoByte != 0 {
      if groupClass != .preContent { return .reject(.EINVAL) }  // 4
      let e = Errno(rawValue: errnoByte)
      if !Fanotify.allowedDenyErrnos.contains(e) { return .reject(.EINVAL) }  // 5
    }
    if flags & Fanotify.FAN_AUDIT != 0 && !auditEnabled { return .reject(.EINVAL) }  // 6
    if fd < 0 { return .reject(.EINVAL) }  // 8
    if access == Fanotify.FAN_ALLOW { return .accept(.allow) }
    return .accept(.deny(errnoByte == 0 ? .EPERM : Errno(rawValue: errnoByte)))
  }

  /// The mapping of an answer to the waiter's outcome without validation, as a kernel that
  /// skipped validation would apply it (used by the `responseValidation = off` mutation).
  public static func unchecked(response: UInt32) -> WaiterOutcome {
    if response & Fanotify.FAN_ALLOW != 0 && response & Fanotify.FAN_DENY == 0 { return .allow }
    let errnoByte = Int32(response >> 24)
    return .deny(errnoByte == 0 ? .EPERM : Errno(rawValue: errnoByte))
  }

  /// A readable rendering of a response word: `FAN_ALLOW`, `FAN_DENY_ERRNO(EIO)`, …
  public static func describe(_ response: UInt32) -> String {
    let errnoByte = Int32(response >> 24)
    let access = response & 0x00FF_FFFF
    switch (access, errnoByte) {
    case (Fanotify.FAN_ALLOW, 0): return "FAN_ALLOW"
    case (Fanotify.FAN_DENY, 0): return "FAN_DENY"
    case (Fanotify.FAN_DENY, let e): return "FAN_DENY_ERRNO(\(Errno(rawValue: e).name))"
    default: return "0x" + String(response, radix: 16)
    }
  }
}
