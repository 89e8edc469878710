import Foundation
import ScenarioRunner

/// `fanmc merge FILE… [--format text|json|junit] [--out DIR] [--workers N]`: the outputs of a
/// sharded command as one report (`ShardMerge`).
extension Command {
  static func merge(_ args: Arguments) throws -> ExitStatus {
    guard !args.positional.isEmpty else {
      throw Arguments.UsageError(message: "missing FILE", command: "merge")
    }
    let format = try args.choice("--format", ["text", "json", "junit"], default: "text")
    let workers = try args.integer("--workers") ?? 1
    guard workers >= 1 else {
      throw Arguments.UsageError(message: "--workers must be at least 1", command: "merge")
    }
    var inputs: [(path: String, data: Data)] = []
    for path in args.positional {
      guard let data = FileManager.default.contents(atPath: path) else {
        throw LoadError(message: "Error: cannot read '\(path)'", status: .usage)
      }
      inputs.append((path, data))
    }
    let merged: ShardMerge.Merged
    do { merged = try ShardMerge.merge(inputs, workers: workers) } catch {
      throw LoadError(message: error.message, status: .invalidScenario)
    }
    switch merged {
    case .check(let report):
      switch format {
      case "json": print(report.json())
      case "junit": print(JUnitRenderer.render(report))
      default: print(report.text())
      }
      return checkStatus(report)
    case .swarm(let json):
      guard format == "json" else {
        throw Arguments.UsageError(
          message: "a swarm's shards merge as --format json (the report run --format json prints)",
          command: "merge")
      }
      print(json)
      return .ok
    case .hunt(let report):
      guard format != "junit" else {
        throw Arguments.UsageError(
          message: "--format junit is for check's shards; a hunt merges as text or json",
          command: "merge")
      }
      try writeHuntFindings(report, to: args.options["--out"])
      print(
        format == "json"
          ? HuntRenderer.json(report)
          : HuntRenderer.text(report, outDirectory: args.options["--out"]))
      return .ok
    }
  }
}
