import KernelModel
import ScenarioFormat

/// A resolved scenario: its identity, its expectations and the kernel system it sets up.
public struct Scenario: Sendable {
  public var name: String
  public var question: String
  public var expectations: Expectations
  public var config: KernelConfig
  public var source: SourceFile
}

/// What a scenario says exploration must find.
public struct Expectations: Hashable, Sendable {
  /// Property ids (and `deadlock`) that must be violated; every other one must hold.
  public var violations: Set<String> = []
  /// Known-gap property ids that must be reached; every other gap must not be.
  public var gaps: Set<String> = []
  /// The deterministic trace's events, in order (`expect event …`; `expect no-events` for none);
  /// nil when the scenario does not say.
  public var events: [ExpectedEvent]?
  /// `expect lock-cycle`: the lock-order analysis (`fanmc lockdep`) finds a cycle, whether or
  /// not a schedule closes it; nil when the scenario does not say (the analysis is not run).
  public var lockCycle: Bool?
}

/// One event the deterministic trace must show: its mask, its range (nil: not checked) and the
/// response it gets.
public struct ExpectedEvent: Hashable, Sendable {
  public var mask: EventMask
  public var range: EventRange?
  /// The answer to a permission event; nil for a notification event.
  public var response: UInt32?
}
