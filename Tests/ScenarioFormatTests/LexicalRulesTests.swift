import ScenarioFormat
import Testing

@Suite("Lexical rules")
struct LexicalRulesTests {
  /// The words of the only statement of `text`.
  private static func words(_ text: String) throws -> [Word] {
    let statements = try ScenarioParser.parse(SourceFile(path: "t.scenario", text: text))
      .statements
    try #require(statements.count == 1)
    return statements[0].words
  }

  @Test(
    "a word is classified by its shape",
    arguments: [
      ("4096", Word.Kind.number(4096)),
      ("007", .number(7)),
      ("0", .number(0)),
      ("9223372036854775807", .number(Int64.max)),
      ("0x10", .number(16)),
      ("0xfF", .number(255)),
      ("0x7fffffffffffffff", .number(Int64.max)),
      ("2p", .pages(2)),
      ("0p", .pages(0)),
      ("6.18", .identifier("6.18")),
      ("6.14-rc1", .identifier("6.14-rc1")),
      ("12x", .identifier("12x")),
      ("0x", .identifier("0x")),
      ("0x1g", .identifier("0x1g")),
      ("0X10", .identifier("0X10")),
      ("p", .identifier("p")),
      ("2pp", .identifier("2pp")),
      ("-1", .identifier("-1")),
      ("+1", .identifier("+1")),
      ("/dev/null", .identifier("/dev/null")),
      ("a:b.c_d+e", .identifier("a:b.c_d+e")),
      ("FAN_PRE_ACCESS", .identifier("FAN_PRE_ACCESS")),
      ("A|B", .flags(["A", "B"])),
      ("FAN_CLOSE_WRITE|0x10|6.18", .flags(["FAN_CLOSE_WRITE", "0x10", "6.18"])),
    ])
  func classification(text: String, kind: Word.Kind) throws {
    let word = try #require(try Self.words("x \(text)").last)
    #expect(word.kind == kind)
    #expect(word.text == text)
    #expect(word.location == SourceLocation(line: 1, column: 3))
  }

  @Test("comparisons and parentheses are words of their own, even without blanks")
  func symbols() throws {
    let words = try Self.words("assert always (events g<=1)==a!=b>c<d>=e")
    #expect(
      words.map(\.text) == [
        "assert", "always", "(", "events", "g", "<=", "1", ")", "==", "a", "!=", "b", ">", "c", "<",
        "d", ">=", "e",
      ])
    #expect(words[2].kind == .symbol("("))
    #expect(words[5].kind == .symbol("<="))
    #expect(words[5].location == SourceLocation(line: 1, column: 24))
  }

  @Test(
    "strings resolve escapes and keep '#', '|' and '=' inside",
    arguments: [
      (#""a#b""#, "a#b"),
      (#""A|B = C -> D""#, "A|B = C -> D"),
      (#""q\"\\\n\t""#, "q\"\\\n\t"),
      (#""""#, ""),
      ("\"données\tü\"", "données\tü"),
    ])
  func strings(text: String, value: String) throws {
    let word = try #require(try Self.words("x \(text) y").dropFirst().first)
    #expect(word.kind == .string(value))
    #expect(word.text == text)
  }

  @Test(
    "comments run to the end of the line, quotes and all",
    arguments: [
      "x y # a comment with a \" quote",
      "x y# glued",
      "x y #\"unterminated and \\q",
      "x\ty\t# tabs",
      "x y #",
      "x y ## $ { ; é",
    ])
  func comments(line: String) throws {
    #expect(try Self.words(line).map(\.identifier) == ["x", "y"])
  }

  @Test("columns count characters, tabs and grapheme clusters as one each")
  func columns() throws {
    let words = try Self.words("x\t\"🇫🇷e\u{301}\"\t\tz")
    #expect(words.map(\.location.column) == [1, 3, 9])
    #expect(words[1].kind == .string("🇫🇷é"))
  }

  @Test("a string and a word may touch")
  func adjacentStringAndWord() throws {
    let words = try Self.words(#"name"quoted"next"#)
    #expect(words.map(\.kind) == [.identifier("name"), .string("quoted"), .identifier("next")])
    #expect(words.map(\.location.column) == [1, 5, 13])
  }
}
