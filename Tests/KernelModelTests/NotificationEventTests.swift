import Exploration
import KernelModel
import ListenerModels
import Testing

/// A stub file `data` (and `other`), an HSM that fills, and an auditor group of class notif with
/// no listener (its events stay queued, so merging shows) or a queue limit.
private func audited(
  _ program: [Instruction], tasks: Int = 1, queue: Int? = nil,
  hsmListener: any ListenerModel =
    FillListener()
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
    #expect(s.groups[1].overflowed)
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
        ], hsmListener: DenyListener(errno: .EIO)))
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
