import Exploration
import Foundation
import KernelModel
import ScenarioFormat
import ScenarioRunner
import TestSupport
import Testing

/// Semantic fuzzing of the model: random valid scenarios (`RandomScenario`, seeded: every
/// profile, syscall family and listener model, random byte sizes and offsets) are resolved and
/// explored with small bounds, as `SemanticFuzz.check` says. `FANMC_SEMANTIC_FUZZ=N` runs N seeds from `FANMC_SEMANTIC_FUZZ_SEED` (default 1);
/// `FANMC_SEMANTIC_FUZZ_DIR=PATH` writes the seed being explored to `PATH/current` (so a trap
/// names its scenario) and every failing scenario with its failure to `PATH`.
@Suite("Semantic fuzzing: random valid scenarios")
struct SemanticFuzzTests {
  static let environment = ProcessInfo.processInfo.environment
  static let count = Int(environment["FANMC_SEMANTIC_FUZZ"] ?? "") ?? 120
  static let firstSeed = UInt64(environment["FANMC_SEMANTIC_FUZZ_SEED"] ?? "") ?? 1
  static let directory = environment["FANMC_SEMANTIC_FUZZ_DIR"]

  @Test("random valid scenarios: no trap, determinism, replay, every search agrees")
  func randomScenarios() throws {
    var resolved = 0
    var complete = 0
    var failures = 0
    for seed in Self.firstSeed..<(Self.firstSeed + UInt64(Self.count)) {
      let text = RandomScenario.generate(seed: seed)
      let source = SourceFile(path: "random-\(seed).scenario", text: text)
      let scenario: Scenario
      switch resolveGenerated(source) {
      case .success(let resolved): scenario = resolved
      case .failure(let error):
        Self.record(seed, text, ["resolver: \(error)"], name: "rejected")
        continue
      }
      resolved += 1
      Self.record(seed, text, nil, name: "current")
      let (problems, allComplete) = SemanticFuzz.check(scenario)
      if problems.isEmpty {
        if allComplete { complete += 1 }
      } else {
        failures += 1
        Self.record(seed, text, problems, name: "random-\(seed)")
        Issue.record("seed \(seed): \(problems.joined(separator: "; "))\n\(text)")
      }
    }
    // A rejection is a generator bug unless explained; nearly every scenario must resolve.
    #expect(resolved * 100 >= Self.count * 95, "only \(resolved) of \(Self.count) resolved")
    // The bounds are small enough that most searches finish, so the comparison has work to do.
    #expect(complete * 2 >= resolved, "only \(complete) of \(resolved) explored completely")
    print("semantic fuzz: \(Self.count) seeds, \(resolved) resolved, \(complete) complete")
  }

  @Test("the generator is deterministic and covers every profile and listener model")
  func generator() {
    #expect(RandomScenario.generate(seed: 7) == RandomScenario.generate(seed: 7))
    #expect(RandomScenario.generate(seed: 7) != RandomScenario.generate(seed: 8))
    let texts = (1...400).map { RandomScenario.generate(seed: $0) }.joined()
    for profile in RandomScenario.profiles {
      #expect(texts.contains("profile \(profile)\n"), "profile \(profile)")
    }
    for word in [
      "listener fill", "listener allow", "listener deny", "listener silent",
      "listener fill-then-ftruncate", "listener reenter", "listener scan", "listener crash",
      "listener slow", "listener script", "class notif", "class content", "inode", "directory",
      "mount", "filesystem", "FAN_MARK_IGNORE", "FAN_EVENT_ON_CHILD", " read ", "pread", "readv",
      "preadv", " write ", "pwrite", "writev", "ftruncate", " truncate", "fallocate", "mmap",
      "load", "store", "mremap", "madvise", "splice-to-pipe", "splice-from-pipe", "sendfile",
      "copy_file_range", "readahead", "fadvise", "exec", "O_TRUNC", "O_APPEND", "close",
      "  mark", "  unmark", "freeze", "thaw", "kill", " or ", "remote", "filled", "written",
      "hole", "listener p0\n", " threads 2", " helpers 1", "  spawn", "  lock m", " else ALLOW",
      "  if own ", "assert always ", "assert never ", "assert sometimes ", "assert eventually ",
    ] {
      #expect(texts.contains(word), "never generated: \(word)")
    }
    let live = (1...50).map { RandomScenario.generate(seed: $0, liveSubset: true) }.joined()
    #expect(!live.contains("freeze") && !live.contains("listener silent"))
    #expect(!live.contains("listener p") && !live.contains("assert "))
  }

  /// Writes `text` (and `problems`) under `FANMC_SEMANTIC_FUZZ_DIR`, if set.
  static func record(_ seed: UInt64, _ text: String, _ problems: [String]?, name: String) {
    guard let directory else { return }
    try? FileManager.default.createDirectory(
      atPath: directory, withIntermediateDirectories: true)
    var body = text
    if let problems { body += problems.map { "# FAILURE: \($0)\n" }.joined() }
    let file = name == "rejected" ? "rejected-\(seed)" : name
    try? body.write(toFile: "\(directory)/\(file).scenario", atomically: false, encoding: .utf8)
  }
}
