/// A reason an exploration could not produce a result: the system or the configuration is wrong.
public struct ExplorationError: Error, Hashable, Sendable, CustomStringConvertible {
  /// Which rule was broken.
  public enum Kind: String, Sendable, Hashable {
    /// `initialStates()` returned nothing.
    case noInitialState
    /// A bound of the configuration is negative or not a number.
    case invalidConfiguration
    /// A transition names a task outside `0..<taskCount`.
    case invalidTransition
    /// Two steps whose footprints claim independence do not commute or disable each other
    /// (found with `checkIndependence`).
    case dependentFootprints
    /// A step falls outside its task's future footprint, or a future footprint grew (found
    /// with `checkIndependence` and `persistentSets`).
    case futureFootprintTooSmall
  }

  public var kind: Kind
  /// One line saying what is wrong, naming steps by their labels.
  public var message: String
  /// The schedule that reaches the state where the problem shows, when there is one.
  public var schedule: Schedule?

  public init(kind: Kind, message: String, schedule: Schedule? = nil) {
    self.kind = kind
    self.message = message
    self.schedule = schedule
  }

  public var description: String {
    guard let schedule else { return "exploration: \(message)" }
    return "exploration: \(message) (at schedule \(schedule))"
  }
}
