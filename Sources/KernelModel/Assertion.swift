import Exploration

/// A scenario's own property (`assert always|never|sometimes EXPR`,
/// `assert eventually EXPR within K`): an expression over the state and what was observed so
/// far, checked like I1–I12.
public struct Assertion: Hashable, Sendable {
  public enum Kind: Hashable, Sendable {
    case always
    case never
    case sometimes
    /// On every path, the expression holds within this many steps (the path's first K+1
    /// states); a path that ends sooner must reach it before it ends.
    case eventually(within: Int)
  }

  /// `A1`, `A2`, … in file order.
  public var id: String
  /// The assertion as written, for reports.
  public var text: String
  public var kind: Kind
  public var expression: StateExpression

  public init(id: String, text: String, kind: Kind, expression: StateExpression) {
    self.id = id
    self.text = text
    self.kind = kind
    self.expression = expression
  }
}

/// A boolean expression over a kernel state.
public indirect enum StateExpression: Hashable, Sendable {
  case constant(Bool)
  case not(StateExpression)
  case and(StateExpression, StateExpression)
  case or(StateExpression, StateExpression)
  case compare(StateValue, Comparison, StateValue)
  /// `holds TASK LOCK`: the task holds the lock (a kernel lock or a daemon mutex).
  case holds(task: Int, lock: KernelLock)
  /// `cached FILE PAGE`: the page is uptodate in the page cache.
  case cached(file: Int, page: Int)
  /// `done TASK`: the application task finished its program (or was killed).
  case done(task: Int)
  /// `waiting TASK`: the task waits in `fanotify_get_response`, unanswered.
  case waiting(task: Int)
  /// `saw TASK CONTENT`: some byte the task read (read, splice, copy, load, exec) had this
  /// content; the index of the observation that records it.
  case saw(observation: Int, content: PageContent)

  public enum Comparison: String, Hashable, Sendable, CaseIterable {
    case eq = "=="
    case ne = "!="
    case lt = "<"
    case le = "<="
    case gt = ">"
    case ge = ">="
  }

  /// The application tasks the expression names (symmetry must leave them apart).
  public func tasks(_ observations: [Observation]) -> Set<Int> {
    switch self {
    case .constant: return []
    case .not(let e): return e.tasks(observations)
    case .and(let a, let b), .or(let a, let b):
      return a.tasks(observations).union(b.tasks(observations))
    case .compare(let a, _, let b): return a.tasks(observations).union(b.tasks(observations))
    case .holds(let t, _), .done(let t), .waiting(let t): return [t]
    case .cached: return []
    case .saw(let i, _): return observations[i].task.map { [$0] } ?? []
    }
  }
}

/// A number, a syscall's result, or a page's content, read off a state.
public enum StateValue: Hashable, Sendable {
  case number(Int)
  /// The result of a syscall that is not a number: `none` before it returned (nil), or an
  /// errno (a returned value is a `number`).
  case result(SyscallResult?)
  /// A page's content: one of the four, or nil when its bytes differ.
  case content(PageContent?)
  /// The value of observation i (events, answers: a count; returned: a result).
  case observed(Int)
  /// Events waiting in the group's queue, unread.
  case queued(group: Int)
  /// Events read by the group's listeners and not answered yet.
  case unanswered(group: Int)
  /// The file's size in bytes.
  case size(file: Int)
  /// The content of a page, below EOF.
  case pageContent(file: Int, page: Int)

  func tasks(_ observations: [Observation]) -> Set<Int> {
    if case .observed(let i) = self { return observations[i].task.map { [$0] } ?? [] }
    return []
  }
}

/// Something the state records only when an assertion asks for it: counts and results that
/// the kernel state itself does not keep.
public enum Observation: Hashable, Sendable {
  /// Events queued to the group (permission and notification, not merged into another, not
  /// dropped), on the file when given, and then on the page when given (an event without a
  /// range covers every page), caused by the task when given.
  case events(group: Int, file: Int?, page: Int?, task: Int? = nil)
  /// Responses the group's listeners wrote successfully.
  case answered(group: Int)
  /// What instruction `instruction` (from 0) of application task `task` returned.
  case returned(task: Int, instruction: Int)
  /// Which contents the task's reads saw (a bit per `PageContent`).
  case saw(task: Int)

  var task: Int? {
    switch self {
    case .returned(let t, _), .saw(let t): return t
    case .events(_, _, _, let t): return t
    case .answered: return nil
    }
  }
}

extension KernelSystem {
  /// Whether `e` holds in `s`.
  public func holds(_ e: StateExpression, in s: KernelState) -> Bool {
    switch e {
    case .constant(let b): return b
    case .not(let a): return !holds(a, in: s)
    case .and(let a, let b): return holds(a, in: s) && holds(b, in: s)
    case .or(let a, let b): return holds(a, in: s) || holds(b, in: s)
    case .compare(let a, let op, let b):
      let (x, y) = (value(a, in: s), value(b, in: s))
      switch op {
      case .eq: return x == y
      case .ne: return x != y
      case .lt, .le, .gt, .ge:
        guard case .number(let m) = x, case .number(let n) = y else { return false }
        switch op {
        case .lt: return m < n
        case .le: return m <= n
        case .gt: return m > n
        default: return m >= n
        }
      }
    case .holds(let t, let lock): return s.tasks[t].held.contains(lock)
    case .cached(let f, let p): return p < s.inodes[f].cached.count && s.inodes[f].cached[p]
    case .done(let t): return isFinished(t, in: s)
    case .waiting(let t):
      guard let p = s.tasks[t].pending else { return false }
      if case .answered = p.status { return false }
      return s.tasks[t].path.first.map { if case .awaitResponse = $0 { true } else { false } }
        ?? false
    case .saw(let i, let content):
      return s.observed[i] & (1 << Self.contentBit(content)) != 0
    }
  }

