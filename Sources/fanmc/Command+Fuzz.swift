import Dispatch
import Foundation
import ScenarioFormat
import ScenarioRunner
import Synchronization

/// `fanmc fuzz [--count N] [--seed S] [--workers N] [--out DIR]`: semantic fuzzing of the model
/// on random valid scenarios of every profile (`SemanticFuzz`).
extension Command {
  /// What one seed came to.
  enum FuzzOutcome: Sendable {
    case rejected(String)
    case checked(problems: [String], complete: Bool)
  }

  static func fuzz(_ args: Arguments) throws -> ExitStatus {
    let count = try args.integer("--count") ?? 1000
    let first = UInt64(try args.integer("--seed") ?? 1)
    let workers = max(1, try args.integer("--workers") ?? 2)
    let outDir = args.options["--out"]
    guard count > 0 else {
      throw Arguments.UsageError(message: "--count needs a positive number", command: "fuzz")
    }
    if let outDir {
      try FileManager.default.createDirectory(atPath: outDir, withIntermediateDirectories: true)
    }
    let outcomes = Mutex<[FuzzOutcome?]>(Array(repeating: nil, count: count))
    let started = Date()
    let done = Atomic<Int>(0)
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
      var i = worker
      while i < count {
        let seed = first + UInt64(i)
        let text = RandomScenario.generate(seed: seed)
        // A trap ends the process: the seed each worker is on names its scenario.
        if let outDir {
          try? text.write(
            toFile: "\(outDir)/current-\(worker).scenario", atomically: false, encoding: .utf8)
        }
        let outcome: FuzzOutcome
        let source = SourceFile(path: "random-\(seed).scenario", text: text)
        switch Result(catching: { () throws(Diagnostic) in try ScenarioResolver.resolve(source) }) {
        case .success(let scenario):
          let (problems, complete) = SemanticFuzz.check(scenario)
          outcome = .checked(problems: problems, complete: complete)
        case .failure(let error):
          outcome = .rejected(error.rendered(source: source))
        }
        outcomes.withLock { $0[i] = outcome }
        let n = done.add(1, ordering: .relaxed).newValue
        if n % 1000 == 0 && n < count {
          let rate = Double(n) / max(Date().timeIntervalSince(started), 0.001)
          print("         \(n)/\(count) scenarios, \(String(format: "%.0f", rate))/s")
        }
        i += workers
      }
    }
    var rejected = 0
    var complete = 0
    var failures = 0
    for (i, outcome) in outcomes.withLock({ $0 }).enumerated() {
      let seed = first + UInt64(i)
      switch outcome {
      case .rejected?: rejected += 1
      case .checked(let problems, let finished)?:
        if finished { complete += 1 }
        guard !problems.isEmpty else { continue }
        failures += 1
        print("FAIL     random-\(seed)")
        for p in problems { print("           \(p)") }
        if let outDir {
          let text = RandomScenario.generate(seed: seed)
          let body = text + problems.map { "# FAILURE: \($0)\n" }.joined()
          try body.write(
            toFile: "\(outDir)/random-\(seed).scenario", atomically: true, encoding: .utf8)
        }
      case nil: break
      }
    }
    let seconds = Date().timeIntervalSince(started)
    print(
      "\(count) random scenarios (seeds \(first)…\(first + UInt64(count) - 1)): "
        + "\(failures) failures, \(rejected) rejected by the resolver, \(complete) explored "
        + "completely by every search; \(String(format: "%.0f", Double(count) / max(seconds, 0.001))) "
        + "scenarios/s on \(workers) workers (\(String(format: "%.1f", seconds)) s)")
    if let outDir {
      for w in 0..<workers {
        try? FileManager.default.removeItem(atPath: "\(outDir)/current-\(w).scenario")
      }
    }
    // Nearly every generated scenario must resolve: more rejections are a generator bug.
    if rejected * 20 > count { return .internalError }
    return failures > 0 ? .expectationNotMet : .ok
  }
}
