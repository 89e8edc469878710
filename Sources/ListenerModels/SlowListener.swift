import KernelModel

/// The HSM of `fill`, but slow: in the deterministic schedule it reads events only once every
/// application task that can move has moved, so waiters overlap with other tasks' work.
/// Exploration already covers every timing; this changes which one `trace` and `explain` show.
public struct SlowListener: ListenerModel {
  public init() {}
  public var name: String { "slow" }
  public var summary: String {
    "fills and allows like fill, but answers only after the other tasks moved (deterministic schedule)"
  }
  public var answersLast: Bool { true }
  public func actions(for event: ListenerEvent) -> [ListenerAction] {
    FillListener().actions(for: event)
  }
}
