import Exploration
import TestSupport
import Testing

/// Compact visited sets: hash compaction and bitstate hashing.
@Suite("Visited-set storage")
struct StorageTests {
  static func config(
    _ strategy: ExplorationConfig.Strategy, _ storage: ExplorationConfig.Storage,
    sleepSets: Bool = false
  ) -> ExplorationConfig {
    var config = ExplorationConfig.with(strategy, sleepSets: sleepSets)
    config.storage = storage
    return config
  }

  static let compact: [ExplorationConfig.Storage] = [.hashCompact, .bitstate(bits: 24)]

  @Test(
    "Compact storages find exactly the exact counts and counterexamples on every toy",
    arguments: Toy.allCases, ExplorationConfig.Strategy.exhaustive)
  func sameAsExact(toy: Toy, strategy: ExplorationConfig.Strategy) throws {
    let exact = try toy.run(Self.config(strategy, .exact))
    for storage in Self.compact {
      #expect(try toy.run(Self.config(strategy, storage)) == exact, "\(storage)")
    }
  }

  @Test("Only compact storages report an omission probability, tiny at these sizes")
  func omissionProbability() throws {
    for toy in Toy.allCases {
      #expect(try omission(toy.system, Self.config(.dfs, .exact)) == nil)
      for storage in Self.compact {
        let p = try #require(try omission(toy.system, Self.config(.dfs, storage)))
        #expect(p > 0 && p < 1e-6, "\(toy) \(storage): \(p)")
      }
    }
  }

  @Test("The hash-compaction figure is n(n - 1)/2^65")
  func hashCompactFormula() throws {
    let run = try Explorer(
      system: DiningPhilosophers(n: 5), config: Self.config(.bfs, .hashCompact)
    ).run()
    #expect(run.omissionProbability == 2623.0 * 2622.0 / 0x1p65)
  }

  @Test("A tiny bit array loses states and says so")
  func tinyBitstate() throws {
    let exact = try Explorer(system: DiningPhilosophers(n: 5), config: Self.config(.dfs, .exact))
      .run()
    for strategy in ExplorationConfig.Strategy.exhaustive {
      let run = try Explorer(
        system: DiningPhilosophers(n: 5), config: Self.config(strategy, .bitstate(bits: 6))
      ).run()
      #expect(run.stats.states < exact.stats.states)
      #expect(run.stats.states <= 64)
      #expect(run.isComplete)  // complete up to the omission probability, which is large
      #expect(try #require(run.omissionProbability) > 0.5)
      #expect(run.stats.visitedBytes == 8)
    }
  }

  @Test("bytesPerState is allocated visited bytes over stored states; an entry is 8 bytes")
  func bytesPerState() throws {
    let system = DiningPhilosophers(n: 5)
    let exact = try Explorer(system: system, config: Self.config(.dfs, .exact)).run()
    let sleeping = try Explorer(system: system, config: Self.config(.dfs, .exact, sleepSets: true))
      .run()
    let compact = try Explorer(system: system, config: Self.config(.dfs, .hashCompact)).run()
    let bits = try Explorer(system: system, config: Self.config(.dfs, .bitstate(bits: 20))).run()
    // 2623 states fit in 90% of the dense tables' 4096 slots; the table with payloads (sleep
    // sets) keeps under 5/8 and grew to 8192 slots.
    #expect(compact.stats.visitedBytes == 4096 * 8)
    #expect(exact.stats.visitedBytes == 4096 * 16)
    #expect(sleeping.stats.visitedBytes == 8192 * 24)
    #expect(bits.stats.visitedBytes == (1 << 20) / 8)
    for run in [exact, sleeping, compact, bits] {
      #expect(run.stats.bytesPerState == Double(run.stats.visitedBytes) / 2623)
    }
    #expect(compact.stats.bytesPerEntry == 8)
    #expect(exact.stats.bytesPerEntry == 16)
    #expect(sleeping.stats.bytesPerEntry == 24)
    #expect(bits.stats.bytesPerEntry == 0.25)
  }

  @Test(
    "Past its first growth a dense table is 67.5% to 90% full: at most 23.7 bytes per exact state",
    arguments: ExplorationConfig.Strategy.exhaustive)
  func denseBound(strategy: ExplorationConfig.Strategy) throws {
    let system = DiningPhilosophers(n: 7)
    let exact = try Explorer(system: system, config: Self.config(strategy, .exact)).run()
    let compact = try Explorer(system: system, config: Self.config(strategy, .hashCompact)).run()
    #expect(exact.stats.states > 4096 * 9 / 10)  // the tables grew
    #expect(exact.stats.bytesPerState >= 16 / 0.9 && exact.stats.bytesPerState <= 16 / 0.675)
    #expect(compact.stats.bytesPerState >= 8 / 0.9 && compact.stats.bytesPerState <= 8 / 0.675)
    #expect(compact.stats.states == exact.stats.states)
  }

  @Test("Depth-first search with a compact storage runs without sleep sets")
  func noSleepSetsWhenCompact() throws {
    for storage in Self.compact {
      let run = try Toy.philosophers4.run(Self.config(.dfs, storage, sleepSets: true))
      #expect(run.sleptTransitions == 0)
      #expect(run.states == 543)
      #expect(run.transitions == 1244)
    }
  }

  @Test(
    "Sampling works with every storage",
    arguments: [ExplorationConfig.Storage.hashCompact, .bitstate(bits: 20)])
  func samplingWithCompactStorage(storage: ExplorationConfig.Storage) throws {
    var config = Self.config(.random, storage)
    config.walks = 200
    let run = try Explorer(system: TwoLockInversion(), config: config).run()
    #expect(run.incomplete == .sampling)
    #expect(run.stats.states == 19)
    #expect(run.violatedPropertyIDs == ["deadlock"])
    #expect(run.omissionProbability != nil)
  }

  private func omission<System: TransitionSystem>(
    _ system: System, _ config: ExplorationConfig
  ) throws -> Double? {
    try Explorer(system: system, config: config).run().omissionProbability
  }

  @Test("A bitstate size outside 6...40 is rejected", arguments: [5, 41])
  func invalidBitstate(bits: Int) {
    let error = #expect(throws: ExplorationError.self) {
      try Explorer(system: RacyCounter(), config: Self.config(.dfs, .bitstate(bits: bits))).run()
    }
    #expect(error?.kind == .invalidConfiguration)
  }
}
