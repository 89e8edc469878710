/// A replayable path: which initial state, then which task (and which of its alternatives) moved
/// at each step.
///
/// Text form: choices separated by commas; a choice is the task number, followed by `.k` when the
/// task took its k-th alternative (k > 0). A path from initial state i > 0 starts with `@i:`.
/// Examples: `0,0,1,1.2,0`, `@1:2,0`. The empty schedule is `-`. A run of one choice may be
/// written `CHOICE*N` (`0*26,1,1,2`; see `compactDescription`).
public struct Schedule: Hashable, Sendable, CustomStringConvertible {
  public struct Choice: Hashable, Sendable {
    public var task: Int
    public var alternative: Int
    public init(task: Int, alternative: Int = 0) {
      self.task = task
      self.alternative = alternative
    }

    /// The choice that takes `enabled[index]`: its task, and how many of that task's steps
    /// come before it in `enabled`.
    @inlinable
    public init<Label>(taking index: Int, in enabled: [Transition<Label>]) {
      let task = enabled[index].task
      self.init(
        task: task, alternative: enabled[..<index].lazy.filter { $0.task == task }.count)
    }
  }

  public var initial: Int
  public var choices: [Choice]

  public init(initial: Int = 0, choices: [Choice] = []) {
    self.initial = initial
    self.choices = choices
  }

  public var description: String {
    let body =
      choices.isEmpty
      ? "-"
      : choices.map { $0.alternative == 0 ? "\($0.task)" : "\($0.task).\($0.alternative)" }
        .joined(separator: ",")
    return initial == 0 ? body : "@\(initial):\(body)"
  }

  /// The text form with runs of one choice written `CHOICE*N` (three or more):
  /// `0*26,1,1,2`. Parsing accepts both forms.
  public var compactDescription: String {
    guard !choices.isEmpty else { return description }
    var parts: [String] = []
    var i = 0
    while i < choices.count {
      var end = i
      while end + 1 < choices.count, choices[end + 1] == choices[i] { end += 1 }
      let c = choices[i]
      let text = c.alternative == 0 ? "\(c.task)" : "\(c.task).\(c.alternative)"
      let count = end - i + 1
      parts += count >= 3 ? ["\(text)*\(count)"] : Array(repeating: text, count: count)
      i = end + 1
    }
    let body = parts.joined(separator: ",")
    return initial == 0 ? body : "@\(initial):\(body)"
  }

  /// A schedule string that does not parse.
  public struct ParseError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
  }

  /// Parses the text form produced by `description`.
  public init(parsing text: String) throws(ParseError) {
    var rest = Substring(text.filter { !$0.isWhitespace })
    var initial = 0
    if rest.first == "@" {
      guard let colon = rest.firstIndex(of: ":"),
        let i = Int(rest[rest.index(after: rest.startIndex)..<colon]), i >= 0
      else { throw ParseError(message: "schedule: expected '@N:' before the choices") }
      initial = i
      rest = rest[rest.index(after: colon)...]
    }
    if rest == "-" || rest.isEmpty {
      self.init(initial: initial)
      return
    }
    var choices: [Choice] = []
    for (n, item) in rest.split(separator: ",", omittingEmptySubsequences: false).enumerated() {
      // `CHOICE*N`: the choice N times (the compact form).
      let repeated = item.split(separator: "*", omittingEmptySubsequences: false)
      let part = repeated[0]
      var times = 1
      if repeated.count == 2 {
        guard let t = Int(repeated[1]), t >= 1, t <= 1_000_000 else {
          throw ParseError(message: "schedule: choice \(n + 1) '\(item)' has a bad repeat count")
        }
        times = t
      }
      let pieces = part.split(separator: ".", omittingEmptySubsequences: false)
      guard repeated.count <= 2, pieces.count <= 2, let task = Int(pieces[0]), task >= 0 else {
        throw ParseError(
          message: "schedule: choice \(n + 1) '\(item)' is not TASK, TASK.ALT or CHOICE*N")
      }
      var alternative = 0
      if pieces.count == 2 {
        guard let alt = Int(pieces[1]), alt >= 0 else {
          throw ParseError(message: "schedule: choice \(n + 1) '\(part)' has a bad alternative")
        }
        alternative = alt
      }
      choices += repeatElement(Choice(task: task, alternative: alternative), count: times)
    }
    self.init(initial: initial, choices: choices)
  }
}
