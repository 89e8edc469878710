import KernelModel
import ListenerModels
import ScenarioFormat

/// `listener NAME` blocks: a listener written as a program, one statement per line, run for
/// each event a worker thread reads.
///
///     listener hsm
///       summary "fills the range, answers ALLOW, falls back to ALLOW if refused"
///       if mask FAN_PRE_ACCESS fill
///       respond EIO else ALLOW
///       close event
///
/// Each statement may start with conditions, all of which must hold: `if [not] own` (one of the
/// daemon's threads caused the event), `if [not] mask MASK|…`, `if [not] file FILE`,
/// `if [not] event N` (the group's N-th event, from 1), `if [not] task TASK`,
/// `if [not] offset BYTES`. Statements: `fill`; `respond WORD [else WORD]`;
/// `respond in order WORD…`; `close event`; `close group`; `read event`;
/// `ftruncate event [LENGTH]`; `fallocate event MODE OFFSET LENGTH`; `reopen`; `read FILE [OFFSET COUNT]`; `write FILE [OFFSET COUNT]`;
/// `truncate FILE LENGTH`; `lock MUTEX`; `unlock MUTEX`. Directives: `summary "…"`,
/// `answer last` (in the deterministic schedule, take events only when no application task
/// can move).
extension ScenarioResolver {
  /// The most mutexes one listener program may name (its threads' held locks are a fixed-size
  /// list: `HeldLocks`).
  static let mutexLimit = 3

  static let listenerForms =
    "fill, respond WORD [else WORD], respond in order WORD…, close event, close group, "
    + "read event, ftruncate event [LENGTH], fallocate event MODE OFFSET LENGTH, reopen, "
    + "read FILE [OFFSET COUNT], "
    + "write FILE [OFFSET COUNT], truncate FILE LENGTH, lock MUTEX, unlock MUTEX, spawn, "
    + "summary \"…\", answer last"

  /// A parameter of a listener definition: `PARAM`, `PARAM default VALUE` or `PARAM...`.
  struct Parameter {
    var name: String
    var fallback: Word?
    var variadic: Bool { name.hasSuffix("...") }
  }

  /// The parameters of definition `s` (`listener NAME PARAM…`).
  func parameters(of s: Statement) throws(Diagnostic) -> [Parameter] {
    var words = s.words.dropFirst(2)
    var out: [Parameter] = []
    while let p = words.popFirst() {
      guard p.identifier != nil, !out.contains(where: { $0.name == p.text }) else {
        throw error("expected a parameter name", at: p.location)
      }
      if let last = out.last, last.variadic {
        throw error("'\(last.name)' takes the remaining arguments: it comes last", at: p.location)
      }
      var parameter = Parameter(name: p.text)
      if words.first?.text == "default" {
        words = words.dropFirst()
        guard let d = words.popFirst(), !parameter.variadic else {
          throw error("expected 'PARAM default VALUE'", at: p.location)
        }
        parameter.fallback = d
      }
      out.append(parameter)
    }
    return out
  }

  /// The listener that definition `s` (a `listener` block of the scenario or of
  /// `ListenerLibrary`) describes with `arguments` (the words after its name in a `group`
  /// line, `nameWord` the name there): each parameter's words in the statements become its
  /// arguments, its name in the summary their text.
  func instantiate(_ s: Statement, arguments: [Word], nameWord: Word) throws(Diagnostic)
    -> ProgramListener
  {
    let name = s.words[1].text
    let parameters = try parameters(of: s)
    var bound: [String: [Word]] = [:]
    var rest = arguments[...]
    let form = parameters.map { $0.fallback == nil ? $0.name : "[\($0.name)]" }
      .joined(separator: " ")
    for p in parameters {
      if p.variadic {
        guard !rest.isEmpty else {
          throw error("listener \(name) takes \(p.name) (one or more)", at: nameWord.location)
        }
        bound[p.name] = Array(rest)
        rest = []
      } else if let a = rest.popFirst() {
        bound[p.name] = [a]
      } else if let d = p.fallback {
        bound[p.name] = [d]
      } else {
        throw error("listener \(name) takes \(form)", at: nameWord.location)
      }
    }
    if let extra = rest.first {
      throw error(
        "listener \(name) takes \(parameters.isEmpty ? "no arguments" : form)", at: extra.location)
    }
    var definition = s
    definition.body = s.body.map { line in
      var l = line
      l.words = line.words.flatMap { bound[$0.text] ?? [$0] }
      return l
    }
    var program = try program(named: name, definition)
    program.name = ([name] + arguments.map(\.text)).joined(separator: " ")
    for p in parameters {
      program.summary = program.summary.replacingOccurrences(
        of: p.name, with: bound[p.name]!.map(\.text).joined(separator: " "))
    }
    return program
  }

