import Foundation
import KernelModel
import ScenarioRunner
import TestSupport
import Testing

/// Graphviz's `dot`, if this machine has it (`.ci/run` installs it).
let dotExecutable = ["/usr/bin/dot", "/usr/local/bin/dot"].first {
  FileManager.default.isExecutableFile(atPath: $0)
}

@Suite("DOT graphs")
struct DotRendererTests {
  static let cases = [
    ("Scenarios/listeners/daemon-mutex-deadlock.scenario", "dot-daemon-mutex-deadlock.dot"),
    ("Scenarios/hazards/deny-invalid-errno.scenario", "dot-deny-invalid-errno.dot"),
    ("Scenarios/mainline/read-filled.scenario", "dot-read-filled.dot"),
  ]

  /// The graph `run --format dot` prints: the first deadlock's wait-for graph, else the states.
  static func graph(_ path: String) throws -> String? {
    let report = try ScenarioRun.run(try loadScenario(path))
    if let d = report.violations.first(where: { $0.kind == .deadlock }), let p = d.path {
      let replay = try report.system.replay(p.schedule)
      return DotRenderer.waitFor(
        replay.finalState, narrator: Narrator(system: report.system), name: report.scenario.name)
    }
    return DotRenderer.stateGraph(report.system, name: report.scenario.name)
  }

  @Test("wait-for and state graphs render as pinned", arguments: cases)
  func golden(path: String, golden: String) throws {
    let text = try #require(try Self.graph(path)) + "\n"
    #expect(
      Golden.mismatch(text, named: golden) == nil, "\(Golden.mismatch(text, named: golden) ?? "")")
  }

  @Test(
    "Graphviz accepts every graph", .enabled(if: dotExecutable != nil, "needs Graphviz's dot"),
    arguments: cases.map(\.0))
  func graphvizAccepts(path: String) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: dotExecutable!)
    process.arguments = ["-Tsvg"]
    let input = Pipe()
    let output = Pipe()
    let errors = Pipe()
    process.standardInput = input
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    input.fileHandleForWriting.write(Data(try #require(try Self.graph(path)).utf8))
    try input.fileHandleForWriting.close()
    let svg = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    let complaints = String(
      decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "\(complaints)")
    #expect(complaints.isEmpty)
    #expect(svg.contains("<svg"))
  }

  @Test("the state graph is refused above its documented size")
  func tooLarge() throws {
    let report = try ScenarioRun.run(try loadScenario("Scenarios/listeners/pool-fill.scenario"))
    #expect(report.result.stats.states > DotRenderer.maxStates)
    #expect(DotRenderer.stateGraph(report.system, name: "pool-fill") == nil)
  }
}
