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
}
