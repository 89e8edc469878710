import Exploration
import TestSupport
import Testing

/// `pathAvoiding`: the search behind `assert eventually EXPR within K`.
@Suite("Bounded liveness: eventually within K steps")
struct BoundedEventuallyTests {
  /// RacyCounter's paths all have 4 steps; x reaches 1 after the first write (step 2 at the
  /// earliest, step 3 when both tasks read first).
  let system = RacyCounter()

  @Test("a bound every path meets has no counterexample")
  func holds() {
    #expect(system.pathAvoiding({ $0.x >= 1 }, for: 3) == nil)
  }

  @Test("a bound one step short yields a path of exactly that many steps avoiding the goal")
  func tooShort() throws {
    let path = try #require(system.pathAvoiding({ $0.x >= 1 }, for: 2))
    #expect(path.count == 2)
    let replay = try system.replay(path.schedule)
    #expect(replay.states.allSatisfy { $0.x == 0 })
    #expect(replay.transitions.map(\.label) == [.read, .read])
  }

  @Test("a path that ends before the bound without the goal is a counterexample")
  func endsWithoutGoal() throws {
    let path = try #require(system.pathAvoiding({ $0.x == 2 }, for: 100))
    let replay = try system.replay(path.schedule)
    #expect(system.transitions(from: replay.finalState).isEmpty)
    #expect(replay.finalState.x == 1)  // the lost update: both tasks done, x is 1
  }

  @Test("a goal that holds initially holds within any bound")
  func initially() {
    #expect(system.pathAvoiding({ _ in true }, for: 1) == nil)
  }
}
