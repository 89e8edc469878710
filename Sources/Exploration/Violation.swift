/// A property that does not hold, with the first counterexample the search found.
public struct Violation<Label: Hashable & Sendable>: Hashable, Sendable {
  /// What went wrong.
  public enum Kind: String, Sendable, Hashable {
    /// An `always` property's predicate is false in a reachable state.
    case invariant
    /// A `never` property's predicate is true in a reachable state.
    case never
    /// A reachable state has no enabled step while some task that must finish has not.
    case deadlock
    /// A `sometimes` property held in no reachable state (judged on complete runs only).
    case unreached
  }

  /// The property id of deadlock violations.
  /// (A computed property: generic types cannot have stored static properties.)
  public static var deadlockID: String { "deadlock" }

  /// `Property.id`, or `Violation.deadlockID`.
  public var propertyID: String
  public var kind: Kind
  /// The path to the offending state; nil only for `.unreached`.
  public var path: Path<Label>?
  /// For `.deadlock`, the system's unfinished tasks in the final state; otherwise empty.
  public var unfinishedTasks: [Int]

  public init(propertyID: String, kind: Kind, path: Path<Label>?, unfinishedTasks: [Int] = []) {
    self.propertyID = propertyID
    self.kind = kind
    self.path = path
    self.unfinishedTasks = unfinishedTasks
  }
}
