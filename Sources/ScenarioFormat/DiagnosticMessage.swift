/// The catalogue of every message this module emits, and (through `custom`) the resolver's.
///
/// Texts are lower case with no trailing period, in the manner of compiler diagnostics.
public enum DiagnosticMessage: Hashable, Sendable, CustomStringConvertible {
  /// A character that cannot start a word, a string, `=`, `->` or a comment: `$`, `{`, `;`.
  case unexpectedCharacter(Character)
  /// A string whose closing quote is missing on its line.
  case unterminatedString
  /// A backslash in a string followed by something other than `"`, `\`, `n` or `t`.
  case unknownEscape(Character)
  /// A `|`-joined word with an empty component: `A||B`, `A|`, `|A`.
  case emptyFlag
  /// A number or page count that does not fit in 64 bits.
  case numberOutOfRange(String)
  /// `=` anywhere but right after a single name at the start of a statement.
  case misplacedAssignment
  /// `=` with nothing before it.
  case missingAssignmentName
  /// `=` after a word that is not a name: `4096 = …`, `"x" = …`.
  case invalidAssignmentName(String)
  /// `NAME =` with no words after it.
  case missingWordsAfterAssignment
  /// `->` with no words before it.
  case missingWordsBeforeResult
  /// `->` with no word after it.
  case missingResult
  /// `->` with more than one word after it.
  case extraWordsAfterResult
  /// A second `->` in one statement.
  case repeatedResult
  /// An indented line before any non-indented statement.
  case indentedOutsideBlock
  /// A message of a later stage (the resolver), which owns its text.
  case custom(String)

  public var description: String {
    switch self {
    case .unexpectedCharacter(let character):
      return "unexpected character \(character.quotedForMessage)"
    case .unterminatedString:
      return "unterminated string"
    case .unknownEscape(let character):
      return character.isPrintable
        ? "unknown escape '\\\(character)'" : "unknown escape '\\' before \(character.scalarNames)"
    case .emptyFlag:
      return "empty flag name next to '|'"
    case .numberOutOfRange(let text):
      return "number '\(text)' does not fit in 64 bits"
    case .misplacedAssignment:
      return "'=' must follow a single name at the start of a statement"
    case .missingAssignmentName:
      return "expected a name before '='"
    case .invalidAssignmentName(let text):
      return "expected a name before '=', found '\(text)'"
    case .missingWordsAfterAssignment:
      return "expected a statement after '='"
    case .missingWordsBeforeResult:
      return "expected a statement before '->'"
    case .missingResult:
      return "expected a result after '->'"
    case .extraWordsAfterResult:
      return "expected a single word after '->'"
    case .repeatedResult:
      return "a statement has at most one '->'"
    case .indentedOutsideBlock:
      return "indented line outside a block"
    case .custom(let text):
      return text
    }
  }
}

extension Character {
  /// Whether the character shows as itself in a message (no control, format or space characters).
  fileprivate var isPrintable: Bool {
    unicodeScalars.allSatisfy { scalar in
      switch scalar.properties.generalCategory {
      case .control, .format, .surrogate, .privateUse, .unassigned, .spaceSeparator,
        .lineSeparator, .paragraphSeparator:
        return false
      default:
        return true
      }
    }
  }

  /// The scalars as `U+XXXX`, separated by spaces.
  fileprivate var scalarNames: String {
    unicodeScalars.map { scalar in
      let hex = String(scalar.value, radix: 16, uppercase: true)
      return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }.joined(separator: " ")
  }

  /// `'X'` for a printable character, `U+XXXX` otherwise.
  fileprivate var quotedForMessage: String { isPrintable ? "'\(self)'" : scalarNames }
}
