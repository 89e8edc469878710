import KernelModel

/// The HSM: fills every stub page of the reported range through the event fd, then allows.
///
/// The event fd is FMODE_NONOTIFY, so its `pwrite`s emit nothing (§3.6 step 4). Events without a
/// range (OPEN_PERM) are allowed without filling.
public struct FillListener: ListenerModel {
  public init() {}
  public var name: String { "fill" }
  public var summary: String {
    "pwrite()s the source content of the reported range through the event fd, then FAN_ALLOW"
  }
  public func actions(for event: ListenerEvent) -> [ListenerAction] {
    [.fillRange, .respond(Fanotify.FAN_ALLOW), .closeEventFd]
  }
}
