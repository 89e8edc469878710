import TestSupport
import Testing

@testable import Exploration

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
    "A dense table finds every key it stored and no other, and past doubling it is 67.5% to 90% full: at most 23.7 bytes per exact key"
  )
  func denseTable() {
    // Doubling up to 64 buckets here (2^18 by default), then growing by a third.
    var exact = DenseKeyTable<ExactKey>(minimumCapacity: 64, doublingBuckets: 64)
    var compact = DenseKeyTable<UInt64>(minimumCapacity: 64, doublingBuckets: 64)
    var random = SplitMix64(seed: 7)
    var keys: [ExactKey] = []
    var lowest = 1.0
    for n in 1...60_000 {
      let key = ExactKey(high: random.next(), low: random.next())
      keys.append(key)
      #expect(exact.insert(key, limit: .max) == .inserted(-1))
      #expect(compact.insert(key.high, limit: .max) == .inserted(-1))
      if n > 300 {
        lowest = min(lowest, Double(n) * 16 / Double(exact.allocatedBytes))
        #expect(Double(exact.allocatedBytes) / Double(n) <= 16 / 0.675)
        #expect(Double(compact.allocatedBytes) / Double(n) <= 8 / 0.675)
      }
    }
    #expect(lowest < 0.7)  // it did grow by a third
    #expect(exact.count == 60_000 && compact.count == 60_000)
    for key in keys {
      #expect(exact.insert(key, limit: .max) == .found(-1))
      #expect(compact.insert(key.high, limit: .max) == .found(-1))
    }
    // The empty key is stored as its substitute; a full table refuses new keys.
    var small = DenseKeyTable<ExactKey>(minimumCapacity: 16)
    #expect(small.insert(ExactKey(high: 0, low: 0), limit: 2) == .inserted(-1))
    #expect(small.insert(ExactKey(high: 0, low: 1), limit: 2) == .found(-1))
    #expect(small.insert(ExactKey(high: 5, low: 5), limit: 2) == .inserted(-1))
    #expect(small.insert(ExactKey(high: 6, low: 6), limit: 2) == .full)
    #expect(small.count == 2)
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
