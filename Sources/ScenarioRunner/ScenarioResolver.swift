import Exploration
import KernelModel
import ListenerModels
import ScenarioFormat

/// Gives a parsed scenario kernel meaning: resolves names (profiles, files, groups, listeners,
/// syscalls, fds) and reports unknown or misused ones as located diagnostics.
public struct ScenarioResolver {
  private let source: SourceFile
  private var name: String?
  private var question: String?
  private var expectations = Expectations()
  private var sawNoViolation: SourceLocation?
  private var sawExpect = false
  private var profile = Profile.v6_18
  private var profileSet = false
  private var overrides: [(Word, Word)] = []
  private var filesystem = Filesystem.named("ext4")!
  private var files: [FileSpec] = []
  private var groups: [GroupSpec] = []
  private var marks: [(Mark, Statement)] = []
  private var tasks: [TaskSpec] = []
  private var checked: Set<String>?

  /// Reads, parses and resolves one scenario file's text.
  public static func resolve(_ source: SourceFile) throws(Diagnostic) -> Scenario {
    let syntax = try ScenarioParser.parse(source)
    var resolver = ScenarioResolver(source: source)
    return try resolver.resolve(syntax)
  }

  private init(source: SourceFile) { self.source = source }

  private func error(_ message: String, at location: SourceLocation) -> Diagnostic {
    Diagnostic(.custom(message), at: location, in: source)
  }

  private mutating func resolve(_ syntax: ScenarioSyntax) throws(Diagnostic) -> Scenario {
    for statement in syntax.statements {
      try top(statement)
    }
    let start = SourceLocation(line: 1, column: 1)
    guard let name else { throw error("missing 'scenario NAME' line", at: start) }
    guard let question else { throw error("missing 'question \"…\"' line", at: start) }
    guard sawExpect else { throw error("missing 'expect …' line", at: start) }
    guard !tasks.isEmpty else { throw error("a scenario needs at least one task", at: start) }
    for (key, value) in overrides {
      if let message = profile.set(key.text, to: value.text) {
        throw error(message, at: key.location)
      }
    }
    var config = KernelConfig(
      profile: profile, filesystem: filesystem, files: files, groups: groups, marks: [],
      tasks: tasks, checkedProperties: checked)
    // Setup marks go through fanotify_mark's checks; a failing one is a scenario error.
    let probe: KernelSystem
    do { probe = try KernelSystem(config: config) } catch {
      throw self.error(error.message, at: start)
    }
    var state = probe.initialStates()[0]
    for (mark, statement) in marks {
      if let e = probe.markError(mark, in: state) {
        throw error(
          "fanotify_mark fails with \(e.name) for this mark (kernel-semantics §1.5)",
          at: statement.location)
      }
      state.marks.append(mark)
      config.marks.append(mark)
    }
    return Scenario(
      name: name, question: question, expectations: expectations, config: config, source: source)
  }

  // MARK: Top-level statements

