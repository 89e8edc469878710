/// One word of a statement: a name, a number, a page count, a string or a set of flags.
public struct Word: Hashable, Sendable {
  /// What a word is, as far as the lexer can tell without giving it meaning.
  public enum Kind: Hashable, Sendable {
    /// A word that is not a number, a page count or flags: `open`, `O_RDONLY`, `6.18`, `I2`.
    case identifier(String)
    /// Decimal digits (`4096`) or `0x` and hexadecimal digits (`0x10`).
    case number(Int64)
    /// Decimal digits followed by `p`: a count of pages (`1p`).
    case pages(Int64)
    /// A quoted string, escapes resolved.
    case string(String)
    /// Words joined by `|` without spaces: `FAN_PRE_ACCESS|FAN_OPEN_PERM`.
    case flags([String])
    /// A comparison or a parenthesis of an assertion: `==`, `!=`, `<`, `<=`, `>`, `>=`, `(`, `)`.
    case symbol(String)
  }

  public var kind: Kind
  /// Where the word's first character is.
  public var location: SourceLocation
  /// The raw source text of the word (quotes and escapes included for a string).
  public var text: String

  public init(kind: Kind, location: SourceLocation, text: String) {
    self.kind = kind
    self.location = location
    self.text = text
  }

  /// The name, when the word is an identifier.
  public var identifier: String? {
    if case .identifier(let name) = kind { return name }
    return nil
  }
}
