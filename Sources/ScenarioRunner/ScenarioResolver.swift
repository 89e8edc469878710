import Exploration
import KernelModel
import ListenerModels
import ScenarioFormat

/// Gives a parsed scenario kernel meaning: resolves names (profiles, files, groups, listeners,
/// syscalls, fds) and reports unknown or misused ones as located diagnostics.
public struct ScenarioResolver {
  let source: SourceFile
  private var name: String?
  private var question: String?
  private var expectations = Expectations()
  private var sawNoViolation: SourceLocation?
  private var sawExpect = false
  private var profile = Profile.v6_18
  private var profileSet = false
  private var overrides: [(Word, Word)] = []
  private var filesystem = Filesystem.named("ext4")!
  var files: [FileSpec] = []
  var groups: [GroupSpec] = []
  private var marks: [(Mark, MarkFlags, Statement)] = []
  var tasks: [TaskSpec] = []
  private var checked: Set<String>?
  /// The scenario's `listener NAME PARAM…` blocks, by name (instantiated where a group names
  /// them, with its arguments).
  private var programs: [String: Statement] = [:]
  /// `assert` statements, resolved once everything they may name is known.
  private var asserts: [Statement] = []
  /// `expect violation A…` of assertions, checked against them at the end.
  private var expectedAsserts: [Word] = []
  /// Every task name in file order, known before tasks are resolved (for `kill TASK`).
  var taskNames: [String] = []

  /// The profile that replaces the scenario's own (`fanmc matrix`); nil: the scenario's.
  private var replacement: Profile?

  /// Reads, parses and resolves one scenario file's text.
  public static func resolve(_ source: SourceFile) throws(Diagnostic) -> Scenario {
    let syntax = try ScenarioParser.parse(source)
    var resolver = ScenarioResolver(source: source)
    return try resolver.resolve(syntax)
  }

  /// Resolves one scenario file's text with `profile` in place of the one it names (or of the
  /// default, 6.18): the `profile NAME` line is still checked, and the scenario's `set` switches
  /// apply on top of `profile`. Whatever the new profile makes invalid (a mark that
  /// `fanotify_mark` refuses under it, say) is a diagnostic, as in the file's own profile.
  public static func resolve(_ source: SourceFile, profile: Profile) throws(Diagnostic) -> Scenario
  {
    let syntax = try ScenarioParser.parse(source)
    var resolver = ScenarioResolver(source: source)
    resolver.replacement = profile
    resolver.profile = profile
    return try resolver.resolve(syntax)
  }

  private init(source: SourceFile) { self.source = source }

  func error(_ message: String, at location: SourceLocation) -> Diagnostic {
    Diagnostic(.custom(message), at: location, in: source)
  }

  private mutating func resolve(_ syntax: ScenarioSyntax) throws(Diagnostic) -> Scenario {
    taskNames = syntax.statements.compactMap {
      $0.keyword == "task" && $0.words.count == 2 ? $0.words[1].text : nil
    }
    for statement in syntax.statements {
      try top(statement)
    }
    var observations: [Observation] = []
    var assertions: [Assertion] = []
    for (i, s) in asserts.enumerated() {
      assertions.append(
        try assertion(Array(s.words.dropFirst()), s, index: i, observations: &observations))
    }
    for w in expectedAsserts where !assertions.contains(where: { $0.id == w.text }) {
      throw error(
        "no assertion '\(w.text)' (the scenario has \(assertions.count); A1 is the first)",
        at: w.location)
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
    config.assertions = assertions
    config.observations = observations
    // Setup marks go through fanotify_mark's checks; a failing one is a scenario error.
    let probe: KernelSystem
    do { probe = try KernelSystem(config: config) } catch {
      throw self.error(error.message, at: start)
    }
    var state = probe.initialStates()[0]
    for (mark, flags, statement) in marks {
      if case .fail(let e) = probe.markOutcome(mark, flags: flags, in: state) {
        throw error(
          "fanotify_mark fails with \(e.name) for this mark (kernel-semantics §1.5)",
          at: statement.location)
      }
      state.applyMark(mark, flags: flags)
    }
    config.marks = state.marks
    return Scenario(
      name: name, question: question, expectations: expectations, config: config, source: source)
  }

  // MARK: Top-level statements

  private mutating func top(_ s: Statement) throws(Diagnostic) {
    guard let keyword = s.keyword else {
      throw error("a statement starts with a keyword", at: s.words.first?.location ?? s.location)
    }
    if keyword != "task" && keyword != "listener", let child = s.body.first {
      throw error("only 'task' and 'listener' take an indented block", at: child.location)
    }
    if let assignee = s.assignee {
      throw error("'=' is only for fd variables inside a task", at: assignee.location)
    }
    if let result = s.result,
      !(keyword == "expect" && s.words.count > 1 && s.words[1].text == "event")
    {
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
      profile = replacement ?? p
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
    case "binary":
      try binary(args, s)
    case "group":
      try group(args, s)
    case "mark":
      let (m, flags) = try mark(args, s)
      marks.append((m, flags, s))
    case "task":
      try task(args, s)
    case "assert":
      asserts.append(s)
    case "listener":
      guard let first = args.first else { throw error("expected 'listener NAME'", at: s.location) }
      let name = try identifier(first)
      if programs[name] != nil || ListenerLibrary.names.contains(name) {
        throw error("listener '\(name)' is already defined", at: first.location)
      }
      // Without parameters, the program is checked here; with them, where a group names it.
      if try parameters(of: s).isEmpty { _ = try program(named: name, s) }
      programs[name] = s
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
          + "filesystem, file, binary, group, mark, task or check)", at: s.location)
    }
  }

