import Exploration
import KernelModel
import ListenerModels
import ScenarioRunner
import Testing

/// A stub file `data` (and `other`), an HSM that fills, and an auditor group of class notif with
/// no listener (its events stay queued, so merging shows) or a queue limit.
private func audited(
  _ program: [Instruction], tasks: Int = 1, queue: Int? = nil,
  hsmListener: any ListenerModel =
    ListenerLibrary.builtin("fill")
) throws -> KernelSystem {
  let watched: EventMask = [
    .FAN_OPEN, .FAN_ACCESS, .FAN_MODIFY, .FAN_CLOSE_WRITE, .FAN_CLOSE_NOWRITE,
  ]
  return try KernelSystem(
    config: KernelConfig(
      profile: .v6_18, filesystem: Filesystem.named("ext4")!,
      files: [
        FileSpec(name: "data", content: [.remote, .remote]),
        FileSpec(name: "other", content: [.filled]),
      ],
      groups: [
        GroupSpec(name: "hsm", groupClass: .preContent, listener: hsmListener),
        GroupSpec(name: "auditor", groupClass: .notif, listener: nil, queueLimit: queue),
      ],
      marks: [
        Mark(group: 0, object: .inode(file: 0), mask: .FAN_PRE_ACCESS),
        Mark(group: 1, object: .filesystem, mask: watched),
      ],
      tasks: (0..<tasks).map {
        TaskSpec(name: "t\($0)", program: program, fdNames: ["fd"], mapNames: ["m"])
      }))
}

private func notices(_ s: KernelState, group g: Int = 1) -> [Notice] {
  s.groups[g].queue.compactMap {
    if case .notice(let n) = $0 { return n } else { return nil }
  }
}

@Suite("Notification events: queueing, merging, overflow")
struct NotificationEventTests {
  @Test("unread events of one file and one task merge into one (measured on 6.18)")
  func mergeUnread() throws {
    let (s, _) = runDeterministically(
      try audited([
        Instruction(.open(file: 0, flags: .O_RDWR, slot: 0)),
        Instruction(.pread(slot: 0, offset: 0, count: 100)),
        Instruction(.pread(slot: 0, offset: 0, count: 100)),
        Instruction(.pwrite(slot: 0, offset: 0, count: 10)),
        Instruction(.close(slot: 0)),
      ]))
    #expect(
      notices(s) == [
        Notice(
          mask: [.FAN_OPEN, .FAN_ACCESS, .FAN_MODIFY, .FAN_CLOSE_WRITE], file: 0, pid: 0)
      ])
  }

  @Test("events of two tasks, or of two files, stay apart")
  func noMergeAcrossTasksOrFiles() throws {
    let (s, _) = runDeterministically(
      try audited(
        [
          Instruction(.open(file: 0, flags: [], slot: 0)),
          Instruction(.open(file: 1, flags: [], slot: 0)),
        ], tasks: 2))
    #expect(
      notices(s) == [
        Notice(mask: .FAN_OPEN, file: 0, pid: 0), Notice(mask: .FAN_OPEN, file: 1, pid: 0),
        Notice(mask: .FAN_OPEN, file: 0, pid: 1), Notice(mask: .FAN_OPEN, file: 1, pid: 1),
      ])
  }

  @Test("a full queue drops the event and marks the overflow, even a mergeable one")
  func overflow() throws {
    let (s, _) = runDeterministically(
      try audited(
        [
          Instruction(.open(file: 1, flags: [], slot: 0)),
          Instruction(.pread(slot: 0, offset: 0, count: 10)),
        ], queue: 1))
    #expect(notices(s) == [Notice(mask: .FAN_OPEN, file: 1, pid: 0)])
    #expect(s.groups[1].queue == [.notice(Notice(mask: .FAN_OPEN, file: 1, pid: 0)), .overflow])
  }

  @Test("a read or write that moves no byte, or is denied, sends no FAN_ACCESS or FAN_MODIFY")
  func nothingMoved() throws {
    let (s, _) = runDeterministically(
      try audited(
        [
          Instruction(.open(file: 0, flags: .O_RDWR, slot: 0)),
          Instruction(.pread(slot: 0, offset: 1 << 20, count: 10)),
          Instruction(.pwrite(slot: 0, offset: 0, count: 0)),
          Instruction(.pread(slot: 0, offset: 0, count: 10)),
        ], hsmListener: ListenerLibrary.builtin("deny", ["EIO"])))
    #expect(notices(s) == [Notice(mask: .FAN_OPEN, file: 0, pid: 0)])
  }

  @Test("a file still mapped sends no FAN_CLOSE at close (the mapping holds it)")
  func mappedFileClosesLater() throws {
    let (s, _) = runDeterministically(
      try audited([
        Instruction(.open(file: 1, flags: [], slot: 0)),
        Instruction(.mmap(slot: 0, offset: 0, length: 4096, map: 0)),
        Instruction(.close(slot: 0)),
      ]))
    #expect(notices(s) == [Notice(mask: .FAN_OPEN, file: 1, pid: 0)])
  }

  @Test("without notification marks no path carries a notification step")
  func noMarksNoSteps() throws {
    let system = try oneReader(program: [
      Instruction(.open(file: 0, flags: [], slot: 0)), Instruction(.read(slot: 0, count: 4096)),
      Instruction(.close(slot: 0)),
    ])
    let (_, steps) = runDeterministically(system)
    #expect(!steps.contains { if case .noticed = $0.effect { true } else { false } })
  }
}

