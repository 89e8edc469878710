import ScenarioFormat
import Testing

/// One bad input and exactly what the parser must print for it.
struct BadInput: Sendable, CustomTestStringConvertible {
  var text: String
  var message: DiagnosticMessage
  var rendered: String

  var testDescription: String { "\(message.caseName): \(text.debugDescription)" }
}

extension DiagnosticMessage {
  /// The case's name, whatever its payload; exhaustive, so a new case must be added here.
  var caseName: String {
    switch self {
    case .unexpectedCharacter: "unexpectedCharacter"
    case .unterminatedString: "unterminatedString"
    case .unknownEscape: "unknownEscape"
    case .emptyFlag: "emptyFlag"
    case .numberOutOfRange: "numberOutOfRange"
    case .misplacedAssignment: "misplacedAssignment"
    case .missingAssignmentName: "missingAssignmentName"
    case .invalidAssignmentName: "invalidAssignmentName"
    case .missingWordsAfterAssignment: "missingWordsAfterAssignment"
    case .missingWordsBeforeResult: "missingWordsBeforeResult"
    case .missingResult: "missingResult"
    case .extraWordsAfterResult: "extraWordsAfterResult"
    case .repeatedResult: "repeatedResult"
    case .indentedOutsideBlock: "indentedOutsideBlock"
    case .custom: "custom"
    }
  }
}

@Suite("Diagnostics of the parser")
struct DiagnosticCatalogueTests {
  static let path = "Scenarios/bad.scenario"

