/// A schedule that does not replay on a system, located at the offending choice.
public struct ReplayError: Error, Hashable, Sendable, CustomStringConvertible {
  /// The 1-based index of the choice that cannot be taken, or 0 when the initial state is wrong.
  public var step: Int
  /// What is wrong at that step.
  public var message: String

  public init(step: Int, message: String) {
    self.step = step
    self.message = message
  }

  public var description: String {
    step == 0 ? "replay: \(message)" : "replay: step \(step): \(message)"
  }
}