  private static var propertyIDs: String {
    KernelSystem.allProperties.map(\.id).joined(separator: ", ")
  }

  private mutating func expect(_ args: [Word], _ s: Statement) throws(Diagnostic) {
    sawExpect = true
    guard let kind = args.first else {
      throw error(
        "expected 'expect no-violation', 'expect violation ID', 'expect deadlock', "
          + "'expect gap ID', 'expect event …' or 'expect no-events'", at: s.location)
    }
    switch kind.text {
    case "no-violation":
      guard args.count == 1 else { throw error("no-violation takes nothing", at: args[1].location) }
      sawNoViolation = kind.location
    case "deadlock":
      guard args.count == 1 else { throw error("deadlock takes nothing", at: args[1].location) }
      expectations.violations.insert(Violation<KernelStep>.deadlockID)
    case "event":
      try expectEvent(args, s)
      return
    case "lock-cycle", "no-lock-cycle":
      guard args.count == 1 else {
        throw error("\(kind.text) takes nothing", at: args[1].location)
      }
      expectations.lockCycle = kind.text == "lock-cycle"
      return
    case "no-events":
      guard args.count == 1 else { throw error("no-events takes nothing", at: args[1].location) }
      guard expectations.events?.isEmpty ?? true else {
        throw error("'expect no-events' contradicts 'expect event'", at: kind.location)
      }
      expectations.events = []
      return
    case "violation", "gap":
      guard args.count == 2 else {
        throw error("expected '\(kind.text) PROPERTY'", at: kind.location)
      }
      let id = args[1].text
      if kind.text == "violation", id.first == "A", Int(id.dropFirst()) != nil {
        expectedAsserts.append(args[1])
        expectations.violations.insert(id)
        return
      }
      let isGap = KernelSystem.gapPropertyIDs.contains(id)
      let known =
        KernelSystem.allProperties.contains { $0.id == id }
        || KernelSystem.deadlockKinds.contains { $0.id == id }
      if known && isGap != (kind.text == "gap") {
        let right = isGap ? "gap" : "violation"
        throw error(
          "'\(id)' is a \(isGap ? "known gap" : "violation"): write 'expect \(right) \(id)'",
          at: args[1].location)
      }
      guard known else {
        let ids = (KernelSystem.allProperties.map(\.id) + KernelSystem.deadlockKinds.map(\.id))
          .filter { KernelSystem.gapPropertyIDs.contains($0) == (kind.text == "gap") }
        throw error(
          "unknown \(kind.text) '\(id)' (known: \(ids.joined(separator: ", ")))",
          at: args[1].location)
      }
      if isGap { expectations.gaps.insert(id) } else { expectations.violations.insert(id) }
    default:
      throw error(
        "unknown expectation '\(kind.text)' (expected no-violation, violation, deadlock, gap, "
          + "event, no-events, lock-cycle or no-lock-cycle)",
        at: kind.location)
    }
    if let at = sawNoViolation, !expectations.violations.isEmpty {
      throw error("'expect no-violation' contradicts another expectation", at: at)
    }
  }

  /// `expect event MASK [OFFSET COUNT] -> RESPONSE`: the next event of the deterministic trace;
  /// a notification event (`FAN_ACCESS`, `FAN_MODIFY`, …, or several joined by `|`, as one
  /// event carries them: `FAN_OPEN|FAN_OPEN_EXEC`; or `FAN_Q_OVERFLOW`, queued in place of a
  /// dropped event) takes no range and no response.
  private mutating func expectEvent(_ args: [Word], _ s: Statement) throws(Diagnostic) {
    let form =
      "expected 'expect event MASK [OFFSET COUNT] -> ALLOW|DENY|ERRNO' or 'expect event NOTIFICATION'"
    guard args.count == 2 || args.count == 4 else { throw error(form, at: s.location) }
    let names: [String]
    if case .flags(let parts) = args[1].kind { names = parts } else { names = [args[1].text] }
    let bits = names.map { n in
      EventMask.named.first {
        $0.0 == n && EventMask.notificationEvents.union(.FAN_Q_OVERFLOW).contains($0.1)
      }?.1
    }
    let notification =
      bits.contains(nil) ? nil : bits.reduce(EventMask()) { $0.union($1!) }
    if let mask = notification {
      guard args.count == 2 else {
        throw error("a notification event has no range", at: args[2].location)
      }
      if let r = s.result {
        throw error("a notification event has no response", at: r.location)
      }
      expectations.events =
        (expectations.events ?? []) + [ExpectedEvent(mask: mask, range: nil, response: nil)]
      return
    }
    guard let answer = s.result else { throw error(form, at: s.location) }
    guard let mask = EventMask(named: args[1].text), EventMask.permissionEvents.contains(mask)
    else {
      throw error("unknown event '\(args[1].text)'", at: args[1].location)
    }
    var range: EventRange?
    if args.count == 4 {
      range = EventRange(offset: try bytes(args[2]), count: try bytes(args[3]))
    }
    guard let response = ProgramListener.response(named: answer.text) else {
      throw error(
        "unknown response '\(answer.text)' (ALLOW, DENY or an errno)", at: answer.location)
    }
    expectations.events =
      (expectations.events ?? []) + [
        ExpectedEvent(mask: mask, range: range, response: response)
      ]
  }

