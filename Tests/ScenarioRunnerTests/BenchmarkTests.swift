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
    let expected: [String: (Int, Int, Int)] = [
      "hsm-any-access": (5809, 8199, 12404),
      "hsm-any-access-freeze": (36488, 54268, 102651),
    ]
    for family in Benchmark.families {
      let row = try Benchmark.measure(
        family: family.name, size: family.sizes[0], config: ExplorationConfig())
      let (states, reduced, unreduced) = expected[family.name]!
      #expect(row.verdict == "no-violation")
      #expect(row.states == states)
      #expect(row.transitions == reduced)
      #expect(row.unreducedTransitions == unreduced)
    }
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
    let result = try SpinComparison.run(model: model, apps: 2, operations: 1, pages: 2)
    #expect(result.errors == 0)
    // The models match closely (fanmc: 5809 states without reduction of states; SPIN reduces).
    #expect(result.states > 1000 && result.states < 10_000)
  }
}
