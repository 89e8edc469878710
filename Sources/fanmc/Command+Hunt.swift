import Foundation
import ScenarioRunner

/// `fanmc hunt --profile P [--set SWITCH=VALUE …] [--listener LIST] [--budget SECONDS |
/// --programs N] [--seed S] [--out DIR] [--workers N] [--max-states N] [--format text|json]`:
/// with no scenario given, generates and explores small programs and writes each finding,
/// minimized, as a scenario (`Hunt`).
extension Command {
  static func hunt(_ args: Arguments) throws -> ExitStatus {
    guard args.positional.isEmpty else {
      throw Arguments.UsageError(
        message: "hunt takes no scenario: it generates its own", command: "hunt")
    }
    guard let profile = args.options["--profile"] else {
      throw Arguments.UsageError(message: "hunt needs --profile NAME", command: "hunt")
    }
    var config = HuntConfig(profile: profile)
    for text in args.repeated["--set"] ?? [] {
      let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
      guard parts.count == 2, !parts[0].isEmpty else {
        throw Arguments.UsageError(
          message: "--set takes SWITCH=VALUE, not '\(text)'", command: "hunt")
      }
      config.switches.append(HuntSwitch(name: parts[0], value: parts[1]))
    }
    if let list = args.options["--listener"] {
      config.listeners =
        list == "all"
        ? HuntListener.all
        : list.split(separator: ",").map(String.init).reduce(into: []) {
          if !$0.contains($1) { $0.append($1) }
        }
    }
    config.programs = try args.integer("--programs")
    config.seconds = try args.seconds("--budget")
    if config.programs == nil && config.seconds == nil { config.seconds = 600 }
    if let seed = args.options["--seed"] {
      guard let s = UInt64(seed) else {
        throw Arguments.UsageError(
          message: "'--seed' takes a non-negative integer, not '\(seed)'", command: "hunt")
      }
      config.seed = s
    }
    config.workers = try args.integer("--workers") ?? 1
    config.maxStates = try args.integer("--max-states") ?? config.maxStates
    let format = try args.choice("--format", ["text", "json"], default: "text")
    if let problem = config.problem {
      throw Arguments.UsageError(message: problem, command: "hunt")
    }
    config.shard = try shardOption(args, command: "hunt")
    let sharded = config.shard != .whole
    if sharded && (format != "json" || args.options["--out"] != nil) {
      throw Arguments.UsageError(
        message: "--shard writes the shard's JSON for fanmc merge: give --format json and no --out "
          + "(merge writes the findings)",
        command: "hunt")
    }
    let outDir = args.options["--out"]
    let quiet = args.flags.contains("--quiet")
    let onTerminal = LiveProgress.onTerminal
    if !quiet {
      config.onFinding = { signature, program, seconds in
        let line =
          "new finding \(signature) at program \(program) after "
          + String(format: "%.1f s", seconds)
        FileHandle.standardError.write(Data(((onTerminal ? "\r\u{1B}[K" : "") + line + "\n").utf8))
      }
      let every = onTerminal ? 0.5 : 10
      let lastShown = LastShown()
      config.onProgress = { p in
        guard Date().timeIntervalSince(lastShown.date) >= every else { return }
        lastShown.date = Date()
        let line =
          "\(p.programs) programs · \(Int(Double(p.programs) / max(p.seconds, 0.001))) programs/s"
          + " · \(p.states) states · \(p.findings) findings · \(p.bounded) bounded · "
          + "\(p.steps) steps · \(p.hookSites) hook sites · " + String(format: "%.0f s", p.seconds)
        FileHandle.standardError.write(
          Data((onTerminal ? "\r\u{1B}[K" + line : "progress: " + line + "\n").utf8))
      }
    }
    let report: HuntReport
    do { report = sharded ? try Hunt.explore(config) : try Hunt.run(config) } catch {
      throw Arguments.UsageError(message: error.message, command: "hunt")
    }
    if onTerminal && !quiet { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    if sharded {
      print(report.shardJSON())
      return .ok
    }
    try writeHuntFindings(report, to: outDir)
    print(
      format == "json" ? HuntRenderer.json(report) : HuntRenderer.text(report, outDirectory: outDir)
    )
    if !quiet {
      let rate = Double(report.programs) / max(report.seconds, 0.001)
      FileHandle.standardError.write(
        Data(
          ("hunt: \(report.programs) programs in " + String(format: "%.1f s", report.seconds)
            + String(format: " (%.1f programs/s) on %d workers", rate, config.workers)
            + String(
              format: "; exploring %.1f s, minimizing and checking %d findings %.1f s\n",
              report.exploreSeconds, report.findings.count,
              report.seconds - report.exploreSeconds)).utf8))
    }
    return .ok
  }

  /// Writes each finding's scenario to `DIR/NAME.scenario`, creating DIR.
  static func writeHuntFindings(_ report: HuntReport, to outDir: String?) throws {
    guard let outDir else { return }
    do {
      try FileManager.default.createDirectory(atPath: outDir, withIntermediateDirectories: true)
    } catch {
      throw Arguments.UsageError(
        message: "cannot create --out directory '\(outDir)': \(error.localizedDescription)",
        command: "hunt")
    }
    for f in report.findings {
      try f.scenarioText.write(
        toFile: "\(outDir)/\(f.name).scenario", atomically: true, encoding: .utf8)
    }
  }

  /// When the progress line was last shown (the progress callback runs on the hunting thread).
  final class LastShown: @unchecked Sendable {
    var date = Date.distantPast
  }
}
