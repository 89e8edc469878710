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

  @Test(
    "Parallel breadth-first gives the sequential counts and counterexamples", arguments: [2, 3])
  func parallelBFS(workers: Int) throws {
    for toy in Toy.allCases {
      var parallel = ExplorationConfig.with(.bfs)
      parallel.workers = workers
      #expect(try toy.run(.with(.bfs)) == toy.run(parallel), "\(toy)")
    }
    for seed in 0..<50 {
      var parallel = ExplorationConfig.with(.bfs)
      parallel.workers = workers
      let one = try summarize(RandomProgram(seed: UInt64(seed)), .with(.bfs))
      #expect(try summarize(RandomProgram(seed: UInt64(seed)), parallel) == one, "seed \(seed)")
    }
  }

  @Test(
    "Parallel depth-first gives the sequential counts and verdicts of the unreduced search",
    arguments: [2, 3])
  func parallelDFS(workers: Int) throws {
    func same(_ a: Summary, _ b: Summary) -> Bool {
      var a = a
      a.maxDepth = b.maxDepth  // depth-first depths depend on who reached a state first
      return a == b
    }
    var parallel = ExplorationConfig.with(.dfs, sleepSets: false)
    parallel.workers = workers
    for toy in Toy.allCases {
      let one = try toy.run(.with(.dfs, sleepSets: false))
      #expect(same(try toy.run(parallel), one), "\(toy)")
    }
    for seed in 0..<50 {
      let one = try summarize(RandomProgram(seed: UInt64(seed)), .with(.dfs, sleepSets: false))
      #expect(same(try summarize(RandomProgram(seed: UInt64(seed)), parallel), one), "seed \(seed)")
    }
  }

  @Test(
    "Parallel depth-first with persistent sets or symmetry: the sequential verdicts",
    arguments: [(true, false), (false, true), (true, true)])
  func parallelReducedDFS(persistentSets: Bool, symmetry: Bool) throws {
    let sequential = ExplorationConfig.with(
      .dfs, sleepSets: false, persistentSets: persistentSets, symmetry: symmetry)
    var parallel = sequential
    parallel.workers = 2
    func verdict(_ s: Summary) -> [String] {
      [s.incomplete.map { "\($0)" } ?? "complete"] + s.violated + s.counterexamples + s.witnesses
    }
    for toy in Toy.allCases {
      #expect(try verdict(toy.run(parallel)) == verdict(toy.run(sequential)), "\(toy)")
    }
    // Random programs have cycles, blocking and choice: the cycle proviso across threads.
    for seed in 0..<50 {
      let one = try summarize(RandomProgram(seed: UInt64(seed)), sequential)
      let two = try summarize(RandomProgram(seed: UInt64(seed)), parallel)
      #expect(verdict(two) == verdict(one), "seed \(seed)")
    }
  }

  @Test("More than one worker needs an exhaustive strategy and exact storage")
  func workersNeedExhaustiveSearch() {
    var random = ExplorationConfig.with(.random)
    random.workers = 2
    #expect(throws: ExplorationError.self) { try Toy.allCases[0].run(random) }
    var compact = ExplorationConfig.with(.dfs)
    compact.workers = 2
    compact.storage = .hashCompact
    #expect(throws: ExplorationError.self) { try Toy.allCases[0].run(compact) }
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
