/// A named property checked on every reachable state.
public struct Property<State>: Sendable {
  /// How the predicate is judged.
  public enum Kind: String, Sendable, Hashable {
    /// Must hold in every reachable state; a state where it is false is a violation.
    case always
    /// Must hold in some reachable state; judged only when the exploration is complete.
    case sometimes
    /// Must hold in no reachable state; a state where it is true is a violation.
    case never
  }

  /// Stable id used by reports, tests and expectations (e.g. `I2`).
  public var id: String
  /// One line saying what the property means.
  public var summary: String
  public var kind: Kind
  public var predicate: @Sendable (State) -> Bool
  /// Once reported in a state, reported in every state reachable from it (for example a ghost
  /// flag that steps only ever set). Persistent sets need every property stable: they keep every
  /// final state, and a stable report always reaches one.
  public var isStable = false

  public init(
    id: String, summary: String, kind: Kind, predicate: @escaping @Sendable (State) -> Bool
  ) {
    self.id = id
    self.summary = summary
    self.kind = kind
    self.predicate = predicate
  }

  /// The same property, declared stable.
  public func stable() -> Property {
    var p = self
    p.isStable = true
    return p
  }

  public static func always(
    _ id: String, _ summary: String, _ predicate: @escaping @Sendable (State) -> Bool
  ) -> Property {
    Property(id: id, summary: summary, kind: .always, predicate: predicate)
  }

  public static func sometimes(
    _ id: String, _ summary: String, _ predicate: @escaping @Sendable (State) -> Bool
  ) -> Property {
    Property(id: id, summary: summary, kind: .sometimes, predicate: predicate)
  }

  public static func never(
    _ id: String, _ summary: String, _ predicate: @escaping @Sendable (State) -> Bool
  ) -> Property {
    Property(id: id, summary: summary, kind: .never, predicate: predicate)
  }

  /// True when `state` is a counterexample (for `always`/`never`) or a witness (for `sometimes`).
  public func isReported(in state: State) -> Bool {
    switch kind {
    case .always: return !predicate(state)
    case .sometimes, .never: return predicate(state)
    }
  }
}
