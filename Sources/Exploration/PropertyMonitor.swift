/// Evaluates a system's properties on stored states and keeps the first report of each.
///
/// A property id is settled once it has its first counterexample (`always`, `never`) or witness
/// (`sometimes`); settled properties are no longer evaluated.
@usableFromInline
struct PropertyMonitor<System: TransitionSystem> {
  @usableFromInline
  typealias Label = System.Label

  @usableFromInline
  let properties: [Property<System.State>]
  /// The properties not yet settled, in declaration order: evaluated on every stored state, so
  /// each is its index and predicate alone (copying a `Property` out of an array retains its
  /// strings).
  @usableFromInline
  var active: [Check]

  @usableFromInline
  struct Check {
    @usableFromInline let index: Int
    @usableFromInline let predicate: @Sendable (System.State) -> Bool
    /// Reported when the predicate is true (`sometimes`, `never`), else when it is false.
    @usableFromInline let reportsWhen: Bool

    @inlinable
    init(_ index: Int, _ property: Property<System.State>) {
      self.index = index
      predicate = property.predicate
      reportsWhen = property.kind != .always
    }
  }
  // Membership tests only; never iterated.
  @usableFromInline
  var violatedIDs: Set<String> = []
  @usableFromInline
  var witnessedIDs: Set<String> = []

  @usableFromInline
  var violations: [Violation<Label>] = []
  @usableFromInline
  var witnesses: [Witness<Label>] = []

  @inlinable
  init(properties: [Property<System.State>]) {
    self.properties = properties
    active = properties.indices.map { Check($0, properties[$0]) }
  }

  /// What a search found, ending with `incomplete` (nil: every reachable state was enumerated):
  /// `stats` closed with the elapsed time and the visited set's figures.
  @inlinable
  func result(
    incomplete: Bound?, stats: Statistics, budget: SearchBudget, table: VisitedSet
  ) -> ExplorationResult<Label> {
    var stats = stats
    stats.close(elapsedSeconds: budget.elapsedSeconds)
    table.report(into: &stats)
    return ExplorationResult(
      incomplete: incomplete,
      violations: finalViolations(complete: incomplete == nil),
      witnesses: witnesses,
      stats: stats,
      omissionProbability: table.omissionProbability)
  }

  /// The last property summary `reports(in:summary:)` evaluated and what it reported; forgotten
  /// when a property settles.
  @usableFromInline
  var memo: (summary: UInt64, reports: [Int])?

  /// The unsettled properties reported in `state` (usually none, which allocates nothing). A
  /// state whose `TransitionSystem.propertySummary` (`summary`) is the last one evaluated reports
  /// what that one reported, unevaluated.
  @inlinable
  mutating func reports(in state: System.State, summary: UInt64?) -> [Int] {
    if let summary, let memo, memo.summary == summary { return memo.reports }
    var reported: [Int] = []
    active.withUnsafeBufferPointer { checks in
      for check in checks where check.predicate(state) == check.reportsWhen {
        reported.append(check.index)
      }
    }
    memo = summary.map { ($0, reported) }
    return reported
  }

  /// Records the first counterexample or witness of each property in `reports` (from
  /// `reports(in:summary:)`), with `path` as the path to the state. Returns true when a violation was
  /// recorded.
  @inlinable
  mutating func record(_ reports: [Int], path: Path<Label>) -> Bool {
    var violated = false
    for index in reports {
      let property = properties[index]
      guard !isSettled(property) else { continue }
      switch property.kind {
      case .always:
        violatedIDs.insert(property.id)
        violations.append(Violation(propertyID: property.id, kind: .invariant, path: path))
        violated = true
      case .never:
        violatedIDs.insert(property.id)
        violations.append(Violation(propertyID: property.id, kind: .never, path: path))
        violated = true
      case .sometimes:
        witnessedIDs.insert(property.id)
        witnesses.append(Witness(propertyID: property.id, path: path))
      }
    }
    active = active.filter { !isSettled(properties[$0.index]) }
    memo = nil
    return violated
  }

  /// Records a deadlock unless one was recorded before.
  @inlinable
  mutating func recordDeadlock(path: Path<Label>, unfinishedTasks: [Int]) {
    guard !violatedIDs.contains(Violation<Label>.deadlockID) else { return }
    violatedIDs.insert(Violation<Label>.deadlockID)
    violations.append(
      Violation(
        propertyID: Violation<Label>.deadlockID, kind: .deadlock, path: path,
        unfinishedTasks: unfinishedTasks))
  }

  /// True once a deadlock has been recorded.
  @usableFromInline
  var hasDeadlock: Bool { violatedIDs.contains(Violation<Label>.deadlockID) }

  /// The violations, followed (for a complete run only) by one `.unreached` violation per
  /// `sometimes` property id never witnessed, in declaration order.
  @inlinable
  func finalViolations(complete: Bool) -> [Violation<Label>] {
    guard complete else { return violations }
    var result = violations
    var reported: Set<String> = []
    for property in properties where property.kind == .sometimes {
      guard !witnessedIDs.contains(property.id), !reported.contains(property.id) else { continue }
      reported.insert(property.id)
      result.append(Violation(propertyID: property.id, kind: .unreached, path: nil))
    }
    return result
  }

  @inlinable
  func isSettled(_ property: Property<System.State>) -> Bool {
    property.kind == .sometimes
      ? witnessedIDs.contains(property.id) : violatedIDs.contains(property.id)
  }
}
