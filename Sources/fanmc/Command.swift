import Exploration
import Foundation
import KernelModel
import ScenarioFormat
import ScenarioRunner

/// The commands: parse arguments, load files, call the runner, print, choose the exit status.
enum Command {
  static func main(_ argv: [String]) -> ExitStatus {
    let args: Arguments
    do { args = try Arguments.parse(argv) } catch { return usage(error) }
    if args.help {
      if let text = Help.commands[args.command] {
        print(text)
      } else {
        print(Help.overview)
      }
      return .ok
    }
    do {
      switch args.command {
      case "run": return try run(args)
      case "check": return try check(args)
      case "replay": return try replay(args)
      case "trace": return try trace(args)
      case "explain": return try explain(args)
      case "view": return try view(args)
      case "conform": return try conform(args)
      case "fuzz": return try fuzz(args)
      case "merge": return try merge(args)
      case "hunt": return try hunt(args)
      case "lockdep": return try lockdep(args)
      case "matrix": return try matrix(args)
      case "bench": return try bench(args)
      case "profiles":
        let format = try args.choice("--format", ["text", "json"], default: "text")
        print(format == "json" ? ProfileTable.json() : ProfileTable.render())
        return .ok
      case "listeners":
        print(ListenerLibrary.source)
        return .ok
      case "diff-profiles":
        guard args.positional.count == 2 else {
          throw Arguments.UsageError(
            message: "diff-profiles takes two profile names", command: "diff-profiles")
        }
        var profiles: [Profile] = []
        for name in args.positional {
          guard let p = Profile.preset(named: name) else {
            let known = Profile.presets.map(\.name).joined(separator: ", ")
            throw Arguments.UsageError(
              message: "unknown profile '\(name)' (known: \(known))", command: "diff-profiles")
          }
          profiles.append(p)
        }
        let format = try args.choice("--format", ["text", "json"], default: "text")
        print(
          format == "json"
            ? ProfileTable.diffJSON(profiles[0], profiles[1])
            : ProfileTable.diff(profiles[0], profiles[1]))
        return .ok
      default: return usage(Arguments.UsageError(message: "unknown command", command: nil))
      }
    } catch let e as Arguments.UsageError {
      return usage(e)
    } catch let e as LoadError {
      printError(e.message)
      return e.status
    } catch let e as RunError {
      printError(e.description)
      return .internalError
    } catch {
      printError("internal error: \(error)")
      return .internalError
    }
  }

  static func usage(_ e: Arguments.UsageError) -> ExitStatus {
    printError("Error: \(e.message)\n\(Help.usageLine(e.command))")
    printError(e.command.map { "See 'fanmc \($0) --help'." } ?? "See 'fanmc --help'.")
    return .usage
  }

