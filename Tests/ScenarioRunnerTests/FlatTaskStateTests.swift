import Exploration
import KernelModel
import ScenarioFormat
import ScenarioRunner
import Testing

/// The task state's fixed layout and the bounds it brings.
@Suite("Flat task state")
struct FlatTaskStateTests {
  @Test("A task is plain bits: copying the task array on a step counts no reference")
  func plain() {
    #expect(_isPOD(TaskState.self))
  }

  @Test("A task given more fd variables than its table holds is refused, not trapped on")
  func configBeyondTheTable() {
    let config = KernelConfig(
      profile: .v6_18, filesystem: Filesystem.named("ext4")!,
      files: [FileSpec(name: "data", content: [.remote])], groups: [], marks: [],
      tasks: [TaskSpec(name: "r", program: [], fdNames: (0...FdSlots.limit).map { "f\($0)" })])
    #expect(throws: KernelSystem.ConfigError.self) { try KernelSystem(config: config) }
  }

  /// A listener that fills and answers but never closes its event fds.
  static let keeper = """
    scenario keeper
    question "What does a listener that never closes its event fds get once its fd table is full?"
    expect no-violation

    file data pages 5 content remote
    listener keeper
      fill
      respond ALLOW
    group hsm class pre-content listener keeper
    mark hsm inode data FAN_PRE_ACCESS

    task reader
      fd = open data -> ok
      pread fd 0p 4096 -> 4096
      pread fd 1p 4096 -> 4096
      pread fd 2p 4096 -> 4096
      pread fd 3p 4096 -> 4096
      pread fd 4p 4096 -> EPERM

    """

  @Test("A listener holding a full table of event fds gets EMFILE from create_fd: the waiter EPERM")
  func eventFdTableFull() throws {
    #expect(EventFds.limit == 4)
    let report = try ScenarioRun.run(
      try ScenarioResolver.resolve(SourceFile(path: "keeper.scenario", text: Self.keeper)))
    #expect(report.expectationsMet)
    #expect(report.result.stats.states == 66)
  }
}