  /// The usage of the `file` statement, as diagnostics print it.
  static let fileForm =
    "file NAME pages N|size BYTES [max BYTES] [content C…] [pseudo|directory] [dax]"

  /// Largest initial size and bound of a file: 128 pages, and the bound at most 128 pages more.
  static let maxFilePages = 128

  private mutating func file(_ args0: [Word], _ s: Statement) throws(Diagnostic) {
    var args = args0
    var pseudo = false
    var directory = false
    if args.last?.text == "pseudo" {
      pseudo = true
      args.removeLast()
    } else if args.last?.text == "directory" {
      directory = true
      args.removeLast()
    }
    var dax = false
    if args.last?.text == "dax" {
      dax = true
      args.removeLast()
    }
    guard args.count >= 3, ["pages", "size"].contains(args[1].text) else {
      throw error("expected '\(Self.fileForm)'", at: s.location)
    }
    let name = try identifier(args[0])
    if files.contains(where: { $0.name == name }) {
      throw error("file '\(name)' is declared twice", at: args[0].location)
    }
    let page = Fanotify.pageSize
    let limit = Self.maxFilePages * page
    let size: Int
    if args[1].text == "pages" {
      guard case .number(let n) = args[2].kind, n >= 1, n <= Self.maxFilePages else {
        throw error("a file has 1 to \(Self.maxFilePages) pages", at: args[2].location)
      }
      size = Int(n) * page
    } else {
      size = try bytes(args[2])
      guard size <= limit else {
        throw error(
          "a file has at most \(limit) bytes (\(Self.maxFilePages) pages)", at: args[2].location)
      }
    }
    var rest = Array(args[3...])
    // The bound: by default four pages past the last page, enough for appends and small growth.
    var maxSize = (size + page - 1) / page * page + 4 * page
    if rest.first?.text == "max" {
      guard rest.count >= 2 else { throw error("expected 'max BYTES'", at: rest[0].location) }
      let m = try bytes(rest[1])
      guard m >= size else {
        throw error("'max' must be at least the size (\(size) bytes)", at: rest[1].location)
      }
      guard m <= 2 * limit else {
        throw error("'max' is at most \(2 * limit) bytes", at: rest[1].location)
      }
      maxSize = m
      rest.removeFirst(2)
    }
    let pages = (size + page - 1) / page
    var content = Array(repeating: PageContent.remote, count: pages)
    if !rest.isEmpty {
      guard rest[0].text == "content", rest.count > 1 else {
        throw error("expected 'content' and one value, or one per page", at: rest[0].location)
      }
      let values = Array(rest[1...])
      guard values.count == 1 || values.count == pages else {
        throw error(
          "give one content value for all pages or exactly \(pages)", at: values[0].location)
      }
      var parsed: [PageContent] = []
      for v in values {
        guard let c = PageContent(rawValue: v.text) else {
          let known = PageContent.allCases.map(\.rawValue).joined(separator: ", ")
          throw error("unknown page content '\(v.text)' (known: \(known))", at: v.location)
        }
        parsed.append(c)
      }
      content = values.count == 1 ? Array(repeating: parsed[0], count: pages) : parsed
    }
    var spec = FileSpec(name: name, size: size, content: content, maxSize: maxSize, pseudo: pseudo)
    spec.directory = directory
    spec.dax = dax
    files.append(spec)
  }

  /// The usage of the `binary` statement, as diagnostics print it.
  static let binaryForm =
    "binary FILE type dyn|exec phdrs OFFSET SIZE [interp OFFSET SIZE] load OFFSET FILESZ VADDR MEMSZ…"

