/// The text of one scenario file and the path it is reported under.
public struct SourceFile: Hashable, Sendable {
  public var path: String
  public var text: String

  public init(path: String, text: String) {
    self.path = path
    self.text = text
  }

  /// The lines of `text` without their terminators (`\n` or `\r\n`).
  ///
  /// A text that ends with a terminator has an empty last line; the empty text has one empty line.
  public var lines: [Substring] {
    text.split(omittingEmptySubsequences: false, whereSeparator: \.isLineTerminator)
  }

  /// The source text of line `n` (1-based) without its terminator; `""` if out of range.
  public func line(_ n: Int) -> Substring {
    let lines = self.lines
    guard n >= 1, n <= lines.count else { return "" }
    return lines[n - 1]
  }
}

extension Character {
  /// Whether the character ends a line: `\n` or `\r\n` (one `Character` in Swift).
  ///
  /// A lone `\r` does not end a line.
  var isLineTerminator: Bool { self == "\n" || self == "\r\n" }
}
