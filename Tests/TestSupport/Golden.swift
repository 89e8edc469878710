import Foundation

/// Paths inside the repository, found from this source file's location.
public enum Repository {
  /// The repository root (the folder holding Package.swift).
  public static let root: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  /// `Scenarios/` and every `.scenario` file under it, sorted by relative path.
  public static func scenarioPaths() -> [String] {
    let base = root.appendingPathComponent("Scenarios").path
    let found = FileManager.default.enumerator(atPath: base)?.allObjects as? [String] ?? []
    return found.filter { $0.hasSuffix(".scenario") }.sorted().map { "Scenarios/" + $0 }
  }

  /// The text of a repository file.
  public static func read(_ relativePath: String) throws -> String {
    try String(contentsOf: root.appendingPathComponent(relativePath), encoding: .utf8)
  }
}

/// Golden files under `Tests/Golden/`: exact expected renderings. Re-record them only by running
/// the tests with `FANMC_RECORD_GOLDEN=1`, then review the diff.
public enum Golden {
  /// Compares `actual` with the golden file `name`; returns a description of the difference, or
  /// nil when equal (or just recorded).
  public static func mismatch(_ actual: String, named name: String) -> String? {
    let url = Repository.root.appendingPathComponent("Tests/Golden/\(name)")
    if ProcessInfo.processInfo.environment["FANMC_RECORD_GOLDEN"] == "1" {
      try? actual.write(to: url, atomically: true, encoding: .utf8)
      return nil
    }
    guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
      return "golden file Tests/Golden/\(name) is missing (record with FANMC_RECORD_GOLDEN=1)"
    }
    if expected == actual { return nil }
    let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
    let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
    let line = (0..<min(a.count, e.count)).first { a[$0] != e[$0] } ?? min(a.count, e.count)
    return """
      \(name) differs at line \(line + 1):
        expected: \(line < e.count ? String(e[line]) : "<end>")
        actual:   \(line < a.count ? String(a[line]) : "<end>")
      """
  }

  /// Replaces run-dependent figures (seconds, rates, memory) so reports can be pinned.
  public static func masked(_ text: String) -> String {
    var s = text
    for (pattern, replacement) in [
      (#"\d+\.\d{3} s"#, "#.### s"),
      (#""seconds" : [0-9.e+-]+"#, #""seconds" : 0"#),
      (#""statesPerSecond" : [0-9.e+-]+"#, #""statesPerSecond" : 0"#),
      (#""peakMemoryBytes" : \d+"#, #""peakMemoryBytes" : 0"#),
    ] {
      s = s.replacingOccurrences(of: pattern, with: replacement, options: .regularExpression)
    }
    return s
  }
}
