import Exploration
import KernelModel
import ScenarioRunner
import TestSupport
import Testing

/// The benchmark families are models like any other: their smallest members are pinned here
/// (exact counts and verdict; speed is measured by `fanmc bench`, never asserted).
@Suite("Benchmark families")
struct BenchmarkTests {
  @Test("the smallest member of each family has pinned counts and no violation")
  func smallest() throws {
    // (reduced states, reduced transitions, plain states, least state reduction)
    let expected: [String: (Int, Int, Int, Double)] = [
      "hsm-any-access": (1955, 3040, 5809, 2),
      "hsm-any-access-freeze": (9970, 18445, 36488, 2),
      "hsm-partial-pages": (1955, 3040, 5809, 2),
      // Persistent sets alone: the two applications' programs differ.
      "hsm-rw-truncate": (18605, 29508, 28018, 1.4),
    ]
    for family in Benchmark.families {
      let row = try Benchmark.measure(
        family: family.name, size: family.sizes[0], config: ExplorationConfig())
      let (states, transitions, plain, reduction) = expected[family.name]!
      #expect(row.verdict == "no-violation")
      #expect(row.states == states)
      #expect(row.transitions == transitions)
      #expect(row.plainStates == plain)
      #expect(row.stateReduction! > reduction)
      // `bench --workers 2` passes its workers on; the reduced and plain runs stay sequential.
      var parallel = ExplorationConfig()
      parallel.workers = 2
      let same = try Benchmark.measure(family: family.name, size: family.sizes[0], config: parallel)
      #expect(same.states == states && same.plainStates == plain)
    }
  }

  @Test("in hsm-rw-truncate the applications truncate differently, so symmetry folds nothing")
  func truncatingFamilyIsAsymmetric() throws {
    let size = Benchmark.families.first { $0.name == "hsm-rw-truncate" }!.sizes[0]
    #expect(size.apps == 2 && size.pages == 4)
    // The first to a page boundary (count-0 event), the second into the last page.
    #expect(Benchmark.truncateLength(app: 0, pages: 4) == 8192)
    #expect(Benchmark.truncateLength(app: 1, pages: 4) == 14336)
    let system = try KernelSystem(config: Benchmark.config(size))
    #expect(system.symmetryClasses.isEmpty)
    var config = ExplorationConfig()
    config.symmetry = true
    let folded = try Explorer(system: system, config: config).run()
    config.symmetry = false
    let plain = try Explorer(system: system, config: config).run()
    #expect(folded.isComplete)
    #expect(folded.violations.allSatisfy { KernelSystem.reachabilityIDs.contains($0.propertyID) })
    #expect(folded.stats.states == plain.stats.states)
  }

  @Test("the text table shows the reduction, and - where the plain search is not run")
  func table() {
    let rows = [
      Benchmark.Row(
        family: "f", size: Benchmark.Size(apps: 3, operations: 1, pages: 2, freezer: false),
        verdict: "no-violation", states: 100, transitions: 150, plainStates: 1000, seconds: 1,
        statesPerSecond: 100, peakMemoryBytes: 1 << 20),
      Benchmark.Row(
        family: "f",
        size: Benchmark.Size(apps: 4, operations: 1, pages: 3, freezer: false, plain: false),
        verdict: "no-violation", states: 200, transitions: 300, plainStates: nil, seconds: 2,
        statesPerSecond: 100, peakMemoryBytes: 2 << 20),
    ]
    let lines = Benchmark.render(rows).split(separator: "\n")
    #expect(lines[1].contains(" 1000 ") && lines[1].contains("10.00x"))
    #expect(lines[2].hasPrefix("f") && lines[2].contains("4x1x3") && !lines[2].contains("x "))
  }
}

@Suite("The SPIN model beside the benchmark family")
struct SpinComparisonTests {
  @Test(
    "SPIN verifies the Promela model of hsm-any-access 2x1x2 with no error, or says why it cannot")
  func spinAgrees() throws {
    if let why = SpinComparison.unavailable() {
      print("skipped: \(why)")
      return
    }
    let model = TestSupport.Repository.root
      .appendingPathComponent("Scenarios/benchmarks/hsm-any-access.pml").path
    // A table too small for the states and a stack too small for the depth are calibrated:
    // the timed run is sized to what SPIN reported.
    let result = try SpinComparison.run(
      model: model, apps: 2, operations: 1, pages: 2, expectedStates: 100)
    #expect(result.errors == 0)
    // The models match closely (fanmc: 5809 states without reduction of states; SPIN reduces).
    #expect(result.states > 1000 && result.states < 10_000)
    #expect(result.calibrations == 1)
    #expect(
      1 << result.hashBits >= 2 * result.states && 1 << (result.hashBits - 1) < 2 * result.states)
    #expect(result.depth > 10 && result.depth < result.stack)
    // Sized right at once: no calibration. Far too large a table: calibrated down.
    let none = try SpinComparison.run(
      model: model, apps: 2, operations: 1, pages: 2, reduction: false, expectedStates: 8192)
    #expect(none.errors == 0 && none.calibrations == 0 && none.hashBits == 14)
    #expect(none.states > result.states)
    let oversized = try SpinComparison.run(
      model: model, apps: 2, operations: 1, pages: 2, reduction: false, expectedStates: 1 << 24)
    #expect(oversized.calibrations == 1 && oversized.hashBits == 14)
  }

  @Test(
    "SPIN verifies the Promela model of hsm-rw-truncate 2x1x4 with no error, or says why it cannot")
  func spinAgreesOnTruncate() throws {
    if let why = SpinComparison.unavailable() {
      print("skipped: \(why)")
      return
    }
    let path = try #require(Benchmark.spinModel(family: "hsm-rw-truncate"))
    let model = TestSupport.Repository.root.appendingPathComponent(path).path
    let result = try SpinComparison.run(model: model, apps: 2, operations: 1, pages: 4)
    #expect(result.errors == 0)
    // fanmc: 28018 states without reduction of states (SPIN: 22385 in one run).
    #expect(result.states > 10_000 && result.states < 50_000)
    #expect(Benchmark.spinModel(family: "hsm-any-access-freeze") == nil)
  }
}
