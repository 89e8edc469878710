import KernelModel
import ScenarioFormat

/// `assert always|never|sometimes EXPR` and `assert eventually EXPR within K`: the scenario's
/// own properties, numbered A1, A2, … in file order.
///
///     assert never events hsm data 0 > 1
///     assert always saw reader remote == false    # (or: assert never saw reader remote)
///     assert sometimes returned reader 2 == EIO
///     assert eventually done reader within 40
///
/// Expressions: `not`, `and`, `or` (in that precedence), parentheses, `true`, `false`;
/// conditions `holds TASK LOCK`, `cached FILE PAGE`, `done TASK`, `waiting TASK`,
/// `saw TASK CONTENT`; comparisons (`==`, `!=`, `<`, `<=`, `>`, `>=`) of numbers, errnos,
/// `none`, contents (`remote`, `filled`, `written`, `hole`) and the values
/// `events GROUP [FILE [PAGE]] [from TASK]`, `answered GROUP`, `queued GROUP`, `unanswered GROUP`,
/// `size FILE`, `content FILE PAGE`, `returned TASK N` (the N-th line of its program).
extension ScenarioResolver {
  /// What a value is, for the checks a comparison needs.
  enum ValueType: String { case number, result, content }

  /// The parser of one assertion: words in, expression out, observations collected.
  struct AssertParser {
    var words: ArraySlice<Word>
    let resolver: ScenarioResolver
    let end: SourceLocation
    var observations: [Observation]

    func error(_ message: String, at location: SourceLocation? = nil) -> Diagnostic {
      resolver.error(message, at: location ?? words.first?.location ?? end)
    }

    mutating func take() throws(Diagnostic) -> Word {
      guard let w = words.popFirst() else { throw error("the expression ends too soon") }
      return w
    }

    func peek(_ text: String) -> Bool { words.first?.text == text }

    mutating func observe(_ o: Observation) -> Int {
      if let i = observations.firstIndex(of: o) { return i }
      observations.append(o)
      return observations.count - 1
    }

    mutating func expression() throws(Diagnostic) -> StateExpression {
      var e = try conjunction()
      while peek("or") {
        words.removeFirst()
        e = .or(e, try conjunction())
      }
      return e
    }

    mutating func conjunction() throws(Diagnostic) -> StateExpression {
      var e = try unary()
      while peek("and") {
        words.removeFirst()
        e = .and(e, try unary())
      }
      return e
    }

    mutating func unary() throws(Diagnostic) -> StateExpression {
      if peek("not") {
        words.removeFirst()
        return .not(try unary())
      }
      if peek("(") {
        let open = try take()
        let e = try expression()
        guard peek(")") else { throw error("expected ')' to close the '(' at \(open.location)") }
        words.removeFirst()
        return e
      }
      return try condition()
    }

    mutating func condition() throws(Diagnostic) -> StateExpression {
      let w = try take()
      switch w.text {
      case "true": return .constant(true)
      case "false": return .constant(false)
      case "holds":
        let t = try task()
        return .holds(task: t, lock: try lock(task: t))
      case "cached":
        let f = try file()
        return .cached(file: f, page: try page(of: f))
      case "done": return .done(task: try task(applicationOnly: true))
      case "waiting": return .waiting(task: try task())
      case "saw":
        let t = try task(applicationOnly: true)
        return .saw(observation: observe(.saw(task: t)), content: try content())
      default:
        words.insert(w, at: words.startIndex)
        let (a, ta) = try value()
        guard let opWord = words.first, case .symbol(let s) = opWord.kind,
          let op = StateExpression.Comparison(rawValue: s)
        else {
          throw error(
            "expected a comparison (==, !=, <, <=, >, >=) after '\(w.text)'",
            at: words.first?.location ?? end)
        }
        words.removeFirst()
        let (b, tb) = try value()
        if (ta == .content) != (tb == .content) {
          throw error("cannot compare a \(ta.rawValue) with a \(tb.rawValue)", at: opWord.location)
        }
        let numbers = ta != .content && Self.isOrdered(a) && Self.isOrdered(b)
        if op != .eq && op != .ne && !numbers {
          throw error("'\(s)' compares numbers only", at: opWord.location)
        }
        return .compare(a, op, b)
      }
    }

    /// Constants other than numbers (contents, errnos, `none`) cannot be ordered.
    static func isOrdered(_ v: StateValue) -> Bool {
      switch v {
      case .result, .content: return false
      default: return true
      }
    }

    mutating func value() throws(Diagnostic) -> (StateValue, ValueType) {
      let w = try take()
      switch w.kind {
      case .number(let n): return (.number(Int(n)), .number)
      case .pages(let n): return (.number(Int(n) * Fanotify.pageSize), .number)
      default: break
      }
      switch w.text {
      case "none": return (.result(nil), .result)
      case "events":
        let g = try group()
        var f: Int?
        var p: Int?
        if let next = words.first, resolver.files.contains(where: { $0.name == next.text }) {
          f = try file()
          if case .number? = words.first?.kind { p = try page(of: f!) }
        }
        var t: Int?
        if peek("from") {
          words.removeFirst()
          t = try task()
        }
        return (.observed(observe(.events(group: g, file: f, page: p, task: t))), .number)
      case "answered": return (.observed(observe(.answered(group: try group()))), .number)
      case "queued": return (.queued(group: try group()), .number)
      case "unanswered": return (.unanswered(group: try group()), .number)
      case "size": return (.size(file: try file()), .number)
      case "content":
        let f = try file()
        return (.pageContent(file: f, page: try page(of: f)), .content)
      case "returned":
        let t = try task(applicationOnly: true)
        let n = try take()
        let count = resolver.taskProgramLength(t)
        guard case .number(let line) = n.kind, line >= 1, line <= count else {
          throw error(
            "'returned TASK N' counts the task's syscalls from 1 (it has \(count))",
            at: n.location)
        }
        return (.observed(observe(.returned(task: t, instruction: Int(line) - 1))), .result)
      default:
        if let c = PageContent(rawValue: w.text) { return (.content(c), .content) }
        if let e = Errno(named: w.text) { return (.result(.error(e)), .result) }
        throw error(
          "unknown value '\(w.text)' (a number, an errno, none, remote|filled|written|hole, "
            + "events, answered, queued, unanswered, size, content or returned)", at: w.location)
      }
    }

