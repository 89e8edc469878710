import KernelModel

/// A listener that wrongly reads the watched file through a normal `open(2)`: its own open and
/// read are HSM accesses that notify its own group, so it waits for itself (D1).
public struct ReenterListener: ListenerModel {
  public init() {}
  public var name: String { "reenter" }
  public var summary: String {
    "opens and reads the watched file through a normal fd before answering (D1)"
  }
  public func actions(for event: ListenerEvent) -> [ListenerAction] {
    [.readThroughNormalFd, .respond(Fanotify.FAN_ALLOW), .closeEventFd]
  }
}
