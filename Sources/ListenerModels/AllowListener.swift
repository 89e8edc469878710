import KernelModel

/// Answers every event `FAN_ALLOW` without filling anything: a listener that forgot its job.
public struct AllowListener: ListenerModel {
  public init() {}
  public var name: String { "allow" }
  public var summary: String { "answers FAN_ALLOW at once and fills nothing" }
  public func actions(for event: ListenerEvent) -> [ListenerAction] {
    [.respond(Fanotify.FAN_ALLOW), .closeEventFd]
  }
}
