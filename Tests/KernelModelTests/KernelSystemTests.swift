import Exploration
import KernelModel
import ListenerModels
import ScenarioRunner
import Testing

/// One file `data` of `pages` stub pages, one PRE_CONTENT group `hsm`, one reader task.
func oneReader(
  listener: any ListenerModel = ListenerLibrary.builtin("fill"), mask: EventMask = .FAN_PRE_ACCESS,
  pages: Int = 2,
  filesystem: String = "ext4", groupClass: GroupClass = .preContent, program: [Instruction]
) throws -> KernelSystem {
  try KernelSystem(
    config: KernelConfig(
      profile: .v6_18, filesystem: Filesystem.named(filesystem)!,
      files: [FileSpec(name: "data", content: Array(repeating: .remote, count: pages))],
      groups: [GroupSpec(name: "hsm", groupClass: groupClass, listener: listener)],
      marks: [Mark(group: 0, object: .inode(file: 0), mask: mask)],
      tasks: [TaskSpec(name: "reader", program: program, fdNames: ["fd"])]))
}

/// Takes the first enabled step, preferring listeners, until nothing is enabled: the same
/// deterministic policy as `fanmc trace`.
func runDeterministically(_ system: KernelSystem) -> (KernelState, [StepExplanation]) {
  var s = system.initialStates()[0]
  var explained: [StepExplanation] = []
  while true {
    let enabled = system.transitions(from: s)
    guard let t = enabled.first(where: { $0.task >= system.appTaskCount }) ?? enabled.first
    else { break }
    explained.append(system.explain(t, in: s))
    s = system.apply(t, to: s)
  }
  return (s, explained)
}

/// What the application tasks' syscalls returned (the listeners' own calls left out).
func returns(_ steps: [StepExplanation]) -> [SyscallResult] {
  steps.compactMap {
    if case .returned(let r, _) = $0.effect, $0.instruction != nil { return r }
    return nil
  }
}

func queued(_ steps: [StepExplanation]) -> [(EventMask, EventRange?)] {
  steps.compactMap {
    if case .queued(_, let mask, let range) = $0.effect { return (mask, range) }
    return nil
  }
}

@Suite("Kernel model: open, read and the permission wait (6.18)")
struct KernelSystemTests {
  @Test("a read of a watched stub page waits for the HSM, which fills it; the reader sees it")
  func readFilled() throws {
    let system = try oneReader(program: [
      Instruction(.open(file: 0, flags: [], slot: 0)), Instruction(.read(slot: 0, count: 4096)),
    ])
    let (final, steps) = runDeterministically(system)
    #expect(returns(steps) == [.value(3), .value(4096)])
    let events = queued(steps)
    #expect(events.count == 1)
    #expect(events.first?.0 == .FAN_PRE_ACCESS)
    #expect(events.first?.1 == EventRange(offset: 0, count: 4096))
    #expect(final.inodes[0].content.pageContents == [.filled, .remote])
    #expect(final.inodes[0].cached == [true, false])
    #expect(!final.history.unnotifiedRead)
    #expect(final.tasks[0].fds[0]?.pos == 4096)
    #expect(system.unfinishedTasks(in: final).isEmpty)
  }

  @Test("the range is computed before clamping: a read at EOF notifies, then returns 0")
  func readAtEOF() throws {
    let system = try oneReader(
      pages: 1,
      program: [
        Instruction(.open(file: 0, flags: [], slot: 0)),
        Instruction(.pread(slot: 0, offset: 4096, count: 4096)),
      ])
    let (_, steps) = runDeterministically(system)
    #expect(queued(steps).map(\.1) == [EventRange(offset: 4096, count: 4096)])
    #expect(returns(steps) == [.value(3), .value(0)])
  }