  static let badInputs: [BadInput] = [
    BadInput(
      text: "task r\n  read fd $x",
      message: .unexpectedCharacter("$"),
      rendered: """
        Scenarios/bad.scenario:2:11: error: unexpected character '$'
          read fd $x
                  ^
        """),
    BadInput(
      text: "task r\n\tread fd {",
      message: .unexpectedCharacter("{"),
      rendered: """
        Scenarios/bad.scenario:2:10: error: unexpected character '{'
        \tread fd {
        \t        ^
        """),
    BadInput(
      text: "close fd; close fd",
      message: .unexpectedCharacter(";"),
      rendered: """
        Scenarios/bad.scenario:1:9: error: unexpected character ';'
        close fd; close fd
                ^
        """),
    BadInput(
      text: "mark hsm inode data A | B",
      message: .unexpectedCharacter("|"),
      rendered: """
        Scenarios/bad.scenario:1:23: error: unexpected character '|'
        mark hsm inode data A | B
                              ^
        """),
    BadInput(
      text: "file données",
      message: .unexpectedCharacter("é"),
      rendered: """
        Scenarios/bad.scenario:1:10: error: unexpected character 'é'
        file données
                 ^
        """),
    BadInput(
      text: "scenario x\r\nclose 'fd'\r\n",
      message: .unexpectedCharacter("'"),
      rendered: """
        Scenarios/bad.scenario:2:7: error: unexpected character '''
        close 'fd'
              ^
        """),
    BadInput(
      text: "close fd\u{00A0}",
      message: .unexpectedCharacter("\u{00A0}"),
      rendered: """
        Scenarios/bad.scenario:1:9: error: unexpected character U+00A0
        close fd\u{00A0}
                ^
        """),
    BadInput(
      text: "# header\nscenario bad\nquestion \"oops",
      message: .unterminatedString,
      rendered: """
        Scenarios/bad.scenario:3:10: error: unterminated string
        question "oops
                 ^
        """),
    BadInput(
      text: "scenario bad\r\nquestion \"oops\r\nexpect x\r\n",
      message: .unterminatedString,
      rendered: """
        Scenarios/bad.scenario:2:10: error: unterminated string
        question "oops
                 ^
        """),
    BadInput(
      text: "question \"ends in a backslash\\",
      message: .unterminatedString,
      rendered: """
        Scenarios/bad.scenario:1:10: error: unterminated string
        question "ends in a backslash\\
                 ^
        """),
    BadInput(
      text: "question \"a#b # not a comment",
      message: .unterminatedString,
      rendered: """
        Scenarios/bad.scenario:1:10: error: unterminated string
        question "a#b # not a comment
                 ^
        """),
    BadInput(
      text: #"question "a\qb""#,
      message: .unknownEscape("q"),
      rendered: #"""
        Scenarios/bad.scenario:1:12: error: unknown escape '\q'
        question "a\qb"
                   ^
        """#),
    BadInput(
      text: "question\t\"a\\\t\"",
      message: .unknownEscape("\t"),
      rendered: """
        Scenarios/bad.scenario:1:12: error: unknown escape '\\' before U+0009
        question\t"a\\\t"
                \t  ^
        """),
    BadInput(
      text: "mark hsm inode data FAN_OPEN_PERM||FAN_PRE_ACCESS",
      message: .emptyFlag,
      rendered: """
        Scenarios/bad.scenario:1:34: error: empty flag name next to '|'
        mark hsm inode data FAN_OPEN_PERM||FAN_PRE_ACCESS
                                         ^
        """),
    BadInput(
      text: "mark hsm inode data FAN_OPEN_PERM| # trailing",
      message: .emptyFlag,
      rendered: """
        Scenarios/bad.scenario:1:34: error: empty flag name next to '|'
        mark hsm inode data FAN_OPEN_PERM| # trailing
                                         ^
        """),
    BadInput(
      text: "mark hsm inode data |FAN_OPEN_PERM",
      message: .emptyFlag,
      rendered: """
        Scenarios/bad.scenario:1:21: error: empty flag name next to '|'
        mark hsm inode data |FAN_OPEN_PERM
                            ^
        """),
    BadInput(
      text: "read fd 99999999999999999999",
      message: .numberOutOfRange("99999999999999999999"),
      rendered: """
        Scenarios/bad.scenario:1:9: error: number '99999999999999999999' does not fit in 64 bits
        read fd 99999999999999999999
                ^
        """),
    BadInput(
      text: "read fd 0x8000000000000000",
      message: .numberOutOfRange("0x8000000000000000"),
      rendered: """
        Scenarios/bad.scenario:1:9: error: number '0x8000000000000000' does not fit in 64 bits
        read fd 0x8000000000000000
                ^
        """),
    BadInput(
      text: "pread fd 9223372036854775808p 0",
      message: .numberOutOfRange("9223372036854775808p"),
      rendered: """
        Scenarios/bad.scenario:1:10: error: number '9223372036854775808p' does not fit in 64 bits
        pread fd 9223372036854775808p 0
                 ^
        """),
    BadInput(
      text: "task r\n  fd open = data",
      message: .misplacedAssignment,
      rendered: """
        Scenarios/bad.scenario:2:11: error: '=' must follow a single name at the start of a statement
          fd open = data
                  ^
        """),
    BadInput(
      text: "fd = open = data",
      message: .misplacedAssignment,
      rendered: """
        Scenarios/bad.scenario:1:11: error: '=' must follow a single name at the start of a statement
        fd = open = data
                  ^
        """),
    BadInput(
      text: "read fd 1 -> =",
      message: .misplacedAssignment,
      rendered: """
        Scenarios/bad.scenario:1:14: error: '=' must follow a single name at the start of a statement
        read fd 1 -> =
                     ^
        """),
    BadInput(
      text: "= open data",
      message: .missingAssignmentName,
      rendered: """
        Scenarios/bad.scenario:1:1: error: expected a name before '='
        = open data
        ^
        """),
    BadInput(
      text: "4096 = open data",
      message: .invalidAssignmentName("4096"),
      rendered: """
        Scenarios/bad.scenario:1:1: error: expected a name before '=', found '4096'
        4096 = open data
        ^
        """),
    BadInput(
      text: "task r\n  \"fd\" = open data",
      message: .invalidAssignmentName("\"fd\""),
      rendered: """
        Scenarios/bad.scenario:2:3: error: expected a name before '=', found '"fd"'
          "fd" = open data
          ^
        """),
    BadInput(
      text: "task r\n  fd =   # nothing",
      message: .missingWordsAfterAssignment,
      rendered: """
        Scenarios/bad.scenario:2:6: error: expected a statement after '='
          fd =   # nothing
             ^
        """),
    BadInput(
      text: "fd = -> 3",
      message: .missingWordsAfterAssignment,
      rendered: """
        Scenarios/bad.scenario:1:4: error: expected a statement after '='
        fd = -> 3
           ^
        """),
    BadInput(
      text: "-> EIO",
      message: .missingWordsBeforeResult,
      rendered: """
        Scenarios/bad.scenario:1:1: error: expected a statement before '->'
        -> EIO
        ^
        """),
    BadInput(
      text: "read fd 4096 ->",
      message: .missingResult,
      rendered: """
        Scenarios/bad.scenario:1:14: error: expected a result after '->'
        read fd 4096 ->
                     ^
        """),
    BadInput(
      text: "read fd 4096 -> # EIO",
      message: .missingResult,
      rendered: """
        Scenarios/bad.scenario:1:14: error: expected a result after '->'
        read fd 4096 -> # EIO
                     ^
        """),
    BadInput(
      text: "read fd 4096 -> 4096 EIO",
      message: .extraWordsAfterResult,
      rendered: """
        Scenarios/bad.scenario:1:22: error: expected a single word after '->'
        read fd 4096 -> 4096 EIO
                             ^
        """),
    BadInput(
      text: "read fd 4096 -> 4096 -> EIO",
      message: .repeatedResult,
      rendered: """
        Scenarios/bad.scenario:1:22: error: a statement has at most one '->'
        read fd 4096 -> 4096 -> EIO
                             ^
        """),
    BadInput(
      text: "# header\n\n  read fd 4096",
      message: .indentedOutsideBlock,
      rendered: """
        Scenarios/bad.scenario:3:3: error: indented line outside a block
          read fd 4096
          ^
        """),
    BadInput(
      text: "\t$",
      message: .indentedOutsideBlock,
      rendered: """
        Scenarios/bad.scenario:1:2: error: indented line outside a block
        \t$
        \t^
        """),
  ]

  @Test("each bad input is reported with its message, location and caret", arguments: badInputs)
  func rendersExactly(input: BadInput) {
    let source = SourceFile(path: Self.path, text: input.text)
    do {
      let syntax = try ScenarioParser.parse(source)
      Issue.record("parsed, expected \(input.message): \(syntax.statements)")
    } catch {
      #expect(error.message == input.message.description)
      #expect(error.severity == .error)
      #expect(error.path == Self.path)
      #expect(error.rendered(source: source) == input.rendered)
    }
  }

  @Test("the table covers every message of the catalogue but the resolver's")
  func tableCoversCatalogue() {
    let covered = Set(Self.badInputs.map(\.message.caseName))
    let all: Set = [
      "unexpectedCharacter", "unterminatedString", "unknownEscape", "emptyFlag",
      "numberOutOfRange", "misplacedAssignment", "missingAssignmentName", "invalidAssignmentName",
      "missingWordsAfterAssignment", "missingWordsBeforeResult", "missingResult",
      "extraWordsAfterResult", "repeatedResult", "indentedOutsideBlock", "custom",
    ]
    #expect(covered == all.subtracting(["custom"]))
  }

  @Test("the first error in scan order wins")
  func firstErrorWins() {
    let source = SourceFile(path: Self.path, text: "a $ \"unterminated\nb {")
    #expect(
      throws: Diagnostic(.unexpectedCharacter("$"), at: .init(line: 1, column: 3), in: source)
    ) {
      try ScenarioParser.parse(source)
    }
  }
}
