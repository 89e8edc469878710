/// The states and transitions of a schedule re-executed on a system.
public struct Replay<System: TransitionSystem>: Sendable {
  /// `states[0]` is the initial state; `states[i + 1]` is the state after `transitions[i]`.
  public var states: [System.State]
  public var transitions: [Transition<System.Label>]

  public init(states: [System.State], transitions: [Transition<System.Label>]) {
    precondition(states.count == transitions.count + 1, "a replay has one more state than steps")
    self.states = states
    self.transitions = transitions
  }

  /// The state the schedule ends in.
  public var finalState: System.State { states.last! }
}