  /// `binary FILE …`: the ELF layout exec reads and maps of a declared file (default: the
  /// layout of /bin/true).
  private mutating func binary(_ args: [Word], _ s: Statement) throws(Diagnostic) {
    func usage(_ at: SourceLocation) -> Diagnostic {
      error("expected '\(Self.binaryForm)'", at: at)
    }
    guard args.count >= 5, args[1].text == "type", args[3].text == "phdrs" else {
      throw usage(s.location)
    }
    let f = try fileIndex(args[0])
    if files[f].elf != nil {
      throw error("binary '\(files[f].name)' is declared twice", at: args[0].location)
    }
    guard let kind = ElfLayout.Kind(rawValue: args[2].text) else {
      throw error("an ELF type is dyn (ET_DYN) or exec (ET_EXEC)", at: args[2].location)
    }
    var i = 4
    func number() throws(Diagnostic) -> Int {
      guard i < args.count else { throw usage(args[args.count - 1].location) }
      defer { i += 1 }
      return try bytes(args[i])
    }
    let phdrs = ByteSpan(pos: try number(), len: try number())
    var interp: ByteSpan?
    if i < args.count, args[i].text == "interp" {
      i += 1
      interp = ByteSpan(pos: try number(), len: try number())
    }
    var loads: [ElfLayout.Segment] = []
    while i < args.count {
      guard args[i].text == "load" else { throw usage(args[i].location) }
      let at = args[i].location
      i += 1
      let seg = ElfLayout.Segment(
        offset: try number(), filesz: try number(), vaddr: try number(), memsz: try number())
      guard seg.filesz <= seg.memsz else {
        throw error("a segment's FILESZ must not exceed its MEMSZ", at: at)
      }
      guard seg.offset % Fanotify.pageSize == seg.vaddr % Fanotify.pageSize else {
        throw error(
          "a segment's OFFSET and VADDR must agree modulo the page size (elf_map)", at: at)
      }
      if let last = loads.last, seg.vaddr < last.vaddr + last.memsz {
        throw error("segments must ascend by VADDR without overlapping", at: at)
      }
      loads.append(seg)
    }
    guard !loads.isEmpty else {
      throw error("a binary needs at least one 'load' segment", at: s.location)
    }
    files[f].elf = ElfLayout(
      kind: kind, programHeaders: phdrs, interpreter: interp, loads: loads)
  }

