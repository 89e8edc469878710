import Exploration
import TestSupport
import Testing

/// Exact state-space sizes of the toys. A change in any number is a change in the explored state
/// space, which is a bug unless explained.
@Suite("Pinned counts")
struct PinnedCountTests {
  /// One row of the pinned table.
  struct Row: Sendable, CustomStringConvertible {
    var toy: Toy
    var states: Int
    /// Transitions without sleep sets (every edge of the reachable graph, once).
    var edges: Int
    /// Transitions executed with sleep sets.
    var reduced: Int
    var deadlockStates: Int

    var description: String { toy.description }
  }

  // Hand checks:
  //
  // TwoLockInversion, 19 states: task 0's pc p (0 start, 1 holds A, 2 holds A+B, 3 holds A,
  // 4 done), task 1's pc q likewise with B and A swapped. The 16 pairs with p or q in {0, 4} are
  // all reachable (run one task alone, or to the end first). Of the 9 pairs with p, q in 1...3,
  // 5 make both hold the same lock ((1,2), (2,1), (2,2), (2,3), (3,2)) and (3,3) is unreachable:
  // whichever task took both locks second would have needed a lock the other still holds. So
  // 16 + 3 = 19, and the only deadlock is (1,1).
  //
  // RacyCounter, 13 states and 14 edges: (pc0, pc1) = (0,0), (1,0), (0,1), (2,0), (0,2), (1,1)
  // give one state each (every read so far saw 0); (2,1) and (1,2) give two each (the second
  // reader saw 0 or 1); (2,2) gives three: x = 2 with tmp = (0,1) or (1,0), or x = 1 with both
  // tmp 0 (the lost update). 6 + 4 + 3 = 13. Edges: 2 from each of (0,0), (1,0), (0,1), (1,1),
  // 1 from each of (2,0), (0,2) and of the four (2,1)/(1,2) states: 8 + 2 + 4 = 14.
  //
  // DiningPhilosophers(n: 2), 23 states: of the 36 pc pairs, 12 put one fork in two hands; of the
  // 24 left, (4,4) is unreachable (each holds only its left fork, but the second to eat would
  // have needed the other's left fork while it was held).
  static let rows: [Row] = [
    Row(toy: .twoLockInversion, states: 19, edges: 22, reduced: 19, deadlockStates: 1),
    Row(toy: .peterson, states: 20, edges: 34, reduced: 29, deadlockStates: 0),
    Row(toy: .philosophers2, states: 23, edges: 26, reduced: 23, deadlockStates: 1),
    Row(toy: .philosophers3, states: 111, edges: 189, reduced: 126, deadlockStates: 1),
    Row(toy: .philosophers4, states: 543, edges: 1244, reduced: 640, deadlockStates: 1),
    Row(toy: .philosophers5, states: 2623, edges: 7515, reduced: 3132, deadlockStates: 1),
    Row(toy: .racyCounter, states: 13, edges: 14, reduced: 13, deadlockStates: 0),
    Row(toy: .lockedCounter, states: 17, edges: 16, reduced: 16, deadlockStates: 0),
    Row(toy: .nondeterministicWriter, states: 8, edges: 7, reduced: 7, deadlockStates: 0),
  ]

  @Test("Depth-first search without sleep sets takes every edge once", arguments: rows)
  func unreducedCounts(row: Row) throws {
    let summary = try row.toy.run(.with(.dfs, sleepSets: false))
    #expect(summary.incomplete == nil)
    #expect(summary.states == row.states)
    #expect(summary.transitions == row.edges)
    #expect(summary.sleptTransitions == 0)
    #expect(summary.deadlockStates == row.deadlockStates)
  }

  @Test("Sleep sets keep every state and save the slept transitions", arguments: rows)
  func reducedCounts(row: Row) throws {
    let summary = try row.toy.run(.with(.dfs, sleepSets: true))
    #expect(summary.incomplete == nil)
    #expect(summary.states == row.states)
    #expect(summary.transitions == row.reduced)
    #expect(summary.sleptTransitions == row.edges - row.reduced)
    #expect(summary.deadlockStates == row.deadlockStates)
  }

  @Test("Breadth-first search finds the same states and edges", arguments: rows)
  func breadthFirstCounts(row: Row) throws {
    let summary = try row.toy.run(.with(.bfs))
    #expect(summary.incomplete == nil)
    #expect(summary.states == row.states)
    #expect(summary.transitions == row.edges)
    #expect(summary.deadlockStates == row.deadlockStates)
  }
}
