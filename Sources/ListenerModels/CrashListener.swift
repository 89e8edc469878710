import KernelModel

/// A listener that dies holding an event: closing its group fd makes `fanotify_release` answer
/// every pending event FAN_ALLOW, so readers go on with unfilled content (B17, an I2 gap).
public struct CrashListener: ListenerModel {
  public init() {}
  public var name: String { "crash" }
  public var summary: String {
    "closes its group mid-event: fanotify_release allows everything pending (B17)"
  }
  public func actions(for event: ListenerEvent) -> [ListenerAction] { [.closeGroup] }
}
