import KernelModel

/// Reads every event and never answers: the waiting task sleeps in `fanotify_get_response`
/// forever (a stopped or buggy daemon, D8).
public struct SilentListener: ListenerModel {
  public init() {}
  public var name: String { "silent" }
  public var summary: String { "reads events and never answers (D8)" }
  public func actions(for event: ListenerEvent) -> [ListenerAction] { [] }
}