  private mutating func top(_ s: Statement) throws(Diagnostic) {
    guard let keyword = s.keyword else {
      throw error("a statement starts with a keyword", at: s.words.first?.location ?? s.location)
    }
    if keyword != "task", let child = s.body.first {
      throw error("only 'task' takes an indented block", at: child.location)
    }
    if let assignee = s.assignee {
      throw error("'=' is only for fd variables inside a task", at: assignee.location)
    }
    if let result = s.result {
      throw error("'->' is only for syscalls inside a task", at: result.location)
    }
    let args = Array(s.words.dropFirst())
    switch keyword {
    case "scenario":
      try once(name, s)
      let word = try exactlyOne(args, s, "scenario NAME")
      let expected = Self.baseName(source.path)
      guard word.text == expected else {
        throw error(
          "scenario name '\(word.text)' must match the file name '\(expected)'",
          at: word.location)
      }
      name = word.text
    case "question":
      try once(question, s)
      let word = try exactlyOne(args, s, "question \"…\"")
      guard case .string(let text) = word.kind else {
        throw error("the question is a quoted string", at: word.location)
      }
      question = text
    case "expect":
      try expect(args, s)
    case "profile":
      if profileSet { throw error("'profile' appears twice", at: s.location) }
      let word = try exactlyOne(args, s, "profile NAME")
      guard let p = Profile.preset(named: word.text) else {
        let known = Profile.presets.map(\.name).joined(separator: ", ")
        throw error("unknown profile '\(word.text)' (known: \(known))", at: word.location)
      }
      profile = p
      profileSet = true
    case "set":
      guard args.count == 2 else {
        throw error("expected 'set SWITCH VALUE'", at: s.location)
      }
      overrides.append((args[0], args[1]))
    case "filesystem":
      let word = try exactlyOne(args, s, "filesystem TYPE")
      guard let fs = Filesystem.named(word.text) else {
        let known = Filesystem.known.map(\.type).joined(separator: ", ")
        throw error("unknown filesystem '\(word.text)' (known: \(known))", at: word.location)
      }
      filesystem = fs
    case "file":
      try file(args, s)
    case "group":
      try group(args, s)
    case "mark":
      marks.append((try mark(args, s), s))
    case "task":
      try task(args, s)
    case "check":
      guard !args.isEmpty else { throw error("expected 'check PROPERTY…'", at: s.location) }
      var ids = checked ?? []
      for a in args {
        guard KernelSystem.allProperties.contains(where: { $0.id == a.text }) else {
          throw error(
            "unknown property '\(a.text)' (known: \(Self.propertyIDs))", at: a.location)
        }
        ids.insert(a.text)
      }
      checked = ids
    default:
      throw error(
        "unknown statement '\(keyword)' (expected scenario, question, expect, profile, set, "
          + "filesystem, file, group, mark, task or check)", at: s.location)
    }
  }

  private static var propertyIDs: String {
    KernelSystem.allProperties.map(\.id).joined(separator: ", ")
  }

  private mutating func expect(_ args: [Word], _ s: Statement) throws(Diagnostic) {
    sawExpect = true
    guard let kind = args.first else {
      throw error(
        "expected 'expect no-violation', 'expect violation ID', 'expect deadlock' or "
          + "'expect gap ID'", at: s.location)
    }
    switch kind.text {
    case "no-violation":
      guard args.count == 1 else { throw error("no-violation takes nothing", at: args[1].location) }
      sawNoViolation = kind.location
    case "deadlock":
      guard args.count == 1 else { throw error("deadlock takes nothing", at: args[1].location) }
      expectations.violations.insert(Violation<KernelStep>.deadlockID)
    case "violation", "gap":
      guard args.count == 2 else {
        throw error("expected '\(kind.text) PROPERTY'", at: kind.location)
      }
      let id = args[1].text
      let isGap = KernelSystem.gapPropertyIDs.contains(id)
      let known = KernelSystem.allProperties.contains { $0.id == id }
      if known && isGap != (kind.text == "gap") {
        let right = isGap ? "gap" : "violation"
        throw error(
          "'\(id)' is a \(isGap ? "known gap" : "violation"): write 'expect \(right) \(id)'",
          at: args[1].location)
      }
      guard known else {
        let ids = KernelSystem.allProperties.map(\.id).filter {
          KernelSystem.gapPropertyIDs.contains($0) == (kind.text == "gap")
        }
        throw error(
          "unknown \(kind.text) '\(id)' (known: \(ids.joined(separator: ", ")))",
          at: args[1].location)
      }
      if isGap { expectations.gaps.insert(id) } else { expectations.violations.insert(id) }
    default:
      throw error(
        "unknown expectation '\(kind.text)' (expected no-violation, violation, deadlock or gap)",
        at: kind.location)
    }
    if let at = sawNoViolation, !expectations.violations.isEmpty {
      throw error("'expect no-violation' contradicts another expectation", at: at)
    }
  }

  private mutating func file(_ args: [Word], _ s: Statement) throws(Diagnostic) {
    // file NAME pages N [content C…]
    guard args.count >= 3, args[1].text == "pages" else {
      throw error("expected 'file NAME pages N [content C…]'", at: s.location)
    }
    let name = try identifier(args[0])
    if files.contains(where: { $0.name == name }) {
      throw error("file '\(name)' is declared twice", at: args[0].location)
    }
    guard case .number(let n) = args[2].kind, n >= 1, n <= 64 else {
      throw error("a file has 1 to 64 pages", at: args[2].location)
    }
    var content = Array(repeating: PageContent.remote, count: Int(n))
    if args.count > 3 {
      guard args[3].text == "content", args.count > 4 else {
        throw error("expected 'content' and one value, or one per page", at: args[3].location)
      }
      let values = Array(args[4...])
      guard values.count == 1 || values.count == Int(n) else {
        throw error(
          "give one content value for all pages or exactly \(n)", at: values[0].location)
      }
      var parsed: [PageContent] = []
      for v in values {
        guard let c = PageContent(rawValue: v.text) else {
          let known = PageContent.allCases.map(\.rawValue).joined(separator: ", ")
          throw error("unknown page content '\(v.text)' (known: \(known))", at: v.location)
        }
        parsed.append(c)
      }
      content = values.count == 1 ? Array(repeating: parsed[0], count: Int(n)) : parsed
    }
    files.append(FileSpec(name: name, content: content))
  }