  @Test("an allow without a fill lets the stub reach user space (I2)")
  func allowWithoutFill() throws {
    let system = try oneReader(
      listener: ListenerLibrary.builtin("allow"),
      program: [
        Instruction(.open(file: 0, flags: [], slot: 0)), Instruction(.read(slot: 0, count: 10)),
      ])
    let (final, _) = runDeterministically(system)
    #expect(final.history.unnotifiedRead)
    #expect(!system.properties.first { $0.id == "I2" }!.predicate(final))
  }

  @Test("a file opened before the mark stays FMODE_NONOTIFY_PERM: no event, a known gap")
  func openedBeforeMark() throws {
    var config = try oneReader(program: []).config
    config.marks = []
    config.tasks = [
      TaskSpec(
        name: "reader",
        program: [
          Instruction(.open(file: 0, flags: [], slot: 0)),
          Instruction(
            .fanotifyMark(Mark(group: 0, object: .inode(file: 0), mask: .FAN_PRE_ACCESS))),
          Instruction(.read(slot: 0, count: 4096)),
        ], fdNames: ["fd"])
    ]
    let system = try KernelSystem(config: config)
    let (final, steps) = runDeterministically(system)
    #expect(queued(steps).isEmpty)
    #expect(final.tasks[0].fds[0]?.mode == .noPerm)
    #expect(final.history.gapRead)
    #expect(!final.history.unnotifiedRead)
  }

  @Test("FAN_DENY_ERRNO(EBUSY) on FAN_OPEN_PERM fails the open and installs no fd")
  func openDenied() throws {
    let system = try oneReader(
      listener: ListenerLibrary.builtin("deny", ["EBUSY"]),
      mask: [.FAN_OPEN_PERM, .FAN_PRE_ACCESS],
      program: [Instruction(.open(file: 0, flags: [], slot: 0))])
    let (final, steps) = runDeterministically(system)
    #expect(queued(steps).map(\.0) == [.FAN_OPEN_PERM])
    #expect(returns(steps) == [.error(.EBUSY)])
    #expect(final.tasks[0].fds[0] == nil)
  }

  @Test("a deny errno outside the list makes the response write fail; the reader waits forever")
  func invalidDenyErrno() throws {
    let system = try oneReader(
      listener: ListenerLibrary.builtin("deny", ["EINVAL"]),
      program: [
        Instruction(.open(file: 0, flags: [], slot: 0)), Instruction(.read(slot: 0, count: 1)),
      ])
    let (final, steps) = runDeterministically(system)
    let responses = steps.compactMap { step -> SyscallResult? in
      if case .responded(_, _, _, let result, _) = step.effect { return result }
      return nil
    }
    #expect(responses == [.error(.EINVAL)])
    #expect(system.unfinishedTasks(in: final) == [0])
    #expect(system.transitions(from: final).isEmpty)
  }

  @Test(
    "the notify mode is decided at open from the marks (6.17+ rule, §2.3)",
    arguments: [
      (.FAN_PRE_ACCESS, .hsm),
      ([.FAN_PRE_ACCESS, .FAN_ACCESS_PERM], .allPerm),
      (.FAN_OPEN_PERM, .noPerm),
    ] as [(EventMask, NotifyMode)])
  func openMode(mask: EventMask, mode: NotifyMode) throws {
    let system = try oneReader(listener: ListenerLibrary.builtin("allow"), mask: mask, program: [])
    #expect(system.openTimeMode(file: 0, in: system.initialStates()[0]).0 == mode)
  }

  @Test("with no CONTENT-or-higher watcher on the sb, open takes the fast path")
  func openFastPath() throws {
    var config = try oneReader(program: []).config
    config.marks = []
    let system = try KernelSystem(config: config)
    #expect(system.openTimeMode(file: 0, in: system.initialStates()[0]) == (.noPerm, []))
  }

