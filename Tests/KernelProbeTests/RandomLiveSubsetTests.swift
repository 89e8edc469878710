import KernelModel
import KernelProbe
import ScenarioFormat
import ScenarioRunner
import Testing

/// `fanmc conform --random` draws from `RandomScenario`'s live subset: every scenario it writes
/// must be valid, on the live kernel's profile and filesystem, and runnable by the probe, or the
/// campaign would skip (exit 13) instead of comparing.
@Suite struct RandomLiveSubsetTests {
  @Test("the live subset is valid 6.18-on-ext4 and expressible by the probe, for 500 seeds")
  func liveSubsetIsExpressible() throws {
    var execs = 0
    var notifications = 0
    for seed in UInt64(1)...500 {
      let text = RandomScenario.generate(seed: seed, liveSubset: true)
      #expect(text == RandomScenario.generate(seed: seed, liveSubset: true))
      let scenario = try ScenarioResolver.resolve(
        SourceFile(path: "random-\(seed).scenario", text: text))
      #expect(scenario.config.profile == .v6_18)
      #expect(scenario.config.filesystem.type == "ext4")
      do { try KernelProbe.checkExpressible(scenario.config) } catch {
        Issue.record("seed \(seed): \(error)\n\(text)")
      }
      if text.contains("exec prog") { execs += 1 }
      if text.contains("class notif") { notifications += 1 }
      // Timing-dependent cases stay out (see RandomScenario): no failing response words.
      #expect(!text.contains(" EINVAL"), "seed \(seed)")
    }
    // The subset still exercises exec and notification groups.
    #expect(execs > 50)
    #expect(notifications > 50)
  }

  @Test("--profile-subset keeps every task to its families (after the opens)")
  func familiesKeepTheTasksToThem() throws {
    for seed in UInt64(1)...100 {
      let text = RandomScenario.generate(
        seed: seed, liveSubset: true, families: ["truncate", "close"])
      let ops = text.split(separator: "\n").filter { $0.hasPrefix("  ") }.map {
        $0.split(separator: " ").contains("=") ? "open" : String($0.split(separator: " ")[0])
      }
      #expect(
        Set(ops).isSubset(of: ["open", "exec", "truncate", "ftruncate", "close"]),
        "seed \(seed): \(ops)")
      _ = try ScenarioResolver.resolve(SourceFile(path: "random-\(seed).scenario", text: text))
    }
  }
}
