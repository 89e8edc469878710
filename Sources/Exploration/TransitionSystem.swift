/// A finite transition system the explorer can enumerate.
///
/// A system has a fixed number of tasks. In each state it lists the enabled transitions in a fixed,
/// deterministic order (ascending task, then the system's own order within a task). A task may offer
/// several alternatives at once (nondeterministic choice); the explorer identifies an alternative by
/// its position among the same task's transitions in that list.
public protocol TransitionSystem: Sendable {
  associatedtype State: Hashable & Sendable
  /// What a step is. Two transitions of one task in two states are "the same step" when their
  /// labels are equal; sleep sets rely on this.
  associatedtype Label: Hashable & Sendable

  /// Number of tasks; task ids are `0..<taskCount`.
  var taskCount: Int { get }

  /// A short name for a task, used in schedules' narration and reports.
  func taskName(_ task: Int) -> String

  /// The initial states, in a fixed order.
  func initialStates() -> [State]

  /// The enabled transitions of `state`, ascending by task, deterministic within a task.
  func transitions(from state: State) -> [Transition<Label>]

  /// The successor of `state` after `transition` (which was returned by `transitions(from:)`).
  /// `state` is the caller's copy to change (`consuming`): the searches hand over the copy they
  /// must make anyway, so a step copies its state once.
  func apply(_ transition: Transition<Label>, to state: consuming State) -> State

  /// `apply` into a state the caller keeps for reuse: `successor` becomes the successor of
  /// `state` after `transition`, written into `successor`'s own buffers where they fit, so a
  /// search that discards most successors (already visited) does not allocate and free a state
  /// per step. Default: `successor = apply(transition, to: state)`.
  func apply(_ transition: Transition<Label>, to state: State, into successor: inout State)

  /// Tasks that must finish and have not. A state with no enabled transition and a non-empty
  /// answer is a deadlock. Tasks that may block forever (server loops) are never listed.
  func unfinishedTasks(in state: State) -> [Int]

  /// Appends the canonical encoding of `state`. Equal states must encode equally, and unequal
  /// states should encode differently; the fingerprint of the encoding keys the visited set.
  func encode(_ state: State, into encoder: inout StateEncoder)

  /// The properties checked on every reachable state.
  var properties: [Property<State>] { get }

  /// Symmetry reduction: appends the encoding of the representative of `state` under the
  /// permutations of interchangeable tasks, and returns the permutation applied
  /// (`permutation[t]` is task `t`'s id in the representative), or nil for none (the
  /// identity). Two states with equal representative encodings must be equal up to such a
  /// permutation, labels must name no task ids, and properties must not depend on which task is
  /// which. Default: no symmetry (`encode`, nil).
  func encodeRepresentative(_ state: State, into encoder: inout StateEncoder) -> [Int]?

  /// Persistent sets: an over-approximation of what task `task` may read or write in any step
  /// it can take from `state` on, provided no step of the tasks in `frozen` is taken meanwhile
  /// (their current steps included). nil means unknown (anything). Default: nil, and no
  /// persistent sets.
  func futureFootprint(ofTask task: Int, in state: State, frozen: [Int]) -> Footprint?

  /// A summary of what `properties` read in `state`: states with equal summaries are reported
  /// alike by every property, so a search evaluates the properties once per run of equal
  /// summaries. nil: none (every state is evaluated). Default: nil.
  func propertySummary(of state: State) -> UInt64?

  /// A copy of the system that shares no heap buffer with this one, for a search thread of its
  /// own: threads that read the same buffers contend on their reference counts. Default: self.
  func replica() -> Self

  /// `state` in buffers of its own, shared with no other state (parallel depth-first search
  /// hands each seed to its thread this way). Default: the state itself.
  func unshared(_ state: State) -> State
}

extension TransitionSystem {
  public func encodeRepresentative(_ state: State, into encoder: inout StateEncoder) -> [Int]? {
    encode(state, into: &encoder)
    return nil
  }

  public func futureFootprint(ofTask task: Int, in state: State, frozen: [Int]) -> Footprint? {
    nil
  }

  public func propertySummary(of state: State) -> UInt64? { nil }

  public func replica() -> Self { self }

  public func unshared(_ state: State) -> State { state }

  public func apply(_ transition: Transition<Label>, to state: State, into successor: inout State) {
    successor = apply(transition, to: state)
  }
}

/// One enabled step of one task.
public struct Transition<Label: Hashable & Sendable>: Hashable, Sendable {
  /// The task that takes the step.
  public var task: Int
  /// What the step does; the system interprets it in `apply`.
  public var label: Label
  /// What the step reads and writes; drives partial-order reduction.
  public var footprint: Footprint

  public init(task: Int, label: Label, footprint: Footprint) {
    self.task = task
    self.label = label
    self.footprint = footprint
  }
}

extension TransitionSystem {
  /// The first step of `enabled` that names a task outside `0..<taskCount`, or nil. (The searches
  /// test this first and build the error only for such a step: a throwing check that took the
  /// path as a closure made every state copy the system, the closure capturing the search.)
  @inlinable
  func stepNamingNoTask(in enabled: [Transition<Label>]) -> Transition<Label>? {
    enabled.first { $0.task < 0 || $0.task >= taskCount }
  }

  /// The `.invalidTransition` error for `transition` (from `stepNamingNoTask`), found in the
  /// state `schedule` leads to.
  @inlinable
  func invalidTransition(_ transition: Transition<Label>, schedule: Schedule) -> ExplorationError {
    ExplorationError(
      kind: .invalidTransition,
      message:
        "step '\(String(describing: transition.label))' names task \(transition.task), "
        + "but the system has \(taskCount) tasks",
      schedule: schedule)
  }
}