  private mutating func group(_ args: [Word], _ s: Statement) throws(Diagnostic) {
    // group NAME class CLASS [listener MODEL ARGS…]
    guard args.count >= 3, args[1].text == "class" else {
      throw error("expected 'group NAME class CLASS [listener MODEL …]'", at: s.location)
    }
    let name = try identifier(args[0])
    if groups.contains(where: { $0.name == name }) || tasks.contains(where: { $0.name == name }) {
      throw error("name '\(name)' is already used", at: args[0].location)
    }
    let classes = ["notif": GroupClass.notif, "content": .content, "pre-content": .preContent]
    guard let groupClass = classes[args[2].text] else {
      throw error(
        "unknown group class '\(args[2].text)' (known: notif, content, pre-content)",
        at: args[2].location)
    }
    var listener: (any ListenerModel)?
    if args.count > 3 {
      guard args[3].text == "listener", args.count > 4 else {
        throw error("expected 'listener MODEL'", at: args[3].location)
      }
      let modelArgs = Array(args[5...])
      switch ListenerCatalogue.make(args[4].text, arguments: modelArgs.map(\.text)) {
      case .success(let model): listener = model
      case .failure(let e):
        let at = e.argument.map { modelArgs[min($0, modelArgs.count - 1)].location }
        throw error(e.message, at: at ?? args[4].location)
      }
    } else if groupClass != .notif {
      throw error(
        "a \(args[2].text) group needs a listener (e.g. 'listener fill')", at: s.location)
    }
    groups.append(GroupSpec(name: name, groupClass: groupClass, listener: listener))
  }

  private func mark(_ args: [Word], _ s: Statement) throws(Diagnostic) -> Mark {
    // mark GROUP inode FILE MASK
    guard args.count == 4, args[1].text == "inode" else {
      throw error("expected 'mark GROUP inode FILE MASK'", at: s.location)
    }
    guard let g = groups.firstIndex(where: { $0.name == args[0].text }) else {
      throw error("unknown group '\(args[0].text)'", at: args[0].location)
    }
    let file = try fileIndex(args[2])
    var mask: EventMask = []
    let names: [String]
    switch args[3].kind {
    case .flags(let parts): names = parts
    case .identifier(let one): names = [one]
    default: throw error("expected event names like FAN_PRE_ACCESS", at: args[3].location)
    }
    for n in names {
      guard let m = EventMask(named: n) else {
        throw error("unknown event '\(n)'", at: args[3].location)
      }
      mask.formUnion(m)
    }
    return Mark(group: g, object: .inode(file: file), mask: mask)
  }

  // MARK: Tasks

  private mutating func task(_ args: [Word], _ s: Statement) throws(Diagnostic) {
    let word = try exactlyOne(args, s, "task NAME")
    let name = try identifier(word)
    if tasks.contains(where: { $0.name == name }) || groups.contains(where: { $0.name == name }) {
      throw error("name '\(name)' is already used", at: word.location)
    }
    guard !s.body.isEmpty else {
      throw error("task '\(name)' has no syscalls (indent them below it)", at: s.location)
    }
    var fdNames: [String] = []
    var program: [Instruction] = []
    for line in s.body {
      program.append(try instruction(line, fdNames: &fdNames))
    }
    tasks.append(TaskSpec(name: name, program: program, fdNames: fdNames))
  }

