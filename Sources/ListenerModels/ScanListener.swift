import KernelModel

/// An indexer or virus scanner: reads the whole file through the event fd it was handed, then
/// answers FAN_ALLOW (permission events only; a notification event needs no answer).
///
/// The event fd is FMODE_NONOTIFY, so its read emits nothing and sees whatever the file holds,
/// stubs the HSM has not filled included: an exempt read (I2's known gap), as for a real scanner
/// that watches FAN_CLOSE_WRITE on an HSM-managed tree.
public struct ScanListener: ListenerModel {
  public init() {}
  public var name: String { "scan" }
  public var summary: String {
    "preads the whole file through the event fd (an indexer or scanner), then FAN_ALLOW"
  }
  public func actions(for event: ListenerEvent) -> [ListenerAction] {
    [.readEventFd, .respond(Fanotify.FAN_ALLOW), .closeEventFd]
  }
}
