/// A path to a state where a `sometimes` property holds.
public struct Witness<Label: Hashable & Sendable>: Hashable, Sendable {
  public var propertyID: String
  public var path: Path<Label>

  public init(propertyID: String, path: Path<Label>) {
    self.propertyID = propertyID
    self.path = path
  }
}
