import Exploration
import TestSupport
import Testing

@Suite("Footprint independence check")
struct IndependenceCheckTests {
  @Test(
    "Every honest toy's independence claims hold",
    arguments: Toy.allCases, ExplorationConfig.Strategy.allCases)
  func honestToysPass(toy: Toy, strategy: ExplorationConfig.Strategy) throws {
    let checked = try toy.run(.with(strategy, checkIndependence: true))
    let unchecked = try toy.run(.with(strategy))
    #expect(checked == unchecked)
  }

  @Test("A footprint that lies is caught, naming both steps and the state's schedule")
  func lyingFootprintThrows() throws {
    for strategy in ExplorationConfig.Strategy.exhaustive {
      let error = #expect(throws: ExplorationError.self) {
        try Explorer(system: LyingRacyCounter(), config: .with(strategy, checkIndependence: true))
          .run()
      }
      let found = try #require(error)
      #expect(found.kind == .dependentFootprints)
      #expect(found.message.contains("'x=tmp+1' (task 0)"))
      #expect(found.message.contains("'tmp=x' (task 1)"))
      #expect(found.schedule?.description == "0")
      #expect(found.description.contains("at schedule 0"))
    }
  }

  @Test("Without the check, a lying footprint goes unnoticed")
  func lyingFootprintUnchecked() throws {
    let result = try Explorer(system: LyingRacyCounter()).run()
    #expect(result.isComplete)
  }
}
