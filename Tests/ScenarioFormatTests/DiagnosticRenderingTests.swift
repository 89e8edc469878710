import ScenarioFormat
import Testing

@Suite("Rendering diagnostics")
struct DiagnosticRenderingTests {
  static let source = SourceFile(path: "Scenarios/x.scenario", text: "task t\n\t  fd = open x\n")

  @Test("a resolver message renders like the parser's, with its own text")
  func custom() {
    let diagnostic = Diagnostic(
      .custom("unknown file 'x'"), at: SourceLocation(line: 2, column: 13), in: Self.source)
    #expect(diagnostic.description == "Scenarios/x.scenario:2:13: error: unknown file 'x'")
    #expect(
      diagnostic.rendered(source: Self.source) == """
        Scenarios/x.scenario:2:13: error: unknown file 'x'
        \t  fd = open x
        \t           ^
        """)
  }

  @Test("warnings and notes print their severity")
  func severities() {
    let warning = Diagnostic(
      .custom("unused fd"), severity: .warning, at: SourceLocation(line: 2, column: 4),
      in: Self.source)
    #expect(warning.description == "Scenarios/x.scenario:2:4: warning: unused fd")
    let note = Diagnostic(
      .custom("declared here"), severity: .note, at: SourceLocation(line: 1, column: 1),
      in: Self.source)
    #expect(
      note.rendered(source: Self.source)
        == "Scenarios/x.scenario:1:1: note: declared here\ntask t\n^")
  }

  @Test("a column past the end of the line puts the caret after it")
  func caretPastEnd() {
    let diagnostic = Diagnostic(
      .custom("expected more"), at: SourceLocation(line: 1, column: 8), in: Self.source)
    #expect(diagnostic.rendered(source: Self.source).hasSuffix("\ntask t\n       ^"))
  }

  @Test(
    "a source line is the text between terminators",
    arguments: [
      ("a\nb\r\nc", [1: "a", 2: "b", 3: "c", 0: "", 4: ""]),
      ("a\n", [1: "a", 2: "", 3: ""]),
      ("", [1: ""]),
      ("a\rb\n", [1: "a\rb", 2: ""]),
    ])
  func sourceLines(text: String, lines: [Int: String]) {
    let source = SourceFile(path: "p", text: text)
    for (number, line) in lines.sorted(by: { $0.key < $1.key }) {
      #expect(source.line(number) == line)
    }
  }

  @Test("locations order by line, then column")
  func locationOrder() {
    let locations = [
      SourceLocation(line: 2, column: 1), SourceLocation(line: 1, column: 9),
      SourceLocation(line: 1, column: 2),
    ]
    #expect(locations.sorted().map(\.description) == ["1:2", "1:9", "2:1"])
  }

  @Test("every message is lower case with no trailing period")
  func messageShape() {
    let messages: [DiagnosticMessage] = DiagnosticCatalogueTests.badInputs.map(\.message)
    for message in messages {
      let text = message.description
      #expect(text.first?.isLowercase == true || text.first == "'", "\(text)")
      #expect(!text.hasSuffix("."))
    }
  }
}
