/// A path through a system: the replayable schedule and the transitions it takes.
public struct Path<Label: Hashable & Sendable>: Hashable, Sendable {
  /// The schedule that replays this path (`TransitionSystem.replay(_:)`).
  public var schedule: Schedule
  /// The transitions taken, one per choice of `schedule`.
  public var transitions: [Transition<Label>]

  public init(schedule: Schedule, transitions: [Transition<Label>]) {
    self.schedule = schedule
    self.transitions = transitions
  }

  /// The number of steps.
  public var count: Int { transitions.count }
}
