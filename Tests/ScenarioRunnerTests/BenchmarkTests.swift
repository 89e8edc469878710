import Exploration
import ScenarioRunner
import TestSupport
import Testing

/// The benchmark families are models like any other: their smallest members are pinned here
/// (exact counts and verdict; speed is measured by `fanmc bench`, never asserted).
@Suite("Benchmark families")
struct BenchmarkTests {
  @Test("the smallest member of each family has pinned counts and no violation")
  func smallest() throws {
    // (reduced states, reduced transitions, plain states)
    let expected: [String: (Int, Int, Int)] = [
      "hsm-any-access": (1955, 3040, 5809),
      "hsm-any-access-freeze": (9970, 18445, 36488),
      "hsm-partial-pages": (1955, 3040, 5809),
    ]
    for family in Benchmark.families {
      let row = try Benchmark.measure(
        family: family.name, size: family.sizes[0], config: ExplorationConfig())
      let (states, transitions, plain) = expected[family.name]!
      #expect(row.verdict == "no-violation")
      #expect(row.states == states)
      #expect(row.transitions == transitions)
      #expect(row.plainStates == plain)
      #expect(row.stateReduction! > 2)
      // `bench --workers 2` passes its workers on; the reduced and plain runs stay sequential.
      var parallel = ExplorationConfig()
      parallel.workers = 2
      let same = try Benchmark.measure(family: family.name, size: family.sizes[0], config: parallel)
      #expect(same.states == states && same.plainStates == plain)
    }
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
    #expect(1 << result.hashBits >= result.states && 1 << (result.hashBits - 1) < result.states)
    #expect(result.depth > 10 && result.depth < result.stack)
    let none = try SpinComparison.run(
      model: model, apps: 2, operations: 1, pages: 2, reduction: false, expectedStates: 1 << 16)
    #expect(none.errors == 0 && none.calibrations == 0)
    #expect(none.states > result.states)
  }
}
