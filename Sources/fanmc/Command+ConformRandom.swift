import Foundation
import KernelModel
import KernelProbe
import ScenarioFormat
import ScenarioRunner

/// `fanmc conform --random N [--seed S] [--out DIR]`: differential testing of the 6.18 model
/// against the live kernel on generated scenarios.
extension Command {
  /// How one generated scenario came out.
  enum RandomCase {
    case agree
    case differ([String])
    /// The probe cannot express it (the reason).
    case skipped(String)
    /// The generator wrote an invalid scenario (a generator bug).
    case invalid(String)
  }

  static func conformRandom(_ args: Arguments, count: Int) throws -> ExitStatus {
    guard args.positional.isEmpty else {
      throw Arguments.UsageError(
        message: "--random generates its scenarios: give no PATH", command: "conform")
    }
    guard count > 0 else {
      throw Arguments.UsageError(message: "--random needs a positive count", command: "conform")
    }
    let first = UInt64(try args.integer("--seed") ?? 1)
    let timeout = try args.seconds("--op-timeout") ?? 2
    let outDir = args.options["--out"] ?? "fanmc-disagreements"
    var families: Set<String>?
    if let list = args.options["--profile-subset"] {
      let names = list.split(separator: ",").map(String.init)
      let unknown = names.filter { !RandomScenario.liveFamilies.contains($0) }
      guard !names.isEmpty, unknown.isEmpty else {
        throw Arguments.UsageError(
          message: "unknown family '\(unknown.first ?? list)' in --profile-subset (known: "
            + RandomScenario.liveFamilies.joined(separator: ",") + ")", command: "conform")
      }
      families = Set(names)
    }
    let seeds = first..<(first + UInt64(count))
    let range = "seeds \(seeds.lowerBound)…\(seeds.upperBound - 1)"
    let session: ProbeSession
    do { session = try ProbeSession() } catch {
      print("SKIP     \(count) random scenarios (\(range)): \(error.message)")
      return .incomplete
    }
    defer { try? session.close() }

    var agree = 0
    var differ = 0
    var skipped = 0
    var invalid = 0
    var running = 0.0  // seconds spent generating, running and comparing (not shrinking)
    let started = Date()
    for (i, seed) in seeds.enumerated() {
      let t0 = Date()
      let text = RandomScenario.generate(seed: seed, liveSubset: true, families: families)
      let outcome = randomCase(text, name: "random-\(seed)", session: session, timeout: timeout)
      running += Date().timeIntervalSince(t0)
      switch outcome {
      case .agree: agree += 1
      case .skipped(let why):
        skipped += 1
        print("SKIP     random-\(seed)  \(why)")
      case .invalid(let message):
        invalid += 1
        printError(message)
        print("INVALID  random-\(seed)  (a generator bug: the scenario is above)")
      case .differ(let diffs):
        differ += 1
        print("DIFF     random-\(seed)")
        for d in diffs { print("           \(d)") }
        try reportShrunk(
          text, seed: seed, diffs: diffs, session: session, timeout: timeout, outDir: outDir)
      }
      if (i + 1) % 100 == 0 && i + 1 < count {
        print(
          "         \(i + 1)/\(count) cases, \(differ) differ, "
            + rate(i + 1, running) + " live cases/s")
      }
    }
    let wall = Date().timeIntervalSince(started)
    print(
      "\(count) random scenarios (\(range)): \(agree) agree, \(differ) differ, "
        + "\(skipped) skipped" + (invalid > 0 ? ", \(invalid) invalid" : "")
        + "; \(rate(count, running)) live cases/s (\(String(format: "%.1f", wall)) s in all)")
    if invalid > 0 { return .internalError }
    if differ > 0 { return .expectationNotMet }
    return skipped > 0 ? .incomplete : .ok
  }

  static func rate(_ n: Int, _ seconds: Double) -> String {
    String(format: "%.1f", seconds > 0 ? Double(n) / seconds : 0)
  }