/// One PRE_CONTENT group `hsm`, one notif group `audit`, a stub file and a directory.
private func marker(program: [Instruction] = [Instruction(.close(slot: 0))]) throws -> KernelSystem
{
  var dir = FileSpec(name: "dir", content: [])
  dir.directory = true
  return try KernelSystem(
    config: KernelConfig(
      profile: .v6_18, filesystem: Filesystem.named("ext4")!,
      files: [FileSpec(name: "data", content: [.remote]), dir],
      groups: [
        GroupSpec(name: "hsm", groupClass: .preContent, listener: ListenerLibrary.builtin("fill")),
        GroupSpec(name: "audit", groupClass: .notif, listener: nil),
      ],
      marks: [], tasks: [TaskSpec(name: "t", program: program, fdNames: ["fd"])]))
}

@Suite("fanotify_mark: ignore masks, removal and their refusals (6.18)")
struct MarkRequestTests {
  static let data = MarkObject.inode(file: 0)

  @Test(
    "each refusal in the kernel's order",
    arguments: [
      (
        MarkObject.inode(file: 0), EventMask.FAN_PRE_ACCESS,
        MarkFlags([.FAN_MARK_IGNORE, .FAN_MARK_IGNORED_MASK]), 0,
        KernelSystem.MarkOutcome.fail(.EINVAL)
      ),
      (.filesystem, .FAN_PRE_ACCESS, .FAN_MARK_IGNORE, 0, .fail(.EINVAL)),
      (.directory, [.FAN_PRE_ACCESS, .FAN_EVENT_ON_CHILD], .FAN_MARK_IGNORE, 0, .fail(.EISDIR)),
      (
        .inode(file: 0), [.FAN_PRE_ACCESS, .FAN_EVENT_ON_CHILD],
        [.FAN_MARK_IGNORE, .FAN_MARK_IGNORED_SURV_MODIFY], 0, .fail(.ENOTDIR)
      ),
      (.inode(file: 0), .FAN_PRE_ACCESS, .FAN_MARK_REMOVE, 0, .fail(.ENOENT)),
      (.inode(file: 0), .FAN_PRE_ACCESS, .FAN_MARK_IGNORE, 0, .apply),
      (.inode(file: 0), [], [], 0, .fail(.EINVAL)),
      (.inode(file: 0), .FAN_ACCESS_PERM, [], 1, .fail(.EINVAL)),
    ] as [(MarkObject, EventMask, MarkFlags, Int, KernelSystem.MarkOutcome)])
  func refusals(
    object: MarkObject, mask: EventMask, flags: MarkFlags, group: Int,
    outcome: KernelSystem.MarkOutcome
  ) throws {
    let system = try marker()
    let s = system.initialStates()[0]
    #expect(
      system.markOutcome(Mark(group: group, object: object, mask: mask), flags: flags, in: s)
        == outcome)
  }

  @Test("an ignore mask without SURV_MODIFY is skipped on a file open for write; EEXIST rules")
  func skipAndExist() throws {
    let system = try marker()
    var s = system.initialStates()[0]
    let req = Mark(group: 0, object: Self.data, mask: .FAN_PRE_ACCESS)
    s.inodes[0].writers = 1
    #expect(system.markOutcome(req, flags: .FAN_MARK_IGNORE, in: s) == .skip)
    s.applyMark(req, flags: [.FAN_MARK_IGNORE, .FAN_MARK_IGNORED_SURV_MODIFY])
    #expect(s.marks.first?.ignore == .FAN_PRE_ACCESS && s.marks.first?.mask == [])
    // The open-for-write check comes before the existing mark's (do_fanotify_mark's order).
    #expect(system.markOutcome(req, flags: .FAN_MARK_IGNORED_MASK, in: s) == .skip)
    s.inodes[0].writers = 0
    #expect(system.markOutcome(req, flags: .FAN_MARK_IGNORED_MASK, in: s) == .fail(.EEXIST))
    #expect(system.markOutcome(req, flags: .FAN_MARK_IGNORE, in: s) == .fail(.EEXIST))
  }

  @Test("removing the last bits destroys the mark; an ignore mark alone makes the file HSM")
  func removeAndMode() throws {
    let system = try marker()
    var s = system.initialStates()[0]
    let req = Mark(group: 0, object: Self.data, mask: .FAN_PRE_ACCESS)
    s.applyMark(req, flags: [.FAN_MARK_IGNORE, .FAN_MARK_IGNORED_SURV_MODIFY])
    #expect(system.openTimeMode(file: 0, in: s).0 == .hsm)
    s.applyMark(req, flags: [.FAN_MARK_REMOVE, .FAN_MARK_IGNORE])
    #expect(s.marks.isEmpty)
    #expect(system.openTimeMode(file: 0, in: s).0 == .noPerm)
  }
}