  /// The value of `v` in `s`, with observations decoded.
  func value(_ v: StateValue, in s: KernelState) -> StateValue {
    switch v {
    case .number, .result, .content: return v
    case .observed(let i):
      guard case .returned = config.observations[i] else { return .number(s.observed[i]) }
      // A value compares as a number; an errno or `none` as a result.
      let r = Self.decodeResult(s.observed[i])
      if case .value(let n)? = r { return .number(n) }
      return .result(r)
    case .queued(let g):
      return .number(s.groups[g].queue.filter { $0 != .overflow }.count)
    case .unanswered(let g): return .number(s.groups[g].accessList.count)
    case .size(let f): return .number(s.inodes[f].size)
    case .pageContent(let f, let p):
      let lo = p * Fanotify.pageSize
      let hi = min((p + 1) * Fanotify.pageSize, s.inodes[f].size)
      guard lo < hi else { return .content(.hole) }
      let kinds = Set(s.inodes[f].content.runs(in: lo..<hi).map(\.content))
      return .content(kinds.count == 1 ? kinds.first : nil)
    }
  }

  static func contentBit(_ c: PageContent) -> Int { PageContent.allCases.firstIndex(of: c)! }

  /// A syscall result kept in an observation: 0 before it returned, v + 1 for a value v ≥ 0,
  /// -errno for an error.
  static func encodeResult(_ r: SyscallResult) -> Int {
    switch r {
    case .value(let v): return v + 1
    case .error(let e): return -Int(e.rawValue)
    }
  }

  static func decodeResult(_ code: Int) -> SyscallResult? {
    if code == 0 { return nil }
    if code > 0 { return .value(code - 1) }
    return .error(Errno(rawValue: Int32(-code)))
  }

  /// Counts an event queued to group `g` on file `f` with `range`, caused by task `t`.
  func observeEvent(
    group g: Int, file f: Int, range: EventRange?, task t: Int, in s: inout KernelState
  ) {
    for (i, o) in config.observations.enumerated() {
      guard case .events(let og, let of, let op, let ot) = o, og == g, of == nil || of == f,
        ot == nil || ot == t
      else {
        continue
      }
      if let p = op, let r = range, r.count > 0,
        !(r.offset / Fanotify.pageSize...(r.offset + r.count - 1) / Fanotify.pageSize).contains(p)
      {
        continue
      }
      s.observed[i] += 1
    }
  }

  /// Counts a response of group `g` that the kernel took.
  func observeAnswer(group g: Int, in s: inout KernelState) {
    for (i, o) in config.observations.enumerated() where o == .answered(group: g) {
      s.observed[i] += 1
    }
  }

  /// Records what instruction `pc` of task `t` returned.
  func observeReturn(_ r: SyscallResult, task t: Int, instruction pc: Int, in s: inout KernelState)
  {
    for (i, o) in config.observations.enumerated() where o == .returned(task: t, instruction: pc) {
      s.observed[i] = Self.encodeResult(r)
    }
  }

  /// Records the contents of the bytes `bytes` of file `f` that task `t` read.
  func observeRead(task t: Int, file f: Int, bytes: Range<Int>, in s: inout KernelState) {
    guard !bytes.isEmpty else { return }
    for (i, o) in config.observations.enumerated() where o == .saw(task: t) {
      for run in s.inodes[f].content.runs(in: bytes) {
        s.observed[i] |= 1 << Self.contentBit(run.content)
      }
    }
  }

  /// The scenario's assertions as properties. An `eventually` assertion is a path property:
  /// its entry here never fails (it names the assertion in reports), and
  /// `eventuallyViolations()` judges it.
  public var assertionProperties: [Property<KernelState>] {
    config.assertions.map { a in
      let e = a.expression
      let summary = "assert " + a.text
      switch a.kind {
      case .always: return .always(a.id, summary) { holds(e, in: $0) }
      case .never: return .never(a.id, summary) { holds(e, in: $0) }
      case .sometimes: return .sometimes(a.id, summary) { holds(e, in: $0) }
      case .eventually: return .always(a.id, summary) { _ in true }
      }
    }
  }

  /// Whether the path through `states` shows that `eventually … within K` assertion `a` fails:
  /// no state holds its expression, and the path has K steps or ends with no step enabled.
  public func eventuallyFails(_ a: Assertion, along states: [KernelState]) -> Bool {
    guard case .eventually(let k) = a.kind, let last = states.last else { return false }
    guard !states.contains(where: { holds(a.expression, in: $0) }) else { return false }
    return states.count > k || transitions(from: last).isEmpty
  }

  /// For each `eventually … within K` assertion, a path that avoids its expression for K steps
  /// or ends without reaching it, if there is one.
  public func eventuallyViolations() -> [Violation<KernelStep>] {
    config.assertions.compactMap { a in
      guard case .eventually(let k) = a.kind else { return nil }
      return pathAvoiding({ holds(a.expression, in: $0) }, for: k).map {
        Violation(propertyID: a.id, kind: .invariant, path: $0)
      }
    }
  }
}
