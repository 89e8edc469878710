import Exploration
import TestSupport
import Testing

/// Sleep sets are trusted only because these tests show they change no verdict and lose no state.
@Suite("Sleep sets")
struct SleepSetTests {
  @Test("Sleep sets keep the states, verdicts and deadlocks of every toy", arguments: Toy.allCases)
  func sameVerdictsOnToys(toy: Toy) throws {
    try expectSameVerdicts(toy.system)
  }

  @Test("Sleep sets keep the states and verdicts of random programs", arguments: 0..<10)
  func sameVerdictsOnRandomPrograms(batch: Int) throws {
    for seed in (batch * 40)..<(batch * 40 + 40) {
      try expectSameVerdicts(RandomProgram(seed: UInt64(seed)), seed: seed)
    }
  }

  @Test("Random programs cover cycles, choices, deadlocks and reductions")
  func randomProgramsAreInteresting() throws {
    var reduced = 0
    var deadlocking = 0
    var cyclic = 0
    var choosing = 0
    for seed in 0..<400 {
      let program = RandomProgram(seed: UInt64(seed))
      let summary = try summarize(program, .with(.dfs))
      if summary.sleptTransitions > 0 { reduced += 1 }
      if summary.deadlockStates > 0 { deadlocking += 1 }
      let instructions = program.programs.joined()
      if instructions.contains(where: { if case .choose = $0 { true } else { false } }) {
        choosing += 1
      }
      for (task, code) in program.programs.enumerated() {
        _ = task
        for (pc, instruction) in code.enumerated() {
          switch instruction {
          case .jump(let target) where target <= pc: cyclic += 1
          case .choose(let a, let b) where a <= pc || b <= pc: cyclic += 1
          default: break
          }
        }
      }
    }
    #expect(reduced > 100)
    #expect(deadlocking > 50)
    #expect(cyclic > 100)
    #expect(choosing > 100)
  }

  @Test("Sleep sets are what saves the transitions of the philosophers")
  func sleepSetsReduce() throws {
    let on = try Explorer(system: DiningPhilosophers(n: 5)).run()
    let off = try Explorer(system: DiningPhilosophers(n: 5), config: .with(sleepSets: false)).run()
    #expect(on.stats.states == off.stats.states)
    #expect(on.stats.transitions < off.stats.transitions)
    #expect(on.stats.reductionRatio > 0.5)
    #expect(off.stats.reductionRatio == 0)
  }

  @Test("Breadth-first search ignores the sleep-set switch")
  func breadthFirstIgnoresSleepSets() throws {
    let on = try summarize(DiningPhilosophers(n: 4), .with(.bfs, sleepSets: true))
    let off = try summarize(DiningPhilosophers(n: 4), .with(.bfs, sleepSets: false))
    #expect(on == off)
    #expect(on.sleptTransitions == 0)
  }

  /// Compares depth-first with and without sleep sets, and breadth-first, on one system.
  private func expectSameVerdicts<System: TransitionSystem>(
    _ system: System, seed: Int? = nil
  ) throws {
    let comment = Comment(rawValue: seed.map { "seed \($0)" } ?? "")
    let on = try summarize(system, .with(.dfs, sleepSets: true, checkIndependence: true))
    let off = try summarize(system, .with(.dfs, sleepSets: false))
    let bfs = try summarize(system, .with(.bfs))
    #expect(on.incomplete == nil, comment)
    #expect(on.states == off.states, comment)
    #expect(on.states == bfs.states, comment)
    #expect(on.violated == off.violated, comment)
    #expect(on.violated == bfs.violated, comment)
    #expect(on.deadlockStates == off.deadlockStates, comment)
    #expect(on.deadlockStates == bfs.deadlockStates, comment)
    #expect(on.witnesses.count == off.witnesses.count, comment)
    #expect(on.transitions + on.sleptTransitions == off.transitions, comment)
    #expect(off.transitions == bfs.transitions, comment)
  }
}
