import Exploration
import KernelModel
import ScenarioRunner
import TestSupport
import Testing

/// Persistent sets and symmetry are sound only if they change no verdict: every scenario is
/// explored plainly and with each reduction, and the verdicts, violation sets and known gaps
/// must agree. Few scenarios have two identical tasks, so each small scenario is also run with
/// a twin of its first task added (a clone of its program), where symmetry has work to do.
@Suite("Reductions keep every verdict")
struct ReductionDifferentialTests {
  static let reductions: [(name: String, config: ExplorationConfig)] = [
    ("persistent", .with { $0.persistentSets = true }),
    ("symmetry", .with { $0.symmetry = true }),
    (
      "persistent+symmetry",
      .with {
        $0.persistentSets = true
        $0.symmetry = true
      }
    ),
  ]

  /// Scenarios small enough to twin (at most this many states before twinning).
  static let twinLimit = 200

  @Test(
    "persistent sets and symmetry keep the verdicts of every scenario", arguments: allScenarioPaths)
  func scenario(path: String) throws {
    try expectSameVerdicts(try loadScenario(path), auditFootprints: true)
  }

  @Test(
    "… and of every small scenario with a twin of its first task",
    arguments: pinnedCounts.filter { $0.1 <= twinLimit }.map(\.0))
  func twinned(path: String) throws {
    var scenario = try loadScenario(path)
    guard let twin = Self.twin(of: scenario.config) else { return }
    scenario.config.tasks.append(twin)
    let system = try KernelSystem(config: scenario.config)
    #expect(!system.symmetryClasses.isEmpty)
    let reduced = try expectSameVerdicts(scenario, auditFootprints: false)
    #expect(reduced["symmetry"]! < reduced["plain"]!, "symmetry shrinks the twinned space")
  }

  @Test("at least 20 scenarios are twinned")
  func twinsAreMany() throws {
    let twinned = try pinnedCounts.filter { $0.1 <= Self.twinLimit }.filter {
      Self.twin(of: try loadScenario($0.0).config) != nil
    }
    #expect(twinned.count >= 20)
  }

  @Test("the benchmark families keep their verdicts, on far fewer states")
  func benchmarkFamilies() throws {
    for size in [
      Benchmark.Size(apps: 2, operations: 1, pages: 2, freezer: false),
      Benchmark.Size(apps: 2, operations: 1, pages: 2, freezer: true),
    ] {
      let system = try KernelSystem(config: Benchmark.config(size))
      let plain = try Explorer(system: system).run()
      var config = ExplorationConfig()
      config.persistentSets = true
      config.symmetry = true
      config.checkIndependence = true
      let reduced = try Explorer(system: system, config: config).run()
      #expect(reduced.isComplete)
      #expect(reduced.violatedPropertyIDs == plain.violatedPropertyIDs)
      #expect(reduced.stats.states * 2 < plain.stats.states)
    }
  }

  /// A copy of the first application task that no `kill` names, under a new name; none for a
  /// scenario with assertions, whose tasks symmetry leaves apart and whose bounds a twin moves.
  static func twin(of config: KernelConfig) -> TaskSpec? {
    guard config.assertions.isEmpty else { return nil }
    for task in config.tasks {
      for instruction in task.program {
        for case .kill(_) in instruction.choices { return nil }
      }
    }
    guard var twin = config.tasks.first else { return nil }
    twin.name += "-twin"
    return twin
  }

  /// Checks every reduction against the plain search; returns the states each stored.
  @discardableResult
  private func expectSameVerdicts(_ scenario: Scenario, auditFootprints: Bool) throws
    -> [String: Int]
  {
    let plain = try ScenarioRun.run(scenario)
    var states = ["plain": plain.result.stats.states]
    for (name, base) in Self.reductions {
      var config = base
      config.checkIndependence = auditFootprints && config.persistentSets
      let reduced = try ScenarioRun.run(scenario, exploration: config)
      let comment = Comment(rawValue: name)
      states[name] = reduced.result.stats.states
      #expect(reduced.result.isComplete == plain.result.isComplete, comment)
      #expect(reduced.verdict == plain.verdict, comment)
      #expect(reduced.result.violatedPropertyIDs == plain.result.violatedPropertyIDs, comment)
      #expect(reduced.gaps.map(\.propertyID) == plain.gaps.map(\.propertyID), comment)
      #expect(reduced.result.stats.states <= plain.result.stats.states, comment)
      for v in reduced.violations {
        let outcome = try ReplayOutcome.replay(scenario, schedule: v.path!.schedule)
        if v.kind == .deadlock {
          #expect(outcome.deadlock != nil, comment)
        } else {
          #expect(outcome.violated.contains(v.propertyID), comment)
        }
      }
    }
    return states
  }
}
