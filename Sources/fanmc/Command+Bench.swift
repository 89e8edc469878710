import Foundation
import ScenarioRunner

extension Command {
  /// `fanmc bench [--family NAME] [--vs-spin] [--format text|json]`: the families with
  /// reductions, the parallel speed-ups, and with `--vs-spin` SPIN on every family that has a
  /// Promela model (`Benchmark.spinModel`): time to verdict with each tool's reductions, and the
  /// cost of a state with none.
  static func bench(_ args: Arguments) throws -> ExitStatus {
    let format = try args.choice("--format", ["text", "json"], default: "text")
    let only = args.options["--family"]
    let families = Benchmark.families.filter { only == nil || $0.name == only }
    guard !families.isEmpty else {
      let known = Benchmark.families.map(\.name).joined(separator: ", ")
      throw Arguments.UsageError(message: "unknown family (known: \(known))", command: "bench")
    }
    let config = try explorationConfig(args)
    var rows: [Benchmark.Row] = []
    for family in families {
      for size in family.sizes {
        rows.append(try Benchmark.measure(family: family.name, size: size, config: config))
      }
    }
    var parallel: [Benchmark.ParallelRow] = []
    for (name, size, reduction) in Benchmark.parallelSizes
    where families.contains(where: { $0.name == name }) {
      parallel.append(
        try Benchmark.measureParallel(
          family: name, size: size, reduction: reduction, workers: max(2, config.workers),
          config: config))
    }
    let tables = Benchmark.render(rows) + "\n\n" + Benchmark.render(parallel)
    guard args.flags.contains("--vs-spin") else {
      print(format == "json" ? Benchmark.json(rows, parallel) : tables)
      return .ok
    }
    if let why = SpinComparison.unavailable() {
      printError("Error: \(why)")
      return .incomplete
    }
    let root = FileManager.default.currentDirectoryPath
    for family in families {
      guard let model = Benchmark.spinModel(family: family.name) else { continue }
      guard FileManager.default.fileExists(atPath: "\(root)/\(model)") else {
        printError(
          "Error: \(root)/\(model) not found: run fanmc bench --vs-spin from the repository root")
        return .usage
      }
    }
    var comparisons: [Benchmark.Comparison] = []
    var unreduced: [Benchmark.Unreduced] = []
    for row in rows {
      guard let relative = Benchmark.spinModel(family: row.family) else { continue }
      let model = "\(root)/\(relative)"
      let size = row.size
      let spin = try SpinComparison.run(
        model: model, apps: size.apps, operations: size.operations, pages: size.pages,
        expectedStates: Benchmark.spinStates(family: row.family, size: size, reduction: true)
          ?? 4 * row.states)
      comparisons.append(Benchmark.Comparison(fanmc: row, spin: spin))
      // The cost of a state: both without reduction, where fanmc's plain search fits.
      guard size.plain else { continue }
      let fanmc = try Benchmark.measureUnreduced(size: size, config: config)
      let spinNone = try SpinComparison.run(
        model: model, apps: size.apps, operations: size.operations, pages: size.pages,
        reduction: false,
        expectedStates: Benchmark.spinStates(family: row.family, size: size, reduction: false)
          ?? 2 * fanmc.states)
      unreduced.append(
        Benchmark.Unreduced(
          family: row.family, size: size.description, fanmcStates: fanmc.states,
          fanmcSeconds: fanmc.seconds, spinStates: spinNone.states,
          spinSeconds: spinNone.searchSeconds))
    }
    print(
      format == "json"
        ? Benchmark.json(rows, parallel, comparisons, unreduced)
        : tables + "\n\n" + Benchmark.render(comparisons) + "\n\n" + Benchmark.render(unreduced))
    return .ok
  }
}