  private mutating func group(_ args0: [Word], _ s: Statement) throws(Diagnostic) {
    // group NAME class CLASS [queue N] [init FLAGS] [event-flags O_…]
    //   [listener MODEL ARGS… [threads N] [helpers N]]
    guard args0.count >= 3, args0[1].text == "class" else {
      throw error(
        "expected 'group NAME class CLASS [queue N] [init FLAGS] [event-flags O_…] "
          + "[listener MODEL … [threads N] [helpers N]]'", at: s.location)
    }
    var args = args0
    var queueLimit: Int?
    if args.count > 3, args[3].text == "queue" {
      guard args.count > 4, case .number(let n) = args[4].kind, n >= 1, n <= 16 else {
        throw error("'queue' takes a number of events from 1 to 16", at: args[3].location)
      }
      queueLimit = Int(n)
      args.removeSubrange(3...4)
    }
    var initFlags: InitFlags = []
    var initWord: Word?
    if args.count > 3, args[3].text == "init" {
      guard args.count > 4 else { throw error("expected 'init FLAGS'", at: args[3].location) }
      let w = args[4]
      initFlags = try flagSet(w, from: InitFlags.named, unknown: "fanotify_init flag")
      initWord = w
      args.removeSubrange(3...4)
    }
    var eventFlags: OpenFlags = .O_RDWR
    if args.count > 3, args[3].text == "event-flags" {
      let access = ["O_RDONLY": OpenFlags(), "O_WRONLY": .O_WRONLY, "O_RDWR": .O_RDWR]
      guard args.count > 4, let f = access[args[4].text] else {
        throw error(
          "'event-flags' takes O_RDONLY, O_WRONLY or O_RDWR",
          at: args.count > 4 ? args[4].location : args[3].location)
      }
      eventFlags = f
      args.removeSubrange(3...4)
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
    var threads = 1
    var helpers = 0
    if args.count > 3 {
      guard args[3].text == "listener", args.count > 4 else {
        throw error("expected 'listener MODEL'", at: args[3].location)
      }
      var modelArgs = Array(args[5...])
      while modelArgs.count >= 2,
        ["threads", "helpers"].contains(modelArgs[modelArgs.count - 2].text)
      {
        let (option, w) = (modelArgs[modelArgs.count - 2].text, modelArgs[modelArgs.count - 1])
        let low = option == "threads" ? 1 : 0
        guard case .number(let n) = w.kind, n >= low, n <= 4 else {
          throw error(
            option == "threads"
              ? "'threads' takes a number of worker threads from 1 to 4"
              : "'helpers' takes a number of helper threads from 0 to 4", at: w.location)
        }
        if option == "threads" { threads = Int(n) } else { helpers = Int(n) }
        modelArgs.removeLast(2)
      }
      let definition = programs[args[4].text] ?? ListenerLibrary.definition(named: args[4].text)
      guard let definition else {
        let known = (ListenerLibrary.names + programs.keys.sorted()).joined(separator: ", ")
        throw error(
          "unknown listener '\(args[4].text)' (known: \(known))", at: args[4].location)
      }
      let program = try instantiate(definition, arguments: modelArgs, nameWord: args[4])
      if helpers == 0, program.statements.contains(where: { $0.operation == .spawn }) {
        throw error(
          "listener \(program.name) hands events to helper threads (spawn): give the group "
            + "'helpers N'", at: args[4].location)
      }
      listener = program
    } else if groupClass != .notif {
      throw error(
        "a \(args[2].text) group needs a listener (e.g. 'listener fill')", at: s.location)
    }
    if let w = initWord, let e = initFlags.initError(groupClass: groupClass) {
      throw error("fanotify_init fails with \(e.name) for these flags", at: w.location)
    }
    if !initFlags.intersection(InitFlags.fidBits).isEmpty, let w = initWord {
      throw error(
        "groups that report file handles (FAN_REPORT_FID…) are not modelled: they get no fd",
        at: w.location)
    }
    var spec = GroupSpec(
      name: name, groupClass: groupClass, listener: listener, queueLimit: queueLimit)
    spec.initFlags = initFlags
    spec.eventFlags = eventFlags
    spec.threads = threads
    spec.helpers = helpers
    groups.append(spec)
  }

  /// `mark GROUP inode FILE MASK [flags F|…]` or `mark GROUP directory|mount|filesystem MASK
  /// [flags F|…]`: a `fanotify_mark` request and its flags (FAN_MARK_REMOVE for `unmark`).
  private func mark(_ args0: [Word], _ s: Statement, remove: Bool = false) throws(Diagnostic)
    -> (Mark, MarkFlags)
  {
    let verb = remove ? "unmark" : "mark"
    let form =
      "expected '\(verb) GROUP inode FILE MASK [flags F]' or "
      + "'\(verb) GROUP directory|mount|filesystem MASK [flags F]'"
    var args = args0
    var flags: MarkFlags = remove ? .FAN_MARK_REMOVE : []
    if args.count >= 2, args[args.count - 2].text == "flags" {
      flags.formUnion(
        try flagSet(
          args[args.count - 1], from: MarkFlags.named.filter { $0.1 != .FAN_MARK_REMOVE },
          unknown: "mark flag"))
      args.removeLast(2)
    }
    guard args.count >= 3 else { throw error(form, at: s.location) }
    guard let g = groups.firstIndex(where: { $0.name == args[0].text }) else {
      throw error("unknown group '\(args[0].text)'", at: args[0].location)
    }
    let object: MarkObject
    switch args[1].text {
    case "inode":
      guard args.count == 4 else { throw error(form, at: s.location) }
      object = .inode(file: try fileIndex(args[2]))
    case "directory", "mount", "filesystem":
      guard args.count == 3 else { throw error(form, at: s.location) }
      object =
        args[1].text == "directory" ? .directory : args[1].text == "mount" ? .mount : .filesystem
    default:
      throw error(
        "unknown mark object '\(args[1].text)' (known: inode, directory, mount, filesystem)",
        at: args[1].location)
    }
    let maskWord = args[args.count - 1]
    var mask: EventMask = []
    let names: [String]
    switch maskWord.kind {
    case .flags(let parts): names = parts
    case .identifier(let one): names = [one]
    default: throw error("expected event names like FAN_PRE_ACCESS", at: maskWord.location)
    }
    for n in names {
      guard let m = EventMask(named: n) else {
        throw error("unknown event '\(n)'", at: maskWord.location)
      }
      mask.formUnion(m)
    }
    return (Mark(group: g, object: object, mask: mask), flags)
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
    var names = Names()
    var program: [Instruction] = []
    for line in s.body {
      // `A or B or C`: a nondeterministic choice between syscalls that assign nothing.
      let parts = line.words.split(
        omittingEmptySubsequences: false, whereSeparator: { $0.identifier == "or" })
      guard parts.count > 1 else {
        program.append(try instruction(line, names: &names))
        continue
      }
      if let a = line.assignee {
        throw error("a choice ('or') cannot assign a variable", at: a.location)
      }
      if parts.contains(where: \.isEmpty) {
        let words = line.words
        let bad = words.indices.first {
          words[$0].identifier == "or"
            && ($0 == 0 || $0 == words.count - 1 || words[$0 + 1].identifier == "or")
        }!
        throw error("expected a syscall on both sides of 'or'", at: words[bad].location)
      }
      var choices: [Instruction] = []
      for part in parts {
        var alternative = line
        alternative.words = Array(part)
        alternative.location = part.first!.location
        choices.append(try instruction(alternative, names: &names))
      }
      program.append(
        Instruction(
          choices[0].syscall, or: choices.dropFirst().map(\.syscall), expected: choices[0].expected)
      )
    }
    tasks.append(TaskSpec(name: name, program: program, fdNames: names.fds, mapNames: names.maps))
  }

  /// The fd and mapping variables a task has assigned so far.
  struct Names {
    var fds: [String] = []
    var maps: [String] = []
    /// What each fd slot was last opened on: the file and the flags.
    var opened: [Int: (file: Int, flags: OpenFlags)] = [:]
  }

  /// A syscall whose arguments alone say how far it grows a file (a write at an offset, a
  /// truncate, an allocation that changes the size) must stay within the file's `max`; growth
  /// that depends on the run (writes at the file position, appends, copies) is checked as the
  /// model runs and makes the run incomplete instead.
  private func checkGrowth(_ syscall: Syscall, _ names: Names, at s: Statement) throws(Diagnostic) {
    func writable(_ slot: Int) -> Int? {
      guard let o = names.opened[slot], o.flags.canWrite else { return nil }
      return o.file
    }
    let grown: (file: Int, end: Int)?
    switch syscall {
    case .pwrite(let slot, let offset, let count), .spliceFromPipe(let slot, let offset, let count),
      .pwriteFromMap(let slot, let offset, let count, _, _):
      grown = count > 0 ? writable(slot).map { ($0, offset + count) } : nil
    case .ftruncate(let slot, let length):
      grown = writable(slot).map { ($0, length) }
    case .truncate(let file, let length):
      grown = (file, length)
    case .fallocate(let slot, let mode, let offset, let length):
      let sizing = [.allocate, .FALLOC_FL_ZERO_RANGE].contains(mode.operation)
      grown =
        mode.vfsError == nil && sizing && !mode.contains(.FALLOC_FL_KEEP_SIZE) && length > 0
        ? writable(slot).map { ($0, offset + length) } : nil
    default:
      grown = nil
    }
    guard let (f, end) = grown, end > files[f].maxSize else { return }
    throw error(
      "\(syscall.name) grows \(files[f].name) to \(end) bytes, past its max of "
        + "\(files[f].maxSize): declare the file with 'max \(end)' or more", at: s.location)
  }

  /// The usage of each syscall, as diagnostics print it.
  static let syscallForms: [(String, String)] = [
    ("open", "FD = open FILE [FLAGS]"), ("read", "read FD COUNT"),
    ("pread", "pread FD OFFSET COUNT"), ("readv", "readv FD COUNT…"),
    ("preadv", "preadv FD OFFSET COUNT…"), ("write", "write FD COUNT"),
    ("pwrite", "pwrite FD OFFSET COUNT [from MAP MAP_OFFSET]"), ("writev", "writev FD COUNT…"),
    ("ftruncate", "ftruncate FD LENGTH"), ("truncate", "truncate FILE LENGTH"),
    ("fallocate", "fallocate FD MODE OFFSET LENGTH"), ("mmap", "MAP = mmap FD OFFSET LENGTH"),
    ("sendfile", "sendfile OUT_FD IN_FD COUNT [OFFSET]"),
    ("splice-to-pipe", "splice-to-pipe FD OFFSET COUNT"),
    ("splice-from-pipe", "splice-from-pipe FD OFFSET COUNT"),
    ("copy_file_range", "copy_file_range IN_FD IN_OFFSET OUT_FD OUT_OFFSET COUNT"),
    ("clone", "clone OUT_FD IN_FD"),
    ("clone-range", "clone-range OUT_FD IN_FD IN_OFFSET LENGTH OUT_OFFSET"),
    ("dedupe", "dedupe IN_FD IN_OFFSET LENGTH OUT_FD OUT_OFFSET"),
    ("mremap", "mremap MAP LENGTH"),
    ("getdents", "getdents FD"), ("load", "load MAP OFFSET [nowait|noretry]"),
    ("madvise", "madvise MAP hugepage|willneed"), ("store", "store MAP OFFSET"),
    ("fadvise", "fadvise FD OFFSET LENGTH"), ("readahead", "readahead FD OFFSET COUNT"),
    ("close", "close FD"),
    ("mark", "mark GROUP OBJECT … MASK [flags F]"),
    ("unmark", "unmark GROUP OBJECT … MASK [flags F]"),
    ("freeze", "freeze"),
    ("thaw", "thaw"), ("kill", "kill TASK"), ("exec", "exec FILE"),
  ]

  private func instruction(_ s: Statement, names: inout Names) throws(Diagnostic) -> Instruction {
    guard let keyword = s.keyword else {
      throw error("expected a syscall", at: s.words.first?.location ?? s.location)
    }
    guard let form = Self.syscallForms.first(where: { $0.0 == keyword })?.1 else {
      let known = Self.syscallForms.map(\.0).joined(separator: ", ")
      throw error("unknown syscall '\(keyword)' (known: \(known))", at: s.location)
    }
    let args = Array(s.words.dropFirst())
    func usage() -> Diagnostic { error("expected '\(form)'", at: s.location) }
    func count(_ n: Int) throws(Diagnostic) {
      guard args.count == n else { throw usage() }
    }
    func fd(_ w: Word) throws(Diagnostic) -> Int {
      guard let i = names.fds.firstIndex(of: w.text) else {
        throw error("unknown fd '\(w.text)' (assign it with 'NAME = open FILE')", at: w.location)
      }
      return i
    }
    func counts(_ words: ArraySlice<Word>) throws(Diagnostic) -> [Int] {
      guard !words.isEmpty else { throw usage() }
      var result: [Int] = []
      for w in words { result.append(try bytes(w)) }
      return result
    }
    let assigns = keyword == "open" || keyword == "mmap"
    if !assigns, let a = s.assignee {
      throw error("only 'open' and 'mmap' assign a variable", at: a.location)
    }
    if assigns && s.assignee == nil { throw usage() }
    /// The slot of the assigned variable in `slots`, a new one the first time (at most `limit`:
    /// a task's state is a fixed-size value).
    func assignedSlot(_ slots: inout [String], limit: Int, _ kind: String) throws(Diagnostic) -> Int
    {
      let name = try identifier(s.assignee!)
      if let slot = slots.firstIndex(of: name) { return slot }
      guard slots.count < limit else {
        throw error(
          "a task has at most \(limit) \(kind) variables (a task's state is a fixed-size value)",
          at: s.assignee!.location)
      }
      slots.append(name)
      return slots.count - 1
    }
    let syscall: Syscall
    switch keyword {
    case "open":
      guard args.count == 1 || args.count == 2 else { throw usage() }
      let file = try fileIndex(args[0])
      let flags: OpenFlags =
        args.count == 2 ? try flagSet(args[1], from: OpenFlags.named, unknown: "open flag") : []
      let slot = try assignedSlot(&names.fds, limit: FdSlots.limit, "fd")
      names.opened[slot] = (file, flags)
      syscall = .open(file: file, flags: flags, slot: slot)
    case "read":
      try count(2)
      syscall = .read(slot: try fd(args[0]), count: try bytes(args[1]))
    case "pread":
      try count(3)
      syscall = .pread(slot: try fd(args[0]), offset: try bytes(args[1]), count: try bytes(args[2]))
    case "readv":
      guard args.count >= 2 else { throw usage() }
      syscall = .readv(slot: try fd(args[0]), counts: try counts(args[1...]))
    case "preadv":
      guard args.count >= 3 else { throw usage() }
      syscall = .preadv(
        slot: try fd(args[0]), offset: try bytes(args[1]), counts: try counts(args[2...]))
    case "write":
      try count(2)
      syscall = .write(slot: try fd(args[0]), count: try bytes(args[1]))
    case "pwrite":
      guard args.count == 3 || (args.count == 6 && args[3].text == "from") else { throw usage() }
      if args.count == 6 {
        let m = try mapIndex(args[4], names)
        syscall = .pwriteFromMap(
          slot: try fd(args[0]), offset: try bytes(args[1]), count: try bytes(args[2]), map: m,
          mapOffset: try bytes(args[5]))
      } else {
        syscall = .pwrite(
          slot: try fd(args[0]), offset: try bytes(args[1]), count: try bytes(args[2]))
      }
    case "writev":
      guard args.count >= 2 else { throw usage() }
      syscall = .writev(slot: try fd(args[0]), counts: try counts(args[1...]))
    case "ftruncate":
      try count(2)
      syscall = .ftruncate(slot: try fd(args[0]), length: try bytes(args[1]))
    case "truncate":
      try count(2)
      syscall = .truncate(file: try fileIndex(args[0]), length: try bytes(args[1]))
    case "fallocate":
      try count(4)
      let mode = try fallocateMode(args[1])
      syscall = .fallocate(
        slot: try fd(args[0]), mode: mode, offset: try bytes(args[2]), length: try bytes(args[3]))
    case "mmap":
      try count(3)
      let map = try assignedSlot(&names.maps, limit: MapSlots.limit, "mapping")
      syscall = .mmap(
        slot: try fd(args[0]), offset: try bytes(args[1]), length: try bytes(args[2]), map: map)
    case "sendfile":
      guard args.count == 3 || args.count == 4 else { throw usage() }
      syscall = .sendfile(
        outSlot: try fd(args[0]), inSlot: try fd(args[1]),
        offset: args.count == 4 ? try bytes(args[3]) : nil, count: try bytes(args[2]))
    case "splice-to-pipe":
      try count(3)
      syscall = .spliceToPipe(
        slot: try fd(args[0]), offset: try bytes(args[1]), count: try bytes(args[2]))
    case "splice-from-pipe":
      try count(3)
      syscall = .spliceFromPipe(
        slot: try fd(args[0]), offset: try bytes(args[1]), count: try bytes(args[2]))
    case "copy_file_range":
      try count(5)
      syscall = .copyFileRange(
        inSlot: try fd(args[0]), inOffset: try bytes(args[1]), outSlot: try fd(args[2]),
        outOffset: try bytes(args[3]), count: try bytes(args[4]))
    case "load":
      let flags: [String: FaultRetryFlags] = ["nowait": .retryNowait, "noretry": .noRetry]
      guard args.count == 2 || (args.count == 3 && flags[args[2].text] != nil) else {
        throw usage()
      }
      syscall = .load(
        map: try mapIndex(args[0], names), offset: try bytes(args[1]),
        flags: args.count == 3 ? flags[args[2].text]! : .allowRetry)
    case "store":
      try count(2)
      syscall = .store(map: try mapIndex(args[0], names), offset: try bytes(args[1]))
    case "madvise":
      guard args.count == 2, ["hugepage", "willneed"].contains(args[1].text) else { throw usage() }
      let m = try mapIndex(args[0], names)
      syscall = args[1].text == "hugepage" ? .madviseHugepage(map: m) : .madviseWillneed(map: m)
    case "fadvise":
      try count(3)
      syscall = .fadviseWillneed(
        slot: try fd(args[0]), offset: try bytes(args[1]), length: try bytes(args[2]))
    case "readahead":
      try count(3)
      syscall = .readahead(
        slot: try fd(args[0]), offset: try bytes(args[1]), count: try bytes(args[2]))
    case "getdents":
      try count(1)
      syscall = .getdents(slot: try fd(args[0]))
    case "clone":
      try count(2)
      syscall = .remap(
        inSlot: try fd(args[1]), inOffset: 0, outSlot: try fd(args[0]), outOffset: 0, length: 0,
        dedupe: false)
    case "clone-range":
      try count(5)
      syscall = .remap(
        inSlot: try fd(args[1]), inOffset: try bytes(args[2]), outSlot: try fd(args[0]),
        outOffset: try bytes(args[4]), length: try bytes(args[3]), dedupe: false)
    case "dedupe":
      try count(5)
      syscall = .remap(
        inSlot: try fd(args[0]), inOffset: try bytes(args[1]), outSlot: try fd(args[3]),
        outOffset: try bytes(args[4]), length: try bytes(args[2]), dedupe: true)
    case "mremap":
      try count(2)
      syscall = .mremap(map: try mapIndex(args[0], names), length: try bytes(args[1]))
    case "close":
      try count(1)
      syscall = .close(slot: try fd(args[0]))
    case "mark", "unmark":
      let (m, flags) = try mark(args, s, remove: keyword == "unmark")
      syscall = .fanotifyMark(m, flags: flags)
    case "freeze":
      try count(0)
      syscall = .freeze
    case "thaw":
      try count(0)
      syscall = .thaw
    case "exec":
      try count(1)
      syscall = .exec(file: try fileIndex(args[0]))
    default:  // kill
      try count(1)
      guard let victim = taskNames.firstIndex(of: args[0].text) else {
        throw error("unknown task '\(args[0].text)'", at: args[0].location)
      }
      syscall = .kill(task: victim)
    }
    try checkGrowth(syscall, names, at: s)
    return Instruction(
      syscall, expected: try s.result.map { w throws(Diagnostic) in try expected(w) })
  }

  /// `0`, a number, or `FALLOC_FL_*` flags joined by `|`: any mode word, valid or not (the
  /// kernel's checks judge it).
  func fallocateMode(_ w: Word) throws(Diagnostic) -> FallocateMode {
    if case .number(let n) = w.kind {
      guard n >= 0, n <= Int64(UInt32.max) else {
        throw error("a fallocate mode is a 32-bit word", at: w.location)
      }
      return FallocateMode(rawValue: UInt32(n))
    }
    return try flagSet(w, from: [("0", .allocate)] + FallocateMode.named, unknown: "fallocate flag")
  }

  /// The flags word `w` names (`A|B` or one name), looked up in `table`.
  func flagSet<F: OptionSet>(_ w: Word, from table: [(String, F)], unknown: String)
    throws(Diagnostic) -> F where F.Element == F
  {
    let names: [String]
    if case .flags(let parts) = w.kind { names = parts } else { names = [w.text] }
    var set = F()
    for n in names {
      guard let f = table.first(where: { $0.0 == n }) else {
        let known = table.map(\.0).joined(separator: ", ")
        throw error("unknown \(unknown) '\(n)' (known: \(known))", at: w.location)
      }
      set.formUnion(f.1)
    }
    return set
  }

  private func mapIndex(_ w: Word, _ names: Names) throws(Diagnostic) -> Int {
    guard let m = names.maps.firstIndex(of: w.text) else {
      throw error(
        "unknown mapping '\(w.text)' (assign it with 'NAME = mmap FD OFFSET LENGTH')",
        at: w.location)
    }
    return m
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

  func bytes(_ w: Word) throws(Diagnostic) -> Int {
    switch w.kind {
    case .number(let n) where n <= 1 << 40: return Int(n)
    case .pages(let n) where n <= 1 << 28: return Int(n) * Fanotify.pageSize
    default: throw error("expected a byte count or pages like 2p", at: w.location)
    }
  }

  func fileIndex(_ w: Word) throws(Diagnostic) -> Int {
    guard let i = files.firstIndex(where: { $0.name == w.text }) else {
      throw error(
        "unknown file '\(w.text)' (declare it with 'file NAME pages N' or 'file NAME size BYTES')",
        at: w.location)
    }
    return i
  }

  func identifier(_ w: Word) throws(Diagnostic) -> String {
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
