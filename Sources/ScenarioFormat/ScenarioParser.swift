/// Turns scenario text into a `ScenarioSyntax`, giving the words no meaning.
///
/// Grammar, one statement per line:
///
///     statement := [NAME '='] WORD+ ['->' WORD]
///
/// A line that starts with a space or a tab belongs to the body of the nearest preceding
/// non-indented statement; deeper indentation is the same level. Blank and comment-only lines
/// are ignored.
public enum ScenarioParser {
  /// Parses a whole file; throws the first error found (scan order).
  public static func parse(_ source: SourceFile) throws(Diagnostic) -> ScenarioSyntax {
    var statements: [Statement] = []
    for (index, text) in source.lines.enumerated() {
      var scanner = LineScanner(text, line: index + 1, source: source)
      if scanner.isAtEnd { continue }
      scanner.skipBlanks()
      guard !scanner.isIndented else {
        guard !statements.isEmpty else {
          throw Diagnostic(.indentedOutsideBlock, at: scanner.location, in: source)
        }
        statements[statements.count - 1].body.append(try statement(&scanner, in: source))
        continue
      }
      statements.append(try statement(&scanner, in: source))
    }
    return ScenarioSyntax(source: source, statements: statements)
  }

  /// The statement on a non-blank line; `scanner` is at its first character.
  private static func statement(
    _ scanner: inout LineScanner, in source: SourceFile
  ) throws(Diagnostic) -> Statement {
    let start = scanner.location
    var assignee: Word?
    var assignment: SourceLocation?
    var words: [Word] = []
    var arrow: SourceLocation?
    var result: Word?
    var count = 0
    while let token = try scanner.next() {
      defer { count += 1 }
      switch token {
      case .equals(let location):
        guard count > 0 else { throw Diagnostic(.missingAssignmentName, at: location, in: source) }
        guard count == 1, let name = words.first else {
          throw Diagnostic(.misplacedAssignment, at: location, in: source)
        }
        guard name.identifier != nil else {
          throw Diagnostic(.invalidAssignmentName(name.text), at: name.location, in: source)
        }
        assignee = name
        assignment = location
        words = []
      case .arrow(let location):
        guard arrow == nil else { throw Diagnostic(.repeatedResult, at: location, in: source) }
        guard !words.isEmpty else {
          if let assignment {
            throw Diagnostic(.missingWordsAfterAssignment, at: assignment, in: source)
          }
          throw Diagnostic(.missingWordsBeforeResult, at: location, in: source)
        }
        arrow = location
      case .word(let word):
        guard arrow != nil else {
          words.append(word)
          continue
        }
        guard result == nil else {
          throw Diagnostic(.extraWordsAfterResult, at: word.location, in: source)
        }
        result = word
      }
    }
    if let assignment, words.isEmpty {
      throw Diagnostic(.missingWordsAfterAssignment, at: assignment, in: source)
    }
    if let arrow, result == nil {
      throw Diagnostic(.missingResult, at: arrow, in: source)
    }
    return Statement(assignee: assignee, words: words, result: result, location: start)
  }
}
