import KernelModel
import ListenerModels
import ScenarioFormat

/// fanmc's built-in listeners, written in the scenario language's listener programs: the
/// library every scenario can name in `group … listener NAME ARGS…`, read by the same resolver
/// as a scenario's own `listener` blocks. `fanmc listeners` prints it.
///
/// A parameter is a word after the name: `PARAM` (one argument), `PARAM default VALUE` (an
/// optional one), or `PARAM...` (one or more, last). The arguments replace the parameter's
/// words in the statements, and its name in the summary.
public enum ListenerLibrary {
  public static let source = """
    # fanmc's built-in listeners. Each answers permission events only: a notification event is
    # read, its event fd created and closed, and the responses are left out.

    listener fill
      summary "pwrite()s the source content of the reported range through the event fd, then FAN_ALLOW"
      fill
      respond ALLOW
      close event

    listener allow
      summary "answers FAN_ALLOW at once and fills nothing"
      respond ALLOW
      close event

    listener deny RESPONSE default DENY
      summary "answers RESPONSE (FAN_DENY: the task sees EPERM; an errno: FAN_DENY_ERRNO)"
      respond RESPONSE
      close event

    listener silent
      summary "reads events and never answers (D8)"

    listener fill-then-ftruncate
      summary "fills through the event fd, then ftruncate(event fd, i_size) (B14: waits on itself)"
      fill
      ftruncate event
      respond ALLOW
      close event

    listener reenter
      summary "opens and reads the watched file through a normal fd before answering (D1)"
      reopen
      respond ALLOW
      close event

    listener scan
      summary "preads the whole file through the event fd (an indexer or scanner), then FAN_ALLOW"
      read event
      respond ALLOW
      close event

    listener crash
      summary "closes its group mid-event: fanotify_release allows everything pending (B17)"
      close group

    listener script RESPONSES...
      summary "answers the n-th event with the n-th response (ALLOW, DENY or an errno), then FAN_ALLOW"
      respond in order RESPONSES...
      close event

    listener slow
      summary "fills and allows like fill, but answers only after the other tasks moved (deterministic schedule)"
      answer last
      fill
      respond ALLOW
      close event
    """

  /// The library's `listener` blocks, as the parser reads them.
  public static let statements: [Statement] = {
    let file = SourceFile(path: "<built-in listeners>", text: source)
    do { return try ScenarioParser.parse(file).statements } catch {
      preconditionFailure("the built-in listener library does not parse: \(error)")
    }
  }()

  /// The names of the built-in listeners, in library order.
  public static var names: [String] { statements.map { $0.words[1].text } }

  /// The definition of built-in listener `name`.
  static func definition(named name: String) -> Statement? {
    statements.first { $0.words[1].text == name }
  }

  /// Built-in listener `name` with `arguments`, resolved as a scenario's group would name it
  /// (for code that builds configurations directly: benchmarks, tests). The name and arguments
  /// must be valid.
  public static func builtin(_ name: String, _ arguments: [String] = []) -> any ListenerModel {
    let text = """
      scenario builtin
      question "q"
      expect no-violation
      group g class pre-content listener \(([name] + arguments).joined(separator: " "))
      task t
        freeze
      """
    let source = SourceFile(path: "builtin.scenario", text: text)
    do { return try ScenarioResolver.resolve(source).config.groups[0].listener! } catch {
      preconditionFailure("no built-in listener \(name) \(arguments): \(error.message)")
    }
  }
}
