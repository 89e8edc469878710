import Exploration
import TestSupport
import Testing

@Suite("Determinism")
struct DeterminismTests {
  @Test(
    "Two runs give identical counts and first counterexamples",
    arguments: Toy.allCases, ExplorationConfig.Strategy.allCases)
  func repeatable(toy: Toy, strategy: ExplorationConfig.Strategy) throws {
    let first = try toy.run(.with(strategy))
    let second = try toy.run(.with(strategy))
    #expect(first == second)
  }

  @Test("Random programs explore identically twice")
  func repeatableRandomPrograms() throws {
    for seed in 0..<50 {
      let first = try summarize(RandomProgram(seed: UInt64(seed)), .with())
      let second = try summarize(RandomProgram(seed: UInt64(seed)), .with())
      #expect(first == second, "seed \(seed)")
    }
  }

  @Test("Two explorations can run concurrently in one process")
  func concurrentRuns() async throws {
    let expected = try summarize(DiningPhilosophers(n: 5), .with())
    try await withThrowingTaskGroup(of: Summary.self) { group in
      for _ in 0..<4 {
        group.addTask { try summarize(DiningPhilosophers(n: 5), .with()) }
      }
      for try await summary in group {
        #expect(summary == expected)
      }
    }
  }
}