  /// Resolves `text`, runs it live and in the model, and compares.
  /// `admit` may refuse a valid scenario before it runs (the shrinker's candidates).
  static func randomCase(
    _ text: String, name: String, session: ProbeSession, timeout: Double,
    admit: (Scenario) -> Bool = { _ in true }
  ) -> RandomCase {
    let source = SourceFile(path: "\(name).scenario", text: text)
    let scenario: Scenario
    do { scenario = try ScenarioResolver.resolve(source) } catch {
      return .invalid(error.rendered(source: source))
    }
    guard admit(scenario) else { return .skipped("not admitted") }
    do {
      let c = try compareLive(scenario, opTimeout: timeout, session: session)
      if c.trace.outcome.hasPrefix("stopped") {
        // A listener that feeds itself (its own access is its next event) never ends.
        return .skipped("the model's deterministic schedule \(c.trace.outcome)")
      }
      return c.differences.isEmpty ? .agree : .differ(c.differences)
    } catch let error as ProbeError {
      return .skipped(error.message)
    } catch {
      return .invalid("\(name): \(error)")
    }
  }

  /// The kind of a difference line: which event, call or file it is about, without the values,
  /// so shrinking keeps to the same disagreement.
  static func kind(_ difference: String) -> String {
    if let colon = difference.firstIndex(of: ":") {
      let head = difference[..<colon]
      if head.hasPrefix("file ") { return String(head) }
      if head.contains(" event ") { return "event" }
    }
    return "call"
  }

  /// The size of every file some task execs, by name.
  static func execTargetSizes(_ scenario: Scenario) -> [String: Int] {
    var sizes: [String: Int] = [:]
    for task in scenario.config.tasks {
      for case .exec(let f) in task.program.map(\.syscall) {
        sizes[scenario.config.files[f].name] = scenario.config.files[f].size
      }
    }
    return sizes
  }

  static func execTargetSizes(_ text: String, name: String) -> [String: Int] {
    let source = SourceFile(path: "\(name).scenario", text: text)
    guard let s = try? ScenarioResolver.resolve(source) else { return [:] }
    return execTargetSizes(s)
  }

  /// Shrinks a disagreeing scenario to a minimal one that still disagrees the same way, writes
  /// it to `outDir`, and prints it.
  static func reportShrunk(
    _ text: String, seed: UInt64, diffs: [String], session: ProbeSession, timeout: Double,
    outDir: String
  ) throws {
    let kinds = Set(diffs.map(kind))
    // An exec target keeps its size: the probe makes it a copy of /bin/true whatever it is.
    let execSizes = execTargetSizes(text, name: "random-\(seed)")
    let shrunk = ScenarioShrinker.shrink(text) { candidate in
      guard
        case .differ(let d) = randomCase(
          candidate, name: "random-\(seed)", session: session, timeout: timeout,
          admit: { execTargetSizes($0).allSatisfy { execSizes[$0.key] == $0.value } })
      else { return false }
      return !kinds.isDisjoint(with: d.map(kind))
    }
    // Checked once more: a disagreement that does not come back is timing, not a finding.
    let again = randomCase(
      shrunk.text, name: "random-\(seed)", session: session, timeout: timeout)
    let final: [String]
    if case .differ(let d) = again { final = d } else { final = [] }
    var header = [
      "# fanmc conform --random 1 --seed \(seed), shrunk in \(shrunk.tries) tries from "
        + "\(text.split(separator: "\n").count) to \(shrunk.text.split(separator: "\n").count) lines.",
      final.isEmpty
        ? "# The shrunk scenario did not disagree again: the disagreement may depend on timing."
        : "# It disagrees with the live kernel:",
    ]
    header += final.map { "#   \($0)" }
    let body = header.joined(separator: "\n") + "\n" + shrunk.text
    try FileManager.default.createDirectory(
      atPath: outDir, withIntermediateDirectories: true)
    let path = "\(outDir)/random-\(seed).scenario"
    try body.write(toFile: path, atomically: true, encoding: .utf8)
    print("         shrunk to \(path):")
    for line in body.split(separator: "\n") { print("           \(line)") }
  }
}
