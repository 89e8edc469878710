import KernelModel

/// An HSM that fills the range, then `ftruncate`s the file to its size through the event fd
/// before allowing. The truncate hook ignores the fd's FMODE_NONOTIFY (B14), so the listener
/// emits an event to its own group and waits for itself.
public struct FillThenFtruncateListener: ListenerModel {
  public init() {}
  public var name: String { "fill-then-ftruncate" }
  public var summary: String {
    "fills through the event fd, then ftruncate(event fd, i_size) (B14: waits on itself)"
  }
  public func actions(for event: ListenerEvent) -> [ListenerAction] {
    [.fillRange, .ftruncateEventFd, .respond(Fanotify.FAN_ALLOW), .closeEventFd]
  }
}
