import Exploration
import TestSupport
import Testing

/// Persistent sets and symmetry are trusted only because these tests show they change no
/// verdict: the same violations, witnesses and deadlocks as the plain search, on fewer states.
@Suite("Persistent sets and symmetry")
struct ReductionTests {
  @Test("Persistent sets keep the verdicts of random programs", arguments: 0..<10)
  func persistentSetsOnRandomPrograms(batch: Int) throws {
    for seed in (batch * 40)..<(batch * 40 + 40) {
      let program = RandomProgram(seed: UInt64(seed), stableProperties: true)
      let comment = Comment(rawValue: "seed \(seed)")
      let plain = try summarize(program, .with(.dfs))
      let reduced = try summarize(
        program, .with(.dfs, checkIndependence: true, persistentSets: true))
      #expect(reduced.incomplete == nil, comment)
      #expect(reduced.violated == plain.violated, comment)
      #expect(ids(reduced.witnesses) == ids(plain.witnesses), comment)
      #expect((reduced.deadlockStates > 0) == (plain.deadlockStates > 0), comment)
      #expect(reduced.states <= plain.states, comment)
      #expect(reduced.sleptTransitions == 0, comment)
    }
  }

  @Test("Persistent sets reduce random programs, and the cycle proviso fires on some")
  func persistentSetsReduce() throws {
    var smaller = 0
    var proviso = 0
    for seed in 0..<400 {
      let program = RandomProgram(seed: UInt64(seed), stableProperties: true)
      let plain = try Explorer(system: program).run()
      var config = ExplorationConfig()
      config.persistentSets = true
      let reduced = try Explorer(system: program, config: config).run()
      if reduced.stats.states < plain.stats.states { smaller += 1 }
      if reduced.stats.provisoExpansions > 0 { proviso += 1 }
    }
    #expect(smaller > 100)
    #expect(proviso > 10)
  }

  @Test("Persistent sets stay off while a property is not stable")
  func unstablePropertiesTurnThemOff() throws {
    let program = RandomProgram(seed: 7)
    var config = ExplorationConfig()
    config.persistentSets = true
    let result = try Explorer(system: program, config: config).run()
    #expect(result.stats.reducedStates == 0)
    #expect(result.stats.states == (try Explorer(system: program).run()).stats.states)
  }

  @Test("Symmetry stores one state per class of identical incrementers")
  func symmetryPinned() throws {
    // Plain: x ∈ 0...3 with each task at (pc, tmp); with symmetry the tasks are a multiset.
    let plain = try summarize(Incrementers(n: 3), .with(.dfs))
    let symmetric = try summarize(Incrementers(n: 3), .with(.dfs, symmetry: true))
    let symmetricBFS = try summarize(Incrementers(n: 3), .with(.bfs, symmetry: true))
    let both = try summarize(
      Incrementers(n: 3), .with(.dfs, persistentSets: true, symmetry: true))
    // Every step reads or writes x: persistent sets find nothing to prune.
    #expect(plain.states == 84)
    #expect(symmetric.states == 22)
    #expect(symmetricBFS.states == 22)
    #expect(both.states == 22)
    for summary in [symmetric, symmetricBFS, both] {
      #expect(summary.violated == plain.violated)
      #expect(summary.violated == ["lost-update"])
    }
  }

  @Test("A counterexample found with symmetry replays as it is", arguments: [2, 3, 4])
  func symmetricCounterexampleReplays(n: Int) throws {
    let system = Incrementers(n: n)
    var config = ExplorationConfig()
    config.symmetry = true
    config.persistentSets = true
    let result = try Explorer(system: system, config: config).run()
    let violation = try #require(result.violations.first)
    let replay = try system.replay(violation.path!.schedule)
    let last = try #require(replay.states.last)
    #expect(last.pc.allSatisfy { $0 == 2 } && Int(last.x) < n)
  }

  @Test("Symmetry keeps the verdicts of toys without symmetry", arguments: Toy.allCases)
  func symmetryWithoutClassesChangesNothing(toy: Toy) throws {
    #expect(try toy.run(.with(.dfs, symmetry: true)) == toy.run(.with(.dfs)))
  }

  private func ids(_ entries: [String]) -> [String] {
    entries.map { String($0.prefix { $0 != "@" }) }.sorted()
  }
}
