import Exploration
import ScenarioRunner
import Testing

/// Exact state-space sizes: a silent change here is a bug report (style §10).
///
/// Checked by hand for read-filled: up to the listener's answer the run is linear (open entry
/// and return, read entry, queue, fanotify_read, fill, respond: 8 states); after it the reader's
/// 5 remaining steps interleave with the listener's close of the event fd, a 6×2 grid sharing
/// its corner with the line: 8 + 11 = 19 states; unreduced transitions 7 + 10 + 6 = 23; with
/// sleep sets the explored graph is a tree, 18 transitions.
let pinnedCounts: [(String, Int, Int, Int)] = [
  // (scenario, states, transitions with sleep sets, transitions without)
  ("Scenarios/hazards/deny-invalid-errno.scenario", 8, 7, 7),
  ("Scenarios/hazards/read-allow-unfilled.scenario", 16, 15, 19),
  ("Scenarios/hazards/response-validation-off.scenario", 12, 11, 13),
  ("Scenarios/mainline/open-before-mark.scenario", 9, 8, 8),
  ("Scenarios/mainline/open-perm-ebusy.scenario", 14, 13, 17),
  ("Scenarios/mainline/pread-crossing-pages.scenario", 18, 17, 21),
  ("Scenarios/mainline/read-deny-eio.scenario", 23, 22, 28),
  ("Scenarios/mainline/read-filled.scenario", 19, 18, 23),
  ("Scenarios/mainline/read-past-eof.scenario", 12, 11, 13),
  ("Scenarios/mainline/silent-listener.scenario", 6, 5, 5),
  ("Scenarios/mainline/two-readers.scenario", 182, 204, 376),
]

@Suite("Pinned state counts")
struct PinnedCountTests {
  @Test("every scenario has a pinned count")
  func everyScenarioPinned() {
    #expect(Set(pinnedCounts.map(\.0)) == Set(allScenarioPaths))
  }

  @Test("states and transitions, with and without sleep sets", arguments: pinnedCounts)
  func counts(path: String, states: Int, reduced: Int, unreduced: Int) throws {
    let scenario = try loadScenario(path)
    let on = try ScenarioRun.run(scenario)
    let off = try ScenarioRun.run(scenario, exploration: .with { $0.sleepSets = false })
    #expect(on.result.stats.states == states)
    #expect(on.result.stats.transitions == reduced)
    #expect(off.result.stats.states == states)
    #expect(off.result.stats.transitions == unreduced)
  }
}
