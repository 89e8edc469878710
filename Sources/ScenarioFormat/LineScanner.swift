/// Splits one line of a scenario file into tokens, left to right, throwing at the first
/// lexical error.
///
/// Words are maximal runs of `[A-Za-z0-9_.\-/:+]`, except that `-` right before `>` always
/// starts an arrow (`4096->EIO` is three tokens). `==`, `!=`, `<`, `<=`, `>`, `>=`, `(` and `)`
/// are words of their own (symbols, for assertions). `#` outside a string ends the line.
struct LineScanner {
  private let characters: [Character]
  private let line: Int
  private let source: SourceFile
  private var position = 0

  init(_ text: Substring, line: Int, source: SourceFile) {
    self.characters = Array(text)
    self.line = line
    self.source = source
  }

  /// Whether the line starts with a space or a tab.
  var isIndented: Bool { characters.first.map(\.isBlank) ?? false }

  /// Where the next character is.
  var location: SourceLocation { SourceLocation(line: line, column: position + 1) }

  /// Whether only blanks and perhaps a comment remain.
  var isAtEnd: Bool {
    let rest = characters[position...].drop(while: \.isBlank)
    return rest.first.map { $0 == "#" } ?? true
  }

  /// Skips spaces and tabs.
  mutating func skipBlanks() {
    while position < characters.count, characters[position].isBlank { position += 1 }
  }

  /// The next token, or `nil` at the end of the line or at a comment.
  mutating func next() throws(Diagnostic) -> Token? {
    skipBlanks()
    guard let character = peek() else { return nil }
    let start = location
    switch character {
    case "#":
      position = characters.count
      return nil
    case "=" where peek(1) == "=", "!" where peek(1) == "=", "<", ">", "(", ")":
      let length = peek(1) == "=" && "=!<>".contains(character) ? 2 : 1
      let text = String(characters[position..<(position + length)])
      position += length
      return .word(Word(kind: .symbol(text), location: start, text: text))
    case "=":
      position += 1
      return .equals(start)
    case "-" where peek(1) == ">":
      position += 2
      return .arrow(start)
    case "\"":
      return .word(try string())
    case "|" where peek(1)?.isWordCharacter == true:
      throw Diagnostic(.emptyFlag, at: start, in: source)
    case _ where character.isWordCharacter:
      return .word(try word())
    default:
      throw Diagnostic(.unexpectedCharacter(character), at: start, in: source)
    }
  }

  private func peek(_ offset: Int = 0) -> Character? {
    position + offset < characters.count ? characters[position + offset] : nil
  }

  /// Whether the character at `position` continues a word (and does not start an arrow).
  private var continuesWord: Bool {
    guard let character = peek(), character.isWordCharacter else { return false }
    return !(character == "-" && peek(1) == ">")
  }

  /// A word or a `|`-joined flags word; `position` is at its first character.
  private mutating func word() throws(Diagnostic) -> Word {
    let start = location
    let first = position
    var components: [String] = []
    while true {
      let componentStart = position
      while continuesWord { position += 1 }
      guard position > componentStart else {
        // Right after a `|` with no component: point at that `|`.
        throw Diagnostic(.emptyFlag, at: SourceLocation(line: line, column: position), in: source)
      }
      components.append(String(characters[componentStart..<position]))
      guard peek() == "|" else { break }
      position += 1
    }
    let text = String(characters[first..<position])
    if components.count > 1 {
      return Word(kind: .flags(components), location: start, text: text)
    }
    return Word(kind: try classify(text, at: start), location: start, text: text)
  }

  /// Number, page count or identifier, by the shape of the text.
  private func classify(_ text: String, at start: SourceLocation) throws(Diagnostic) -> Word.Kind {
    let outOfRange = Diagnostic(.numberOutOfRange(text), at: start, in: source)
    if text.allSatisfy(\.isDecimalDigit) {
      guard let value = Int64(text) else { throw outOfRange }
      return .number(value)
    }
    if text.hasPrefix("0x"), text.count > 2, text.dropFirst(2).allSatisfy(\.isHexDigit) {
      guard let value = Int64(text.dropFirst(2), radix: 16) else { throw outOfRange }
      return .number(value)
    }
    if text.count > 1, text.last == "p", text.dropLast().allSatisfy(\.isDecimalDigit) {
      guard let value = Int64(text.dropLast()) else { throw outOfRange }
      return .pages(value)
    }
    return .identifier(text)
  }

  /// A quoted string; `position` is at its opening quote.
  private mutating func string() throws(Diagnostic) -> Word {
    let start = location
    let first = position
    position += 1
    var value = ""
    while let character = peek() {
      switch character {
      case "\"":
        position += 1
        let text = String(characters[first..<position])
        return Word(kind: .string(value), location: start, text: text)
      case "\\":
        guard let escaped = peek(1) else {
          throw Diagnostic(.unterminatedString, at: start, in: source)
        }
        switch escaped {
        case "\"", "\\": value.append(escaped)
        case "n": value.append("\n")
        case "t": value.append("\t")
        default: throw Diagnostic(.unknownEscape(escaped), at: location, in: source)
        }
        position += 2
        continue
      default:
        value.append(character)
      }
      position += 1
    }
    throw Diagnostic(.unterminatedString, at: start, in: source)
  }
}

extension Character {
  /// A space or a tab: the only blanks of the format.
  fileprivate var isBlank: Bool { self == " " || self == "\t" }

  /// One of `[A-Za-z0-9_.\-/:+]`.
  fileprivate var isWordCharacter: Bool {
    guard isASCII, let byte = asciiValue, !isLineTerminator else { return false }
    switch byte {
    case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
      UInt8(ascii: "0")...UInt8(ascii: "9"):
      return true
    default:
      return "_.-/:+".utf8.contains(byte)
    }
  }

  /// One of `0`…`9` (`isWholeNumber` would also accept other scripts' digits).
  fileprivate var isDecimalDigit: Bool { isASCII && isWholeNumber }
}