  func program(named name: String, _ s: Statement) throws(Diagnostic) -> ProgramListener {
    guard !s.body.isEmpty else {
      throw error("a listener needs a block of statements below it", at: s.location)
    }
    var statements: [ProgramListener.Statement] = []
    var summary: String?
    var answersLast = false
    var mutexes: [String] = []
    for line in s.body {
      if let a = line.assignee { throw error("'=' is only for fds in a task", at: a.location) }
      if let r = line.result { throw error("'->' is only for syscalls in a task", at: r.location) }
      var words = line.words[...]
      if words.first?.text == "summary" {
        guard words.count == 2, case .string(let text) = words.last!.kind else {
          throw error("expected 'summary \"…\"'", at: line.location)
        }
        summary = text
        continue
      }
      if words.map(\.text) == ["answer", "last"] {
        answersLast = true
        continue
      }
      var conditions: [ProgramListener.Condition] = []
      while words.first?.text == "if" {
        words = words.dropFirst()
        var negated = false
        if words.first?.text == "not" {
          negated = true
          words = words.dropFirst()
        }
        if words.first?.text == "own" {
          conditions.append(negated ? .not(.own) : .own)
          words = words.dropFirst()
          continue
        }
        guard words.count >= 3, let kind = words.first, let arg = words.dropFirst().first else {
          throw error(
            "expected 'if [not] own' or 'if [not] mask|file|event|task|offset VALUE' "
              + "before a statement", at: words.first?.location ?? line.location)
        }
        var condition: ProgramListener.Condition
        switch kind.text {
        case "mask": condition = .mask(try flagSet(arg, from: EventMask.named, unknown: "event"))
        case "file": condition = .file(try fileIndex(arg))
        case "event":
          guard case .number(let n) = arg.kind, n >= 1 else {
            throw error("'if event N' counts the group's events from 1", at: arg.location)
          }
          condition = .sequence(Int(n) - 1)
        case "task":
          guard let i = taskNames.firstIndex(of: arg.text) else {
            throw error("unknown task '\(arg.text)'", at: arg.location)
          }
          condition = .task(i)
        case "offset": condition = .offset(try bytes(arg))
        default:
          throw error(
            "unknown condition '\(kind.text)' (own, mask, file, event, task or offset)",
            at: kind.location)
        }
        if negated { condition = .not(condition) }
        conditions.append(condition)
        words = words.dropFirst(2)
      }
      if let verb = words.first, verb.text == "lock" || verb.text == "unlock" {
        guard words.count == 2, let m = words.last!.identifier else {
          throw error("expected '\(verb.text) MUTEX'", at: verb.location)
        }
        if verb.text == "unlock" && !mutexes.contains(m) {
          throw error(
            "'unlock \(m)' with no 'lock \(m)' before it", at: words.last!.location)
        }
        if !mutexes.contains(m) {
          guard mutexes.count < Self.mutexLimit else {
            throw error(
              "a listener program has at most \(Self.mutexLimit) mutexes (a thread's held locks"
                + " are a fixed-size list)", at: words.last!.location)
          }
          mutexes.append(m)
        }
        let id = mutexes.firstIndex(of: m)!
        statements.append(
          ProgramListener.Statement(
            conditions: conditions, verb.text == "lock" ? .lock(id) : .unlock(id)))
        continue
      }
      statements.append(
        ProgramListener.Statement(
          conditions: conditions, try listenerOperation(Array(words), line)))
    }
    return ProgramListener(
      name: name, summary: summary ?? "the scenario's listener program '\(name)'",
      statements: statements, answersLast: answersLast, mutexNames: mutexes)
  }

  private func listenerOperation(_ w: [Word], _ line: Statement) throws(Diagnostic)
    -> ProgramListener.Operation
  {
    let texts = w.map(\.text)
    func response(_ word: Word) throws(Diagnostic) -> UInt32 {
      guard let r = ProgramListener.response(named: word.text) else {
        throw error(
          "unknown response '\(word.text)' (ALLOW, DENY or an errno)", at: word.location)
      }
      return r
    }
    func number(_ i: Int) throws(Diagnostic) -> Int? { i < w.count ? try bytes(w[i]) : nil }
    func ends(at n: Int) throws(Diagnostic) {
      if w.count > n { throw error("unexpected '\(w[n].text)'", at: w[n].location) }
    }
    switch texts.first {
    case "fill"?:
      try ends(at: 1)
      return .fill
    case "respond"? where texts.count >= 3 && texts[1] == "in" && texts[2] == "order":
      guard w.count > 3 else { throw error("expected 'respond in order WORD…'", at: w[0].location) }
      var words: [UInt32] = []
      for word in w.dropFirst(3) { words.append(try response(word)) }
      return .respondInOrder(words)
    case "respond"?:
      guard w.count == 2 || (w.count == 4 && texts[2] == "else") else {
        throw error("expected 'respond WORD [else WORD]'", at: w[0].location)
      }
      return .respond(try response(w[1]), fallback: w.count == 4 ? try response(w[3]) : nil)
    case "close"? where texts.count == 2 && texts[1] == "event": return .closeEvent
    case "close"? where texts.count == 2 && texts[1] == "group": return .closeGroup
    case "read"? where texts.count == 2 && texts[1] == "event": return .readEvent
    case "ftruncate"? where texts.count >= 2 && texts[1] == "event":
      try ends(at: 3)
      return .ftruncateEvent(length: try number(2))
    case "fallocate"? where texts.count >= 2 && texts[1] == "event":
      guard w.count == 5 else {
        throw error("expected 'fallocate event MODE OFFSET LENGTH'", at: w[0].location)
      }
      return .fallocateEvent(
        mode: try fallocateMode(w[2]), offset: try bytes(w[3]), length: try bytes(w[4]))
    case "reopen"?:
      try ends(at: 1)
      return .reopen
    case "spawn"?:
      try ends(at: 1)
      return .spawn
    case "read"? where w.count == 2 || w.count == 4:
      return .read(file: try fileIndex(w[1]), offset: try number(2), count: try number(3))
    case "write"? where w.count == 2 || w.count == 4:
      return .write(file: try fileIndex(w[1]), offset: try number(2), count: try number(3))
    case "truncate"? where w.count == 3:
      return .truncate(file: try fileIndex(w[1]), length: try bytes(w[2]))
    case "read"?, "write"?, "truncate"?:
      let form = texts[0] == "truncate" ? "FILE LENGTH" : "FILE [OFFSET COUNT]"
      throw error("expected '\(texts[0]) \(form)'", at: w[0].location)
    default:
      throw error(
        "unknown listener statement (known: \(Self.listenerForms))",
        at: w.first?.location ?? line.location)
    }
  }
}
