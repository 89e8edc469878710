import ScenarioFormat
import Testing

@testable import ScenarioRunner

/// The shrinker of `fanmc conform --random`, with the model standing in for the live kernel.
@Suite struct ScenarioShrinkerTests {
  static let original = """
    # A generated scenario.
    scenario shrink-me
    question "Which lines does a FAN_PRE_ACCESS of count 0 from sendfile need?"
    expect no-violation

    profile 6.18
    filesystem ext4
    file data size 16471 max 131072 content hole remote remote remote remote
    file other size 4096 max 131072 content filled
    group g0 class pre-content listener fill
    mark g0 directory FAN_PRE_ACCESS|FAN_EVENT_ON_CHILD
    mark g0 inode other FAN_PRE_ACCESS|FAN_OPEN
    group g1 class notif listener allow
    mark g1 mount FAN_OPEN

    task t0
      f00 = open data O_RDWR
      pread f00 100 5000
      f01 = open other O_RDONLY
      sendfile f01 f00 0
      close f00
    task t1
      f10 = open other
      read f10 4096

    """

  /// What the predicate looks for: the model's trace has a pre-content event of count 0 caused
  /// by a sendfile (do_sendfile's input hook runs before the output fd is checked).
  static func showsZeroCountSendfileEvent(_ text: String) -> Bool {
    guard
      let scenario = try? ScenarioResolver.resolve(
        SourceFile(path: "shrink-me.scenario", text: text)),
      let system = try? ScenarioRun.makeSystem(scenario)
    else { return false }
    let trace = Trace.run(Narrator(system: system))
    return trace.events.contains {
      $0.mask == "FAN_PRE_ACCESS" && $0.range?.count == 0 && $0.syscall.hasPrefix("sendfile")
    }
  }

  @Test("drops every task, line, word and flag the finding does not need, deterministically")
  func shrinksToTheLinesThatMatter() {
    #expect(Self.showsZeroCountSendfileEvent(Self.original))
    let result = ScenarioShrinker.shrink(
      Self.original, stillShows: Self.showsZeroCountSendfileEvent)
    #expect(
      result.text == """
        scenario shrink-me
        question "Which lines does a FAN_PRE_ACCESS of count 0 from sendfile need?"
        expect no-violation
        profile 6.18
        filesystem ext4
        file data size 0
        file other size 0
        group g0 class pre-content listener fill
        mark g0 directory FAN_PRE_ACCESS|FAN_EVENT_ON_CHILD
        task t0
          f00 = open data
          f01 = open other
          sendfile f01 f00 0

        """)
    #expect(Self.showsZeroCountSendfileEvent(result.text))
    let again = ScenarioShrinker.shrink(Self.original, stillShows: Self.showsZeroCountSendfileEvent)
    #expect(again.text == result.text && again.tries == result.tries)
  }

  @Test("stops at its budget of tries and keeps the last text that still showed it")
  func keepsToItsBudget() {
    var asked = 0
    let result = ScenarioShrinker.shrink(Self.original, maxTries: 5) { text in
      asked += 1
      return Self.showsZeroCountSendfileEvent(text)
    }
    #expect(asked == 5)
    #expect(result.tries == 5)
    #expect(Self.showsZeroCountSendfileEvent(result.text))
  }

  @Test("simpler versions of a line: word pairs, words, | flags, smaller numbers; max stays")
  func simplerLines() {
    #expect(
      ScenarioShrinker.simpler("file d size 5000 max 9000")
        == [
          "file 5000 max 9000", "file d max 9000", "file d size 9000", "file d size 5000",
          "file size 5000 max 9000", "file d 5000 max 9000", "file d size max 9000",
          "file d size 5000 9000", "file d size 5000 max", "file d size 0 max 9000",
          "file d size 1 max 9000", "file d size 4096 max 9000", "file d size 2500 max 9000",
          "file d size 4999 max 9000",
        ])
    #expect(
      ScenarioShrinker.simpler("  mark g inode d A|B")
        == [
          "  mark d A|B", "  mark g A|B", "  mark g inode", "  mark inode d A|B", "  mark g d A|B",
          "  mark g inode A|B", "  mark g inode d",
          "  mark g inode d B", "  mark g inode d A",
        ])
  }
}
