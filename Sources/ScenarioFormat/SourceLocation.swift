/// A position in a scenario file: a 1-based line and a 1-based column.
///
/// Columns count `Character`s (extended grapheme clusters) of the line; a tab is one column.
public struct SourceLocation: Hashable, Sendable, Comparable, CustomStringConvertible {
  public var line: Int
  public var column: Int

  public init(line: Int, column: Int) {
    self.line = line
    self.column = column
  }

  public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
    (lhs.line, lhs.column) < (rhs.line, rhs.column)
  }

  /// `line:column`, as in a rendered diagnostic.
  public var description: String { "\(line):\(column)" }
}