  static func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
  }

  /// A file that cannot be used: unreadable (64) or an invalid scenario (65).
  struct LoadError: Error {
    var message: String
    var status: ExitStatus
  }

  /// The scenario at `path`, without the lines `--without LINES` names (a list such as
  /// `21,23-25`; a task's line leaves out its whole block), and what they were.
  static func load(_ path: String, _ args: Arguments) throws -> (
    scenario: Scenario, without: [Int], leftOut: [String]
  ) {
    let scenario = try load(path)
    guard let list = args.options["--without"] else { return (scenario, [], []) }
    var lines: [Int] = []
    for part in list.split(separator: ",", omittingEmptySubsequences: false) {
      let ends = part.split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
      guard ends.count <= 2, let first = ends.first ?? nil, first > 0,
        let last = ends.last ?? nil, last >= first
      else {
        throw Arguments.UsageError(
          message: "--without takes line numbers such as 21,23-25, not '\(list)'",
          command: args.command)
      }
      lines += Array(first...last)
    }
    do {
      let (shrunk, leftOut) = try Counterexample.leftOut(lines, of: scenario)
      return (shrunk, lines, leftOut)
    } catch {
      throw LoadError(
        message: error.rendered(source: scenario.source) + "\n(with --without \(list))",
        status: .invalidScenario)
    }
  }

  static func load(_ path: String) throws(LoadError) -> Scenario {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw LoadError(message: "Error: cannot read '\(path)'", status: .usage)
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw LoadError(
        message: "\(path):1:1: error: the file is not UTF-8 text", status: .invalidScenario)
    }
    let source = SourceFile(path: path, text: text)
    do { return try ScenarioResolver.resolve(source) } catch {
      throw LoadError(message: error.rendered(source: source), status: .invalidScenario)
    }
  }

  static func explorationConfig(_ args: Arguments) throws(Arguments.UsageError)
    -> ExplorationConfig
  {
    var c = ExplorationConfig()
    let strategies = ExplorationConfig.Strategy.allCases.map(\.rawValue)
    let strategy = try args.choice("--strategy", strategies, default: "dfs")
    c.strategy = ExplorationConfig.Strategy(rawValue: strategy)!
    if let n = try args.integer("--max-states") { c.maxStates = n }
    if let n = try args.integer("--max-depth") { c.maxDepth = n }
    if let s = try args.seconds("--timeout") { c.timeLimitSeconds = s }
    if let n = try args.integer("--seed") { c.seed = UInt64(n) }
    if let n = try args.integer("--walks") { c.walks = n }
    if let n = try args.integer("--walk-depth") { c.walkDepth = n }
    if let n = try args.integer("--workers") { c.workers = n }
    if let list = args.options["--reduce"] {
      let names = list.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
      let known = ["none", "sleep", "persistent", "symmetry"]
      if let bad = names.first(where: { !known.contains($0) }) {
        throw Arguments.UsageError(
          message:
            "'--reduce' takes none or a comma-separated list of sleep, persistent and symmetry, "
            + "not '\(bad)'",
          command: args.command)
      }
      c.sleepSets = names.contains("sleep")
      c.persistentSets = names.contains("persistent")
      c.symmetry = names.contains("symmetry")
    }
    if let storage = args.options["--storage"] {
      if storage == "exact" {
        c.storage = .exact
      } else if storage == "hash-compact" {
        c.storage = .hashCompact
      } else if storage.hasPrefix("bitstate:"),
        let bits = Int(storage.dropFirst("bitstate:".count)),
        (6...40).contains(bits)
      {
        c.storage = .bitstate(bits: bits)
      } else {
        throw Arguments.UsageError(
          message:
            "'--storage' takes exact, hash-compact or bitstate:BITS (6 to 40), not '\(storage)'",
          command: args.command)
      }
    }
    if let problem = c.problem {
      throw Arguments.UsageError(message: problem, command: args.command)
    }
    return c
  }

  static func status(of report: RunReport) -> ExitStatus {
    switch report.verdict {
    case .violation: return .violation
    case .deadlock: return .deadlock
    case .incomplete: return .incomplete
    case .noViolation: return .ok
    }
  }

  /// The most severe status: violation, then deadlock, then incomplete.
  static func worst(_ statuses: [ExitStatus]) -> ExitStatus {
    for s in [ExitStatus.violation, .deadlock, .incomplete] where statuses.contains(s) {
      return s
    }
    return .ok
  }

  // MARK: run

  static func run(_ args: Arguments) throws -> ExitStatus {
    guard !args.positional.isEmpty else {
      throw Arguments.UsageError(message: "missing scenario FILE", command: "run")
    }
    let format = try args.choice("--format", ["text", "json", "dot", "chart"], default: "text")
    var config = try explorationConfig(args)
    let shard = try shardOption(args, command: "run")
    if shard != .whole {
      guard config.strategy == .swarm, format == "json", args.positional.count == 1 else {
        throw Arguments.UsageError(
          message: "--shard splits one scenario's swarm: give one FILE, --strategy swarm and "
            + "--format json (fanmc merge puts the shards together)",
          command: "run")
      }
      config.swarmShardIndex = shard.index
      config.swarmShardCount = shard.count
    }
    try LiveProgress.install(args)
    var reports: [RunReport] = []
    for path in args.positional {
      var report = try ScenarioRun.run(try load(path), exploration: config)
      if !args.flags.contains("--no-minimize") && format != "dot" {
        report.minimized = Counterexample.minimize(report)
      }
      reports.append(report)
    }
    LiveProgress.clear()
    if format == "dot" {
      for report in reports {
        guard let graph = dot(report) else {
          printError(
            "Error: \(report.scenario.source.path) found no deadlock and has more than "
              + "\(DotRenderer.maxStates) states: the state graph is drawn for small scenarios only"
          )
          return .usage
        }
        print(graph)
      }
      return worst(reports.map(status))
    }
    if shard != .whole {
      print(reports[0].swarmShardJSON(shard: shard))
    } else if format == "json" {
      print(
        reports.count == 1
          ? JSONRenderer.render(reports[0]) : JSONRenderer.render(reports))
    } else if format == "chart" {
      print(reports.map(ChartRenderer.render).joined(separator: "\n\n"))
    } else {
      print(reports.map(TextRenderer.render).joined(separator: "\n\n"))
    }
    return worst(reports.map(status))
  }

  /// The wait-for graph of the run's first deadlock, else its state graph when it is small.
  static func dot(_ report: RunReport) -> String? {
    let name = report.scenario.name
    if let d = report.violations.first(where: { $0.kind == .deadlock }), let path = d.path,
      let replay = try? report.system.replay(path.schedule)
    {
      return DotRenderer.waitFor(
        replay.finalState, narrator: Narrator(system: report.system), name: name)
    }
    return DotRenderer.stateGraph(report.system, name: name)
  }

  // MARK: check

  static func scenarioFiles(_ paths: [String]) throws(LoadError) -> [String] {
    var files: [String] = []
    let fm = FileManager.default
    for path in paths {
      var isDirectory: ObjCBool = false
      guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else {
        throw LoadError(message: "Error: no such file or folder '\(path)'", status: .usage)
      }
      if !isDirectory.boolValue {
        files.append(path)
        continue
      }
      let base = path.hasSuffix("/") ? String(path.dropLast()) : path
      let found = (fm.enumerator(atPath: path)?.allObjects as? [String] ?? [])
        .filter { $0.hasSuffix(".scenario") }.sorted()
      files += found.map { "\(base)/\($0)" }
    }
    return files
  }

  static func check(_ args: Arguments) throws -> ExitStatus {
    guard !args.positional.isEmpty else {
      throw Arguments.UsageError(message: "missing PATH", command: "check")
    }
    let format = try args.choice("--format", ["text", "json", "junit"], default: "text")
    let shard = try shardOption(args, command: "check")
    let config = try explorationConfig(args)
    try LiveProgress.install(args)
    let files = try scenarioFiles(args.positional)
    let mine = files.indices.filter { shard.contains($0) }
    let width = mine.map { files[$0].count }.max() ?? 0
    var outcomes: [CheckOutcome] = []
    for i in mine {
      let path = files[i]
      let outcome: CheckOutcome
      do {
        let report = try ScenarioRun.run(try load(path), exploration: config)
        LiveProgress.clear()
        outcome = CheckOutcome(index: i, file: path, report: report)
      } catch let error as LoadError {
        printError(error.message)
        outcome = CheckOutcome(index: i, file: path, invalid: error.message)
      }
      outcomes.append(outcome)
      if format == "text" { print(outcome.line(width: width)) }
    }
    let report = CheckReport(shard: shard, total: files.count, outcomes: outcomes)
    switch format {
    case "json": print(shard == .whole ? report.json() : report.shardJSON())
    case "junit": print(JUnitRenderer.render(report))
    default:
      print(
        (shard == .whole ? "" : "shard \(shard) of \(files.count) file(s): ") + report.summaryLine)
    }
    return checkStatus(report)
  }

  /// `check`'s exit status: 65 if a file is invalid, else 10 if an expectation is not met.
  static func checkStatus(_ report: CheckReport) -> ExitStatus {
    if report.invalid > 0 { return .invalidScenario }
    return report.notMet > 0 ? .expectationNotMet : .ok
  }

  /// `--shard K/N` (the whole without it).
  static func shardOption(_ args: Arguments, command: String) throws -> Shard {
    guard let text = args.options["--shard"] else { return .whole }
    guard let shard = Shard(parsing: text) else {
      throw Arguments.UsageError(
        message: "--shard needs K/N with 1 <= K <= N, not '\(text)'", command: command)
    }
    return shard
  }

  // MARK: replay

  static func replay(_ args: Arguments) throws -> ExitStatus {
    guard args.positional.count == 1 else {
      throw Arguments.UsageError(message: "replay takes exactly one FILE", command: "replay")
    }
    guard let text = args.options["--schedule"] else {
      throw Arguments.UsageError(message: "missing '--schedule S'", command: "replay")
    }
    let format = try args.choice("--format", ["text", "json"], default: "text")
    let scenario = try load(args.positional[0], args).scenario
    let schedule: Schedule
    do { schedule = try Schedule(parsing: text) } catch {
      throw Arguments.UsageError(message: error.message, command: "replay")
    }
    let outcome: ReplayOutcome
    do { outcome = try ReplayOutcome.replay(scenario, schedule: schedule) } catch let e
      as ReplayError
    {
      throw Arguments.UsageError(
        message: "the schedule does not fit the scenario at choice \(e.step): \(e.message)",
        command: "replay")
    }
    print(format == "json" ? outcome.json() : outcome.text())
    if !outcome.violated.isEmpty { return .violation }
    return outcome.deadlock != nil ? .deadlock : .ok
  }

  // MARK: explain

  /// The path `explain` and `view` show: `--schedule S`, the minimized counterexample of
  /// `--violation ID`, or (neither) the deterministic schedule; in the scenario without the
  /// `--without` lines and those minimization left out. nil: no counterexample (reported).
  struct ShownPath {
    var scenario: Scenario
    var schedule: Schedule?
    var title: String?
    var without: [Int]
    var leftOut: [String]
  }

  static func shownPath(_ args: Arguments) throws -> ShownPath? {
    let command = args.command
    guard args.positional.count == 1 else {
      throw Arguments.UsageError(message: "\(command) takes exactly one FILE", command: command)
    }
    let (scenario, without, leftOut) = try load(args.positional[0], args)
    var shown = ShownPath(
      scenario: scenario, schedule: nil, title: nil, without: without, leftOut: leftOut)
    if let text = args.options["--schedule"] {
      do { shown.schedule = try Schedule(parsing: text) } catch {
        throw Arguments.UsageError(message: error.message, command: command)
      }
    }
    if let id = args.options["--violation"] {
      guard shown.schedule == nil else {
        throw Arguments.UsageError(
          message: "--schedule and --violation exclude each other", command: command)
      }
      let shrink = !args.flags.contains("--no-minimize")
      switch try Counterexample.find(id, in: scenario, shrink: shrink) {
      case .success(let found):
        shown.scenario = found.scenario
        shown.schedule = found.schedule
        shown.without += found.without
        shown.leftOut += found.leftOut
        shown.title = "The minimized counterexample of \(id) (shortest, fewest context switches)"
      case .failure(let notFound):
        printError("Error: \(notFound)")
        return nil
      }
    }
    return shown
  }

  static func explain(_ args: Arguments) throws -> ExitStatus {
    guard let shown = try shownPath(args) else { return .usage }
    let (scenario, schedule, title) = (shown.scenario, shown.schedule, shown.title)
    let system = try ScenarioRun.makeSystem(scenario)
    let format = try args.choice("--format", ["text", "json", "chart"], default: "text")
    do {
      var report = try Explanation.report(
        scenario, system: system, schedule: schedule, title: title)
      report.without = shown.without
      report.leftOut = shown.leftOut
      switch format {
      case "json": print(Explanation.json(report))
      case "chart":
        print(
          ChartRenderer.render(
            report, system: system,
            schedule: (try? Schedule(parsing: report.schedule)) ?? Schedule(),
            file: args.positional[0]))
      default: print(Explanation.text(report, details: args.flags.contains("--details")))
      }
    } catch {
      throw Arguments.UsageError(
        message: "the schedule does not fit the scenario at choice \(error.step): \(error.message)",
        command: "explain")
    }
    return .ok
  }

  // MARK: trace

  /// `fanmc lockdep FILE…`: lock-order edges over every reachable state and their cycles;
  /// exit 11 when some file has a cycle.
  static func lockdep(_ args: Arguments) throws -> ExitStatus {
    guard !args.positional.isEmpty else {
      throw Arguments.UsageError(message: "lockdep takes one or more FILEs", command: "lockdep")
    }
    let format = try args.choice("--format", ["text", "json"], default: "text")
    let maxStates = try args.integer("--max-states") ?? 1_000_000
    var status = ExitStatus.ok
    for path in args.positional {
      let report = try LockOrder.analyze(try load(path), maxStates: maxStates)
      print(format == "json" ? JSONRenderer.render(report) : TextRenderer.render(report))
      if !report.cycles.isEmpty {
        status = .deadlock
      } else if !report.complete && status == .ok {
        status = .incomplete
      }
    }
    return status
  }

  static func trace(_ args: Arguments) throws -> ExitStatus {
    guard args.positional.count == 1 else {
      throw Arguments.UsageError(message: "trace takes exactly one FILE", command: "trace")
    }
    let format = try args.choice("--format", ["text", "json"], default: "text")
    let scenario = try load(args.positional[0])
    let narrator = Narrator(system: try ScenarioRun.makeSystem(scenario))
    let trace = Trace.run(narrator)
    print(
      format == "json"
        ? JSONRenderer.render(trace, scenario: scenario)
        : TextRenderer.render(trace, scenario: scenario))
    return .ok
  }
}
