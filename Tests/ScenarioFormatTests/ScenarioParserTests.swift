import ScenarioFormat
import Testing

@Suite("Parsing a scenario into statements")
struct ScenarioParserTests {
  private static func parse(_ text: String) throws -> [Statement] {
    try ScenarioParser.parse(SourceFile(path: "t.scenario", text: text)).statements
  }

  @Test("the example parses to one statement per non-blank, non-comment top-level line")
  func exampleTopLevel() throws {
    let syntax = try ScenarioParser.parse(Examples.readFilledSource)
    #expect(syntax.source == Examples.readFilledSource)
    #expect(
      syntax.statements.map(\.keyword) == [
        "scenario", "question", "expect", "profile", "filesystem", "file", "group", "mark", "task",
        "check",
      ])
    #expect(syntax.statements.map(\.location.line) == [2, 3, 4, 6, 7, 8, 9, 10, 12, 18])
    #expect(syntax.statements.allSatisfy { $0.location.column == 1 })
    #expect(syntax.statements.allSatisfy { $0.assignee == nil && $0.result == nil })
    #expect(syntax.statements.filter { !$0.body.isEmpty }.map(\.keyword) == ["task"])
  }

  @Test("the example's words have the expected kinds, texts and locations")
  func exampleWords() throws {
    let statements = try ScenarioParser.parse(Examples.readFilledSource).statements
    let question = statements[1]
    #expect(
      question.words[1]
        == Word(
          kind: .string("Does a read of a stub page return what the HSM filled?"),
          location: SourceLocation(line: 3, column: 10),
          text: "\"Does a read of a stub page return what the HSM filled?\""))
    #expect(
      statements[2].words.map(\.kind) == [.identifier("expect"), .identifier("no-violation")])
    #expect(statements[3].words.map(\.kind) == [.identifier("profile"), .identifier("6.18")])
    #expect(
      statements[5].words.map(\.kind) == [
        .identifier("file"), .identifier("data"), .identifier("pages"), .number(2),
        .identifier("content"), .identifier("remote"),
      ])
    let flags = statements[7].words[4]
    #expect(flags.kind == .flags(["FAN_PRE_ACCESS", "FAN_OPEN_PERM"]))
    #expect(flags.text == "FAN_PRE_ACCESS|FAN_OPEN_PERM")
    #expect(flags.location == SourceLocation(line: 10, column: 21))
    #expect(flags.identifier == nil)
    #expect(statements[9].words.map(\.identifier) == ["check", "I2", "I6"])
  }

  @Test("the task's indented lines form its body, with assignee and results")
  func exampleTaskBody() throws {
    let task = try ScenarioParser.parse(Examples.readFilledSource).statements[8]
    #expect(task.words.map(\.identifier) == ["task", "reader"])
    #expect(task.body.map(\.keyword) == ["open", "read", "pread", "close"])
    #expect(task.body.map(\.location) == (13...16).map { SourceLocation(line: $0, column: 3) })
    #expect(task.body.allSatisfy { $0.body.isEmpty })

    let open = task.body[0]
    #expect(
      open.assignee
        == Word(
          kind: .identifier("fd"), location: SourceLocation(line: 13, column: 3), text: "fd"))
    #expect(open.words.map(\.identifier) == ["open", "data", "O_RDONLY"])
    #expect(open.words[0].location == SourceLocation(line: 13, column: 8))
    #expect(open.result == nil)

    let read = task.body[1]
    #expect(read.assignee == nil)
    #expect(read.words.map(\.kind) == [.identifier("read"), .identifier("fd"), .number(4096)])
    #expect(
      read.result
        == Word(kind: .number(4096), location: SourceLocation(line: 14, column: 19), text: "4096"))

    let pread = task.body[2]
    #expect(
      pread.words.map(\.kind) == [
        .identifier("pread"), .identifier("fd"), .pages(1), .number(100),
      ])
    #expect(pread.words[2].text == "1p")
    #expect(pread.words[2].location == SourceLocation(line: 15, column: 12))
    #expect(pread.result?.identifier == "EIO")
    #expect(pread.result?.location == SourceLocation(line: 15, column: 22))

    #expect(task.body[3].words.map(\.identifier) == ["close", "fd"])
  }

  @Test("CRLF line ends give the same tree as LF line ends")
  func crlf() throws {
    let lf = try Self.parse(Examples.readFilled)
    let crlf = try Self.parse(Examples.readFilled.replacing("\n", with: "\r\n"))
    #expect(crlf == lf)
    #expect(crlf.count == 10)
  }

  @Test("an empty or comment-only file has no statements")
  func emptyFiles() throws {
    #expect(try Self.parse("").isEmpty)
    #expect(try Self.parse("\n\n   \n\t\n").isEmpty)
    #expect(try Self.parse("# only\n   # indented comment\n\t# tab\n").isEmpty)
  }

  @Test("deeper indentation, tabs, blank and comment lines stay in the same block")
  func blocks() throws {
    let statements = try Self.parse(
      """
      task a
        one
            two

        # comment
      \tthree
      other
      task b
       four
      """)
    #expect(statements.map(\.keyword) == ["task", "other", "task"])
    #expect(statements[0].body.map(\.keyword) == ["one", "two", "three"])
    #expect(statements[0].body.map(\.location.column) == [3, 7, 2])
    #expect(statements[1].body.isEmpty)
    #expect(statements[2].body.map(\.keyword) == ["four"])
  }

  @Test("'=' and '->' need no spaces around them")
  func tightOperators() throws {
    let statement = try #require(try Self.parse("fd=open data\tO_RDONLY->3").first)
    #expect(statement.assignee?.identifier == "fd")
    #expect(statement.words.map(\.identifier) == ["open", "data", "O_RDONLY"])
    #expect(statement.result?.kind == .number(3))
    #expect(statement.result?.location == SourceLocation(line: 1, column: 24))
    let arrow = try #require(try Self.parse("read fd 4096->EIO").first)
    #expect(arrow.words.map(\.text) == ["read", "fd", "4096"])
    #expect(arrow.result?.identifier == "EIO")
  }

  @Test("the statement location is that of its assignee when there is one")
  func statementLocation() throws {
    let statement = try #require(try Self.parse("task t\n\t  fd = open x").first?.body.first)
    #expect(statement.location == SourceLocation(line: 2, column: 4))
    #expect(statement.keyword == "open")
  }

  @Test("a statement whose first word is not an identifier has no keyword")
  func keywordOfNonIdentifier() throws {
    #expect(try Self.parse("\"quoted\" x").first?.keyword == nil)
    #expect(try Self.parse("42 x").first?.keyword == nil)
  }
}