    mutating func task(applicationOnly: Bool = false) throws(Diagnostic) -> Int {
      let w = try take()
      if let t = resolver.taskNames.firstIndex(of: w.text) { return t }
      if !applicationOnly, let t = resolver.listenerTaskIndex(named: w.text) { return t }
      throw error(
        applicationOnly
          ? "unknown application task '\(w.text)'"
          : "unknown task '\(w.text)' (an application task, or a listener thread: GROUP, "
            + "GROUP.N or GROUP.helperN)", at: w.location)
    }

    mutating func group() throws(Diagnostic) -> Int {
      let w = try take()
      guard let g = resolver.groupIndex(named: w.text) else {
        throw error("unknown group '\(w.text)'", at: w.location)
      }
      return g
    }

    mutating func file() throws(Diagnostic) -> Int { try resolver.fileIndex(try take()) }

    mutating func page(of f: Int) throws(Diagnostic) -> Int {
      let w = try take()
      let pages = resolver.files[f].pageCapacity
      guard case .number(let p) = w.kind, p >= 0, p < pages else {
        throw error(
          "expected a page of \(resolver.files[f].name) (0 to \(pages - 1))", at: w.location)
      }
      return Int(p)
    }

    mutating func content() throws(Diagnostic) -> PageContent {
      let w = try take()
      guard let c = PageContent(rawValue: w.text) else {
        throw error("expected remote, filled, written or hole", at: w.location)
      }
      return c
    }

    mutating func lock(task t: Int) throws(Diagnostic) -> KernelLock {
      let w = try take()
      switch w.text {
      case "i_rwsem": return .i_rwsem(file: try file())
      case "invalidate_lock": return .invalidate_lock(file: try file())
      case "sb_writers": return .sb_writers
      case "mmap_lock": return .mmap_lock
      case "cred_guard_mutex": return .cred_guard_mutex
      case "folio_lock":
        let f = try file()
        return .folio_lock(file: f, page: try page(of: f))
      default:
        if let (g, id) = resolver.daemonMutex(named: w.text, task: t) {
          return .daemon_mutex(group: g, id: id)
        }
        throw error(
          "unknown lock '\(w.text)' (i_rwsem FILE, invalidate_lock FILE, sb_writers, mmap_lock, "
            + "cred_guard_mutex, folio_lock FILE PAGE, or a mutex of the task's listener)",
          at: w.location)
      }
    }
  }

  /// Resolves `assert …` (its words after `assert`) against the whole scenario.
  func assertion(_ args: [Word], _ s: Statement, index: Int, observations: inout [Observation])
    throws(Diagnostic) -> Assertion
  {
    let form = "expected 'assert always|never|sometimes EXPR' or 'assert eventually EXPR within K'"
    guard let kindWord = args.first, args.count >= 2 else { throw error(form, at: s.location) }
    var words = args.dropFirst()
    let kind: Assertion.Kind
    switch kindWord.text {
    case "always": kind = .always
    case "never": kind = .never
    case "sometimes": kind = .sometimes
    case "eventually":
      guard words.count >= 3, words[words.endIndex - 2].text == "within" else {
        throw error("expected 'assert eventually EXPR within K'", at: kindWord.location)
      }
      let k = words.last!
      guard case .number(let n) = k.kind, n >= 1, n <= 100_000 else {
        throw error("'within' takes a number of steps from 1 to 100000", at: k.location)
      }
      kind = .eventually(within: Int(n))
      words = words.dropLast(2)
    default: throw error(form, at: kindWord.location)
    }
    let end = SourceLocation(
      line: s.location.line, column: (args.last!.location.column + args.last!.text.count))
    var parser = AssertParser(
      words: words, resolver: self, end: end, observations: observations)
    let e = try parser.expression()
    if let extra = parser.words.first {
      throw error("unexpected '\(extra.text)' after the expression", at: extra.location)
    }
    observations = parser.observations
    let text = args.map(\.text).joined(separator: " ")
    return Assertion(id: "A\(index + 1)", text: text, kind: kind, expression: e)
  }
}

extension ScenarioResolver {
  func taskProgramLength(_ t: Int) -> Int { tasks[t].program.count }

  func groupIndex(named name: String) -> Int? { groups.firstIndex { $0.name == name } }

  /// The task id of listener thread `GROUP`, `GROUP.N` or `GROUP.helperN`, as `KernelSystem`
  /// numbers them: after the application tasks.
  func listenerTaskIndex(named name: String) -> Int? {
    KernelSystem.listenerThreads(of: groups).firstIndex { $0.name == name }
      .map { taskNames.count + $0 }
  }

  /// The daemon mutex `name` of listener task `t`'s program: its group and number.
  func daemonMutex(named name: String, task t: Int) -> (Int, Int)? {
    let threads = KernelSystem.listenerThreads(of: groups)
    guard t >= taskNames.count, t - taskNames.count < threads.count else { return nil }
    let g = threads[t - taskNames.count].group
    return groups[g].listener!.mutexNames.firstIndex(of: name).map { (g, $0) }
  }
}
