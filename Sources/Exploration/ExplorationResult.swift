/// What an exploration found: violations, witnesses, whether it was exhaustive, and statistics.
public struct ExplorationResult<Label: Hashable & Sendable>: Hashable, Sendable {
  /// Nil when every reachable state was enumerated; otherwise the bound that stopped the run. An
  /// incomplete run is never a pass, even without violations.
  public var incomplete: Bound?
  /// The first counterexample of each violated property (and at most one deadlock), in the order
  /// found; `.unreached` violations (complete runs only) come last.
  public var violations: [Violation<Label>]
  /// The first witness of each `sometimes` property that holds somewhere, in the order found.
  public var witnesses: [Witness<Label>]
  public var stats: Statistics
  /// For a compact visited set (`ExplorationConfig.Storage`), the probability that it made the
  /// search miss a state: `.hashCompact` n(n − 1)/2⁶⁵ for n states (at least one 64-bit
  /// collision, union bound); `.bitstate` f² for the fraction f of set bits (that a new state is
  /// wrongly considered visited; (1 − e^(−2n/m))² in expectation). Nil for `.exact`. A complete
  /// run with a non-nil figure is complete only up to this probability.
  public var omissionProbability: Double?

  public init(
    incomplete: Bound?, violations: [Violation<Label>], witnesses: [Witness<Label>],
    stats: Statistics, omissionProbability: Double? = nil
  ) {
    self.incomplete = incomplete
    self.violations = violations
    self.witnesses = witnesses
    self.stats = stats
    self.omissionProbability = omissionProbability
  }

  /// True when the run enumerated every reachable state.
  public var isComplete: Bool { incomplete == nil }

  /// Sorted property ids of violations — "the violation set".
  public var violatedPropertyIDs: [String] {
    violations.map(\.propertyID).sorted()
  }

  /// The first violation of `propertyID`, if any.
  public func violation(of propertyID: String) -> Violation<Label>? {
    violations.first { $0.propertyID == propertyID }
  }

  /// True when the run is complete and found no violation.
  public var passed: Bool { isComplete && violations.isEmpty }
}
