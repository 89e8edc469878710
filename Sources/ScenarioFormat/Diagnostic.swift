/// A located message about a scenario file, rendered as `path:line:col: error: message`.
public struct Diagnostic: Error, Hashable, Sendable, CustomStringConvertible {
  /// How serious a diagnostic is; the raw value is the word printed before the message.
  public enum Severity: String, Sendable {
    case error, warning, note
  }

  public var path: String
  public var location: SourceLocation
  public var severity: Severity
  public var message: String

  /// A diagnostic with a message from the catalogue, at `location` in `source`.
  public init(
    _ message: DiagnosticMessage, severity: Severity = .error, at location: SourceLocation,
    in source: SourceFile
  ) {
    self.path = source.path
    self.location = location
    self.severity = severity
    self.message = message.description
  }

  /// `path:line:col: severity: message`, on one line.
  public var description: String {
    "\(path):\(location.line):\(location.column): \(severity.rawValue): \(message)"
  }

  /// `path:line:col: error: message`, then the source line, then a caret under the column.
  ///
  /// The caret line keeps the tabs of the source line, so the caret aligns whatever the tab
  /// width; every other character before the column becomes one space. No trailing newline.
  public func rendered(source: SourceFile) -> String {
    let text = source.line(location.line)
    let before = max(0, location.column - 1)
    var caret = ""
    for character in text.prefix(before) {
      caret.append(character == "\t" ? "\t" : " ")
    }
    caret += String(repeating: " ", count: max(0, before - text.count)) + "^"
    return description + "\n" + text + "\n" + caret
  }
}