  private func instruction(_ s: Statement, fdNames: inout [String]) throws(Diagnostic)
    -> Instruction
  {
    guard let keyword = s.keyword else {
      throw error("expected a syscall", at: s.words.first?.location ?? s.location)
    }
    let args = Array(s.words.dropFirst())
    func fd(_ w: Word) throws(Diagnostic) -> Int {
      guard let i = fdNames.firstIndex(of: w.text) else {
        throw error("unknown fd '\(w.text)' (assign it with 'NAME = open FILE')", at: w.location)
      }
      return i
    }
    if keyword != "open", let a = s.assignee {
      throw error("only 'open' assigns an fd", at: a.location)
    }
    let syscall: Syscall
    switch keyword {
    case "open":
      guard let a = s.assignee else {
        throw error("expected 'FD = open FILE [FLAGS]'", at: s.location)
      }
      guard args.count == 1 || args.count == 2 else {
        throw error("expected 'FD = open FILE [FLAGS]'", at: s.location)
      }
      let file = try fileIndex(args[0])
      var flags: OpenFlags = []
      if args.count == 2 {
        guard let f = OpenFlags.named.first(where: { $0.0 == args[1].text }) else {
          throw error(
            "unknown open flags '\(args[1].text)' (known: O_RDONLY, O_WRONLY, O_RDWR)",
            at: args[1].location)
        }
        flags = f.1
      }
      let name = try identifier(a)
      if !fdNames.contains(name) { fdNames.append(name) }
      syscall = .open(file: file, flags: flags, slot: fdNames.firstIndex(of: name)!)
    case "read":
      guard args.count == 2 else { throw error("expected 'read FD COUNT'", at: s.location) }
      syscall = .read(slot: try fd(args[0]), count: try bytes(args[1]))
    case "pread":
      guard args.count == 3 else {
        throw error("expected 'pread FD OFFSET COUNT'", at: s.location)
      }
      syscall = .pread(slot: try fd(args[0]), offset: try bytes(args[1]), count: try bytes(args[2]))
    case "close":
      guard args.count == 1 else { throw error("expected 'close FD'", at: s.location) }
      syscall = .close(slot: try fd(args[0]))
    case "mark":
      syscall = .fanotifyMark(try mark(args, s))
    default:
      throw error(
        "unknown syscall '\(keyword)' (expected open, read, pread, close or mark)",
        at: s.location)
    }
    return Instruction(
      syscall, expected: try s.result.map { w throws(Diagnostic) in try expected(w) })
  }

  private func expected(_ w: Word) throws(Diagnostic) -> ExpectedResult {
    switch w.kind {
    case .number(let n): return .value(Int(n))
    case .identifier("ok"): return .success
    case .identifier(let name):
      guard let e = Errno(named: name) else {
        throw error("unknown result '\(name)' (a number, ok, or an errno like EIO)", at: w.location)
      }
      return .error(e)
    default:
      throw error("expected a number, ok, or an errno after '->'", at: w.location)
    }
  }

  // MARK: Words

  private func bytes(_ w: Word) throws(Diagnostic) -> Int {
    switch w.kind {
    case .number(let n) where n <= 1 << 40: return Int(n)
    case .pages(let n) where n <= 1 << 28: return Int(n) * Fanotify.pageSize
    default: throw error("expected a byte count or pages like 2p", at: w.location)
    }
  }

  private func fileIndex(_ w: Word) throws(Diagnostic) -> Int {
    guard let i = files.firstIndex(where: { $0.name == w.text }) else {
      throw error("unknown file '\(w.text)' (declare it with 'file NAME pages N')", at: w.location)
    }
    return i
  }

  private func identifier(_ w: Word) throws(Diagnostic) -> String {
    guard let id = w.identifier else { throw error("expected a name", at: w.location) }
    return id
  }

  private func exactlyOne(_ args: [Word], _ s: Statement, _ form: String) throws(Diagnostic)
    -> Word
  {
    guard args.count == 1 else {
      throw error("expected '\(form)'", at: args.count > 1 ? args[1].location : s.location)
    }
    return args[0]
  }

  private func once<T>(_ value: T?, _ s: Statement) throws(Diagnostic) {
    if value != nil { throw error("'\(s.keyword!)' appears twice", at: s.location) }
  }

  /// The file name without folders and the `.scenario` extension.
  static func baseName(_ path: String) -> String {
    var name = Substring(path.split(separator: "/").last ?? "")
    if name.hasSuffix(".scenario") { name = name.dropLast(".scenario".count) }
    return String(name)
  }
}
