/// A kernel version's semantics as data: a named preset of switches (design §3.3).
///
/// Paths consult switches, never version names. A scenario may override single switches.
public struct Profile: Hashable, Sendable {
  public var name: String
  /// One line on what this kernel is.
  public var summary: String
  /// Ranges are page aligned (v7+) rather than exact byte ranges (v2).
  public var pageAlignedRanges: Bool
  /// `process_access_response` validates responses (§1.3). Off is a mutation (hazard scenarios).
  public var responseValidation: Bool

  public init(
    name: String, summary: String, pageAlignedRanges: Bool,
    responseValidation: Bool
  ) {
    self.name = name
    self.summary = summary
    self.pageAlignedRanges = pageAlignedRanges
    self.responseValidation = responseValidation
  }

  /// Linux 6.18, the kernel of the development and CI machines.
  public static let v6_18 = Profile(
    name: "6.18", summary: "mainline 6.18: merged hooks, 6.17 fmode encoding, mmap offset fixed",
    pageAlignedRanges: true, responseValidation: true)

  /// Every preset, oldest first.
  public static let presets: [Profile] = [.v6_18]

  public static func preset(named name: String) -> Profile? {
    presets.first { $0.name == name }
  }

  /// A switch a scenario may override, with its current value as text.
  public struct Switch: Hashable, Sendable {
    public var name: String
    public var value: String
    public var summary: String
  }

  /// The switches, in a fixed order.
  public var switches: [Switch] {
    [
      Switch(
        name: "page-aligned-ranges", value: pageAlignedRanges ? "on" : "off",
        summary: "range records are page aligned (v7+) instead of exact bytes (v2)"),
      Switch(
        name: "response-validation", value: responseValidation ? "on" : "off",
        summary: "process_access_response rejects invalid responses (off: mutation)"),
    ]
  }

  /// Sets one switch by name; returns an error message for an unknown switch or value.
  public mutating func set(_ name: String, to value: String) -> String? {
    func bool() -> Bool? { value == "on" ? true : value == "off" ? false : nil }
    switch name {
    case "page-aligned-ranges":
      guard let v = bool() else { return "page-aligned-ranges takes on or off, not '\(value)'" }
      pageAlignedRanges = v
    case "response-validation":
      guard let v = bool() else { return "response-validation takes on or off, not '\(value)'" }
      responseValidation = v
    default:
      return "unknown profile switch '\(name)'"
    }
    return nil
  }
}
