import Exploration
import Foundation
import KernelModel
import ScenarioFormat
import ScenarioRunner
import TestSupport
import Testing

/// Valid but unusual input must not trap: every scenario of the repository and every diagnostic
/// example, with its file sizes, offsets and lengths replaced by random values around page and
/// EOF boundaries (seeded), is resolved, explored, traced, explained, minimized, charted, viewed
/// and rendered. A run may find
/// anything or stop at a bound; it must not crash, and a rejected input must carry a located
/// diagnostic. `FANMC_FUZZ_ROUNDS=N` runs N variants of each input instead of one.
@Suite("Valid input never traps")
struct ValidInputFuzzTests {
  static let rounds = Int(ProcessInfo.processInfo.environment["FANMC_FUZZ_ROUNDS"] ?? "") ?? 1

  /// Sizes and offsets the generator favours: page edges, their neighbours and a few odd sizes.
  static let boundaries = [
    0, 1, 100, 4095, 4096, 4097, 5000, 8191, 8192, 8193, 12288, 16384, 30000, 32768, 40960, 65536,
  ]

  static func number(_ rng: inout SplitMix64, near size: Int) -> Int {
    switch rng.next() % 4 {
    case 0: return [size - 1, size, size + 1, size + 4096].randomElement(using: &rng)!.clamped
    case 1: return Int(rng.next() % 50_000)
    default: return boundaries.randomElement(using: &rng)!
    }
  }

  /// Whether a word is a byte count the generator may replace (`4096`, `0x10`, `2p`).
  static func isNumber(_ w: Substring) -> Bool {
    guard let first = w.first, first.isNumber else { return false }
    return w.allSatisfy { $0.isHexDigit || $0 == "x" || $0 == "p" }
  }

  /// `text` with each file's size, bound and every number of its task lines replaced.
  static func mutate(_ text: String, _ rng: inout SplitMix64) -> String {
    var size = 8192
    var lines: [String] = []
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      var words = line.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
      if words.first == "file", words.count >= 4, ["pages", "size"].contains(words[2]) {
        size = Int(rng.next() % 6) * 4096 + (rng.next() % 2 == 0 ? 0 : Int(rng.next() % 4096))
        words[2] = "size"
        words[3] = String(size)
        let bound = size + Int(rng.next() % 5) * 4096 + Int(rng.next() % 4096)
        if let m = words.firstIndex(of: "max"), m + 1 < words.count {
          words[m + 1] = String(bound)
        } else {
          words.insert(contentsOf: ["max", String(bound)], at: 4)
        }
        if let c = words.firstIndex(of: "content") {
          // One content value for every page, whatever the new page count.
          let value = c + 1 < words.count ? words[c + 1] : "remote"
          words.replaceSubrange(c..<words.count, with: ["content", value])
        }
      } else if line.hasPrefix("  ") {
        let arrow = words.firstIndex(of: "->") ?? words.count
        for i in words.indices where i < arrow && isNumber(Substring(words[i])) {
          words[i] = String(number(&rng, near: size))
        }
      }
      lines.append(words.joined(separator: " "))
    }
    return lines.joined(separator: "\n")
  }

  /// Resolves, explores and renders one input; returns whether it resolved.
  @discardableResult
  static func exercise(_ text: String, path: String) -> Bool {
    let source = SourceFile(path: path, text: text)
    guard case .success(let scenario) = resolveGenerated(source) else { return false }
    var bounds = ExplorationConfig()
    bounds.maxStates = 3000
    bounds.timeLimitSeconds = 20
    guard let report = try? ScenarioRun.run(scenario, exploration: bounds) else {
      Issue.record("internal error on \(text.debugDescription)")
      return true
    }
    var shown = report
    if report.isComplete {
      shown.minimized = Counterexample.minimize(report)
      for (key, m) in shown.minimized {
        let id = key == "deadlock" ? (report.deadlockKind ?? "I5") : key
        if !Counterexample.shows(m, id) {
          Issue.record("minimized \(id) does not show it in \(text.debugDescription)")
        }
      }
    }
    _ = TextRenderer.render(shown)
    _ = JSONRenderer.render(shown)
    _ = ChartRenderer.render(shown)
    if let model = try? ViewModel.build(scenario, system: report.system) {
      _ = HTMLViewer.render(model)
    }
    let narrator = Narrator(system: report.system)
    _ = TextRenderer.render(Trace.run(narrator), scenario: scenario)
    _ = try? Explanation.render(scenario, system: report.system)
    for v in report.violations {
      _ = try? Explanation.render(scenario, system: report.system, schedule: v.path?.schedule)
    }
    return true
  }

  @Test("every scenario, with random sizes and offsets; most variants stay valid")
  func scenarios() throws {
    var resolved = 0
    var tried = 0
    for path in allScenarioPaths {
      let text = try Repository.read(path)
      var rng = SplitMix64(state: path.stableHash)
      for _ in 0..<Self.rounds {
        tried += 1
        if Self.exercise(Self.mutate(text, &rng), path: path) { resolved += 1 }
      }
    }
    // The generator keeps most scenarios valid, so the explorer, not the resolver, is tested.
    #expect(resolved * 10 >= tried * 8, "only \(resolved) of \(tried) variants resolved")
  }

  @Test("every diagnostic example, with random sizes and offsets")
  func diagnosticExamples() {
    var rng = SplitMix64(state: 0x5EED_F00D)
    let header = "scenario t\nquestion \"q\"\nexpect no-violation\n"
    for row in ResolverDiagnosticsTests.rows {
      for _ in 0..<Self.rounds {
        Self.exercise(Self.mutate(header + row.text, &rng), path: row.path)
      }
    }
  }
}

extension Int {
  /// Never negative.
  fileprivate var clamped: Int { Swift.max(0, self) }
}

extension String {
  /// A hash that is the same in every process (Swift's `hashValue` is seeded per process).
  fileprivate var stableHash: UInt64 {
    utf8.reduce(0xCBF2_9CE4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01B3 }
  }
}