  @Test("a (0,0) file gets FAN_ACCESS_PERM after FAN_PRE_ACCESS was allowed (I8)")
  func accessPermAfterPreContent() throws {
    let system = try oneReader(
      mask: [.FAN_PRE_ACCESS, .FAN_ACCESS_PERM],
      program: [
        Instruction(.open(file: 0, flags: [], slot: 0)), Instruction(.read(slot: 0, count: 1)),
      ])
    let (_, steps) = runDeterministically(system)
    #expect(queued(steps).map(\.0) == [.FAN_PRE_ACCESS, .FAN_ACCESS_PERM])
    #expect(queued(steps).map { $0.1 == nil } == [false, true])
  }

  @Test(
    "fanotify_mark refuses what §1.5 refuses",
    arguments: [
      (.notif, .FAN_PRE_ACCESS, "ext4", .EINVAL),
      (.content, .FAN_PRE_ACCESS, "ext4", .EINVAL),
      (.preContent, [.FAN_PRE_ACCESS, .FAN_ONDIR], "ext4", .EINVAL),
      (.preContent, .FAN_PRE_ACCESS, "tmpfs", .EOPNOTSUPP),
      (.notif, .FAN_OPEN_PERM, "ext4", .EINVAL),
    ] as [(GroupClass, EventMask, String, Errno)])
  func markErrors(groupClass: GroupClass, mask: EventMask, fs: String, errno: Errno) throws {
    let system = try oneReader(
      listener: ListenerLibrary.builtin("allow"), mask: [], filesystem: fs, groupClass: groupClass,
      program: [])
    var s = system.initialStates()[0]
    s.marks = []
    #expect(system.markError(Mark(group: 0, object: .inode(file: 0), mask: mask), in: s) == errno)
  }

  @Test("adding FAN_ONDIR to an existing PRE_ACCESS mark is EEXIST")
  func markMergeEEXIST() throws {
    let system = try oneReader(program: [])
    let s = system.initialStates()[0]
    let ondir = Mark(group: 0, object: .inode(file: 0), mask: .FAN_ONDIR)
    #expect(system.markError(ondir, in: s) == .EEXIST)
  }

  @Test("groups are notified by priority: PRE_CONTENT before CONTENT before NOTIF")
  func deliveryOrder() throws {
    var config = try oneReader(program: []).config
    config.groups = [
      GroupSpec(name: "notif", groupClass: .notif, listener: nil),
      GroupSpec(name: "av", groupClass: .content, listener: ListenerLibrary.builtin("allow")),
      GroupSpec(name: "hsm", groupClass: .preContent, listener: ListenerLibrary.builtin("fill")),
    ]
    config.marks = []
    let system = try KernelSystem(config: config)
    #expect(system.deliveryOrder == [2, 1, 0])
    #expect(system.listenerGroups == [1, 2])
    #expect(system.taskName(1) == "av")
  }

  @Test("a response for an fd with no pending event is ENOENT; an invalid word is EINVAL first")
  func responseToUnknownFd() throws {
    let system = try oneReader(program: [
      Instruction(.open(file: 0, flags: [], slot: 0)), Instruction(.read(slot: 0, count: 1)),
    ])
    let (final, _) = runDeterministically(system)
    #expect(
      system.responseOutcome(Fanotify.FAN_ALLOW, fd: 4, group: 0, in: final) == .error(.ENOENT))
    #expect(
      system.responseOutcome(Fanotify.FAN_DENY_ERRNO(.EINVAL), fd: 4, group: 0, in: final)
        == .error(.EINVAL))
  }

  @Test("canonical encoding: equal states share a fingerprint, different ones do not")
  func fingerprints() throws {
    let system = try oneReader(program: [
      Instruction(.open(file: 0, flags: [], slot: 0)), Instruction(.read(slot: 0, count: 1)),
    ])
    let s0 = system.initialStates()[0]
    let s1 = system.apply(system.transitions(from: s0)[0], to: s0)
    #expect(system.fingerprint(of: s0) == system.fingerprint(of: system.initialStates()[0]))
    #expect(system.fingerprint(of: s0) != system.fingerprint(of: s1))
  }
}
