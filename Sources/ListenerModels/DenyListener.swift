import KernelModel

/// Denies every event: `FAN_DENY`, or `FAN_DENY_ERRNO(errno)` when an errno is given.
///
/// The errno is not checked here: an errno outside the allowed list makes the listener's response
/// write fail with EINVAL, as the kernel does (§1.3).
public struct DenyListener: ListenerModel {
  public var errno: Errno?

  public init(errno: Errno? = nil) { self.errno = errno }

  public var name: String { errno.map { "deny \($0.name)" } ?? "deny" }
  public var summary: String {
    errno.map { "answers FAN_DENY_ERRNO(\($0.name))" } ?? "answers FAN_DENY (the task sees EPERM)"
  }
  public func actions(for event: ListenerEvent) -> [ListenerAction] {
    let word = errno.map { Fanotify.FAN_DENY_ERRNO($0) } ?? Fanotify.FAN_DENY
    return [.respond(word), .closeEventFd]
  }
}
