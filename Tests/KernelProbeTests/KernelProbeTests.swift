import KernelModel
import KernelProbe
import ListenerModels
import ScenarioRunner
import Testing

/// A listener that truncates the file through its own event fd before allowing (B14).
private struct TruncatingListener: ListenerModel {
  var name: String { "ftruncate-event-fd" }
  var summary: String { "ftruncate(event fd, i_size), then FAN_ALLOW" }
  func actions(for event: ListenerEvent) -> [ListenerAction] {
    [.ftruncateEventFd, .respond(Fanotify.FAN_ALLOW), .closeEventFd]
  }
}

/// True when the probe can run; otherwise prints why and the caller passes trivially.
private func probeAvailable() -> Bool {
  switch KernelProbe.availability() {
  case .available:
    return true
  case .unavailable(let reason):
    print("skipped: \(reason)")
    return false
  }
}

private func config(
  files: [FileSpec], listener: (any ListenerModel)?, groupClass: GroupClass = .preContent,
  marks: [Mark], program: [Syscall], filesystem: String = "ext4"
) -> KernelConfig {
  KernelConfig(
    profile: .v6_18, filesystem: Filesystem.named(filesystem)!, files: files,
    groups: [GroupSpec(name: "hsm", groupClass: groupClass, listener: listener)], marks: marks,
    tasks: [
      TaskSpec(name: "app", program: program.map { Instruction($0) }, fdNames: ["fd", "fd2"])
    ])
}

private func stub(_ pages: Int = 1) -> FileSpec {
  FileSpec(name: "stub", content: Array(repeating: .remote, count: pages))
}

private let preAccessMark = Mark(group: 0, object: .inode(file: 0), mask: .FAN_PRE_ACCESS)

private func preAccess(
  _ offset: Int, _ count: Int, instruction: Int, response: UInt32? = Fanotify.FAN_ALLOW,
  responseError: Errno? = nil
) -> ProbeEvent {
  ProbeEvent(
    group: 0, mask: .FAN_PRE_ACCESS, range: EventRange(offset: offset, count: count), task: 0,
    instruction: instruction, response: response, responseError: responseError, file: 0)
}

private func returned(_ v: Int) -> ProbeCall.Status { .returned(.value(v)) }

@Suite(.serialized) struct KernelProbeTests {
  @Test func availabilityIsReportedWithAReason() {
    let availability = KernelProbe.availability()
    if case .unavailable(let reason) = availability {
      print("skipped: \(reason)")
      #expect(!reason.isEmpty)
    } else {
      #expect(availability == .available)
    }
  }

  @Test func fillListenerServesAStubRead() throws {
    guard probeAvailable() else { return }
    let obs = try KernelProbe.run(
      config(
        files: [stub()], listener: ListenerLibrary.builtin("fill"), marks: [preAccessMark],
        program: [.open(file: 0, flags: [], slot: 0), .read(slot: 0, count: 4096)]))
    #expect(obs.events == [preAccess(0, 4096, instruction: 1)])
    #expect(obs.calls.count == 2)
    #expect(obs.calls[1].status == returned(4096))
    #expect(obs.calls[1].observed == [.filled])
    #expect(obs.privateFilesystem)
  }

  @Test func denyErrnoEIOFailsTheRead() throws {
    guard probeAvailable() else { return }
    let obs = try KernelProbe.run(
      config(
        files: [stub()], listener: ListenerLibrary.builtin("deny", ["EIO"]), marks: [preAccessMark],
        program: [.open(file: 0, flags: [], slot: 0), .read(slot: 0, count: 4096)]))
    #expect(
      obs.events == [
        preAccess(0, 4096, instruction: 1, response: Fanotify.FAN_DENY_ERRNO(.EIO))
      ])
    #expect(obs.calls[1].status == .returned(.error(.EIO)))
  }

  @Test func invalidDenyErrnoIsRejectedAndTheReaderBlocks() throws {
    guard probeAvailable() else { return }
    let obs = try KernelProbe.run(
      config(
        files: [stub()], listener: ListenerLibrary.builtin("deny", ["EINVAL"]),
        marks: [preAccessMark],
        program: [
          .open(file: 0, flags: [], slot: 0), .read(slot: 0, count: 4096),
          .read(slot: 0, count: 4096),
        ]), opTimeoutSeconds: 1)
    #expect(
      obs.events == [
        preAccess(
          0, 4096, instruction: 1, response: Fanotify.FAN_DENY_ERRNO(.EINVAL),
          responseError: .EINVAL)
      ])
    #expect(obs.calls.map(\.status) == [returned(3), .blocked, .notRun])
  }

  @Test func fileOpenedBeforeTheMarkSeesTheStub() throws {
    guard probeAvailable() else { return }
    let obs = try KernelProbe.run(
      config(
        files: [stub()], listener: ListenerLibrary.builtin("fill"), marks: [],
        program: [
          .open(file: 0, flags: [], slot: 0), .fanotifyMark(preAccessMark),
          .read(slot: 0, count: 4096),
        ]))
    #expect(obs.events.isEmpty)
    #expect(obs.calls[1].status == returned(0))
    #expect(obs.calls[2].status == returned(4096))
    #expect(obs.calls[2].observed == [.remote])
  }

  @Test func unalignedPreadReportsWholePages() throws {
    guard probeAvailable() else { return }
    let obs = try KernelProbe.run(
      config(
        files: [stub(2)], listener: ListenerLibrary.builtin("fill"), marks: [preAccessMark],
        program: [.open(file: 0, flags: [], slot: 0), .pread(slot: 0, offset: 4000, count: 200)]
      ))
    #expect(obs.events == [preAccess(0, 8192, instruction: 1)])
    #expect(obs.calls[1].status == returned(200))
    #expect(obs.calls[1].observed == [.filled, .filled])
    #expect(obs.calls[1].firstObservedPage == 0)
  }

  @Test func mmapReportsTheMappedFileRange() throws {
    guard probeAvailable() else { return }
    // LTP fanotify24: 2 pages at page 100 of a 102-page file; 6.18 fixed the offset (B13).
    let obs = try KernelProbe.run(
      config(
        files: [stub(102)], listener: ListenerLibrary.builtin("fill"), marks: [preAccessMark],
        program: [
          .open(file: 0, flags: [], slot: 0),
          .mmap(slot: 0, offset: 100 * 4096, length: 8192, map: 0),
        ]))
    #expect(obs.events == [preAccess(409_600, 8192, instruction: 1)])
    #expect(obs.calls[1].status == returned(0))
  }

  @Test func faultsAfterMmapAreSilentAndPastEOFIsSIGBUS() throws {
    guard probeAvailable() else { return }
    // A 2-page mapping of a 1-page file: one event at mmap; the load of page 0 sees the filled
    // page; page 1 is past EOF, so the load and the store get SIGBUS (caught by the probe).
    let obs = try KernelProbe.run(
      config(
        files: [stub(1)], listener: ListenerLibrary.builtin("fill"), marks: [preAccessMark],
        program: [
          .open(file: 0, flags: .O_RDWR, slot: 0),
          .mmap(slot: 0, offset: 0, length: 8192, map: 0),
          .load(map: 0, offset: 0), .load(map: 0, offset: 4096), .store(map: 0, offset: 4096),
        ]))
    #expect(obs.events == [preAccess(0, 8192, instruction: 1)])
    #expect(obs.calls[2].status == returned(0))
    #expect(obs.calls[2].observed == [.filled])
    #expect(obs.calls[3].status == .returned(.error(.SIGBUS)))
    #expect(obs.calls[4].status == .returned(.error(.SIGBUS)))
  }

  @Test func outsideTheVMAIsSIGSEGVAndAStoreWithoutPROTWRITEToo() throws {
    guard probeAvailable() else { return }
    // A 5000-byte mapping covers two pages: offset 4096 is inside (the file has 8 pages), 8192
    // is past the VMA (reported without touching memory). A store through the read-only
    // mapping of an O_RDONLY fd faults for real and is SIGSEGV too.
    let obs = try KernelProbe.run(
      config(
        files: [stub(8)], listener: ListenerLibrary.builtin("allow"), marks: [preAccessMark],
        program: [
          .open(file: 0, flags: [], slot: 0), .mmap(slot: 0, offset: 0, length: 5000, map: 0),
          .load(map: 0, offset: 4096), .load(map: 0, offset: 8192), .store(map: 0, offset: 0),
        ]))
    #expect(obs.events == [preAccess(0, 8192, instruction: 1)])
    #expect(
      obs.calls.map(\.status) == [
        returned(3), returned(0), returned(0), .returned(.error(.SIGSEGV)),
        .returned(.error(.SIGSEGV)),
      ])
  }

  @Test func filesHaveTheirExactByteSize() throws {
    guard probeAvailable() else { return }
    // 30000 bytes: the last page holds 1328 bytes, filled only that far; a size-0 file is empty.
    let partial = FileSpec(name: "partial", size: 30000, content: [.filled])
    let empty = FileSpec(name: "empty", size: 0, content: [])
    let obs = try KernelProbe.run(
      config(
        files: [partial, empty], listener: ListenerLibrary.builtin("allow"), marks: [preAccessMark],
        program: [
          .open(file: 0, flags: [], slot: 0), .pread(slot: 0, offset: 28672, count: 4096),
          .pread(slot: 0, offset: 30000, count: 4096), .open(file: 1, flags: [], slot: 1),
          .pread(slot: 1, offset: 0, count: 4096),
        ]))
    #expect(
      obs.calls.map(\.status) == [
        returned(3), returned(1328), returned(0), returned(4), returned(0),
      ]
    )
    #expect(obs.calls[1].observed == [.filled])
    #expect(obs.calls[1].firstObservedPage == 7)
    #expect(obs.notes.isEmpty)
    #expect(
      obs.events == [
        preAccess(28672, 4096, instruction: 1), preAccess(28672, 8192, instruction: 2),
      ])
  }

  @Test func filesGrowUpToTheirBound() throws {
    guard probeAvailable() else { return }
    // A pwrite at 100000 grows an 8-page stub to 100010 bytes; the pages it grew by are holes.
    let data = FileSpec(name: "stub", size: 32768, content: [.remote], maxSize: 100_010)
    let obs = try KernelProbe.run(
      config(
        files: [data], listener: ListenerLibrary.builtin("allow"), marks: [preAccessMark],
        program: [
          .open(file: 0, flags: .O_RDWR, slot: 0), .pwrite(slot: 0, offset: 100_000, count: 10),
          .pread(slot: 0, offset: 98304, count: 4096), .pread(slot: 0, offset: 0, count: 4096),
        ]))
    #expect(
      obs.calls.map(\.status) == [returned(3), returned(10), returned(1706), returned(4096)])
    #expect(obs.calls[2].observed == [.written])
    #expect(obs.calls[3].observed == [.remote])
    #expect(
      obs.events.map(\.range) == [
        EventRange(offset: 98304, count: 4096), EventRange(offset: 98304, count: 4096),
        EventRange(offset: 0, count: 4096),
      ])
  }

  @Test func fallocateModeWordsReachTheKernelUnchanged() throws {
    guard probeAvailable() else { return }
    // An unknown bit and PUNCH_HOLE without KEEP_SIZE fail in vfs_fallocate before the hook;
    // COLLAPSE_RANGE emits and shifts the file down a page (a stub page moves with it).
    let obs = try KernelProbe.run(
      config(
        files: [FileSpec(name: "stub", content: [.filled, .remote, .remote])],
        listener: ListenerLibrary.builtin("allow"), marks: [preAccessMark],
        program: [
          .open(file: 0, flags: .O_RDWR, slot: 0),
          .fallocate(slot: 0, mode: FallocateMode(rawValue: 0x100), offset: 0, length: 4096),
          .fallocate(slot: 0, mode: .FALLOC_FL_PUNCH_HOLE, offset: 0, length: 4096),
          .fallocate(slot: 0, mode: .FALLOC_FL_COLLAPSE_RANGE, offset: 0, length: 4096),
          .pread(slot: 0, offset: 0, count: 16384),
        ]))
    #expect(
      obs.calls.map(\.status) == [
        returned(3), .returned(.error(.EOPNOTSUPP)), .returned(.error(.EOPNOTSUPP)), returned(0),
        returned(8192),
      ])
    #expect(obs.calls[4].observed == [.remote, .remote])
    #expect(
      obs.events == [preAccess(0, 4096, instruction: 3), preAccess(0, 16384, instruction: 4)])
  }

  @Test func insertedAndCollapsedPagesKeepTheirClasses() throws {
    guard probeAvailable() else { return }
    // INSERT_RANGE at 0 moves both filled pages up a page behind a hole; they still read back
    // as filled (their own pattern). COLLAPSE_RANGE of the hole moves them back.
    let obs = try KernelProbe.run(
      config(
        files: [FileSpec(name: "data", content: [.filled, .filled])],
        listener: ListenerLibrary.builtin("allow"),
        marks: [preAccessMark],
        program: [
          .open(file: 0, flags: .O_RDWR, slot: 0),
          .fallocate(slot: 0, mode: .FALLOC_FL_INSERT_RANGE, offset: 0, length: 4096),
          .pread(slot: 0, offset: 0, count: 16384),
          .fallocate(slot: 0, mode: .FALLOC_FL_COLLAPSE_RANGE, offset: 0, length: 4096),
          .pread(slot: 0, offset: 0, count: 16384),
        ]))
    #expect(
      obs.calls.map(\.status) == [
        returned(3), returned(0), returned(12288), returned(0), returned(8192),
      ])
    #expect(obs.calls[2].observed == [.hole, .filled, .filled])
    #expect(obs.calls[4].observed == [.filled, .filled])
    #expect(obs.notes.isEmpty)
  }

  @Test func readaheadHintsEmitNothing() throws {
    guard probeAvailable() else { return }
    let obs = try KernelProbe.run(
      config(
        files: [stub(2)], listener: ListenerLibrary.builtin("fill"), marks: [preAccessMark],
        program: [
          .open(file: 0, flags: [], slot: 0),
          .fadviseWillneed(slot: 0, offset: 0, length: 8192),
          .readahead(slot: 0, offset: 0, count: 8192),
          .open(file: 0, flags: .O_WRONLY, slot: 1), .readahead(slot: 1, offset: 0, count: 4096),
        ]))
    #expect(obs.events.isEmpty)
    #expect(obs.calls[1].status == returned(0))
    #expect(obs.calls[2].status == returned(0))
    #expect(obs.calls[4].status == .returned(.error(.EBADF)))
  }

  @Test func ftruncateToAnAlignedSizeReportsCountZero() throws {
    guard probeAvailable() else { return }
    let obs = try KernelProbe.run(
      config(
        files: [stub(2)], listener: ListenerLibrary.builtin("fill"), marks: [preAccessMark],
        program: [.open(file: 0, flags: .O_RDWR, slot: 0), .ftruncate(slot: 0, length: 4096)]))
    #expect(obs.events == [preAccess(4096, 0, instruction: 1)])
    #expect(obs.calls[1].status == returned(0))
  }

  @Test func filesystemMarkWorksOnThePrivateFilesystem() throws {
    guard probeAvailable() else { return }
    let obs = try KernelProbe.run(
      config(
        files: [stub()], listener: ListenerLibrary.builtin("fill"),
        marks: [Mark(group: 0, object: .filesystem, mask: [.FAN_PRE_ACCESS, .FAN_OPEN_PERM])],
        program: [.open(file: 0, flags: [], slot: 0), .read(slot: 0, count: 4096)]))
    #expect(obs.privateFilesystem)
    #expect(obs.notes.isEmpty)
    let openPerm = ProbeEvent(
      group: 0, mask: .FAN_OPEN_PERM, range: nil, task: 0, instruction: 0,
      response: Fanotify.FAN_ALLOW, responseError: nil, file: 0)
    #expect(obs.events == [openPerm, preAccess(0, 4096, instruction: 1)])
    #expect(obs.calls[1].observed == [.filled])
  }

  @Test func listenerTruncatingItsEventFdWaitsOnItself() throws {
    guard probeAvailable() else { return }
    // B14/D6: the truncate hook ignores FMODE_NONOTIFY, so the listener's own ftruncate emits
    // FAN_PRE_ACCESS (range: the new size, count 0) to its own group and the listener stalls.
    let obs = try KernelProbe.run(
      config(
        files: [stub(2)], listener: TruncatingListener(), marks: [preAccessMark],
        program: [.open(file: 0, flags: [], slot: 0), .read(slot: 0, count: 4096)]),
      opTimeoutSeconds: 1)
    #expect(obs.calls.map(\.status) == [returned(3), .blocked])
    #expect(obs.events.count == 2)
    #expect(obs.events.first == preAccess(0, 4096, instruction: 1, response: nil))
    let own = obs.events.last
    #expect(own?.task == nil)
    #expect(own?.range == EventRange(offset: 8192, count: 0))
    #expect(own?.readAtTeardown == true)
  }

  @Test func tmpfsRefusesPreContentMarks() throws {
    guard probeAvailable() else { return }
    let obs = try KernelProbe.run(
      config(
        files: [stub()], listener: ListenerLibrary.builtin("fill"), marks: [],
        program: [.fanotifyMark(preAccessMark)], filesystem: "tmpfs"))
    #expect(obs.calls.map(\.status) == [.returned(.error(.EOPNOTSUPP))])
  }

  @Test func queueOverflowDropsTheEventAndAllowsTheAccess() throws {
    guard probeAvailable() else { return }
    // B17: with max_events 1 and nobody reading, the second reader's event overflows the queue:
    // it is dropped, the read is allowed (and sees the stub), one FAN_Q_OVERFLOW is queued.
    let reader = TaskSpec(
      name: "reader",
      program: [
        Instruction(.open(file: 0, flags: [], slot: 0)), Instruction(.read(slot: 0, count: 4096)),
      ], fdNames: ["fd"])
    let obs = try KernelProbe.run(
      KernelConfig(
        profile: .v6_18, filesystem: Filesystem.named("ext4")!, files: [stub()],
        groups: [GroupSpec(name: "g", groupClass: .preContent, listener: nil, queueLimit: 1)],
        marks: [preAccessMark], tasks: [reader, reader]), opTimeoutSeconds: 1)
    #expect(obs.calls.map(\.status) == [returned(3), .blocked, returned(3), returned(4096)])
    #expect(obs.calls[3].observed == [.remote])
    var queued = preAccess(0, 4096, instruction: 1, response: nil)
    queued.readAtTeardown = true
    let overflow = ProbeEvent(
      group: 0, mask: EventMask(rawValue: 0x4000), range: nil, task: nil, instruction: nil,
      response: nil, responseError: nil, file: nil, readAtTeardown: true)
    #expect(obs.events == [queued, overflow])
  }

  // MARK: exec (the probe copies /bin/true into the scenario file and execs it in a grandchild)

  @Test func execDeniedAtOpenPermFailsWithTheListenersErrno() throws {
    guard probeAvailable() else { return }
    // LTP fanotify24 case 0 with the script split in two groups: "hsm" allows everything on the
    // data file (OPEN_PERM|PRE_ACCESS) and watches the binary's content (PRE_ACCESS); "script"
    // marks only the binary with FAN_OPEN_PERM and answers FAN_DENY_ERRNO(EBUSY). (Two groups
    // both marking OPEN_PERM on the binary would be visited in kernel-address order.)
    let data = FileSpec(name: "fname", content: Array(repeating: .remote, count: 102))
    let binary = FileSpec(name: "exec_file", content: Array(repeating: .remote, count: 16))
    let task = TaskSpec(
      name: "child",
      program: [
        .open(file: 0, flags: .O_RDWR, slot: 0),
        .mmap(slot: 0, offset: 100 * 4096, length: 8192, map: 0),
        .pwrite(slot: 0, offset: 4096, count: 1), .pread(slot: 0, offset: 8192, count: 256),
        .close(slot: 0), .exec(file: 1),
      ].map { Instruction($0) }, fdNames: ["fd"])
    let obs = try KernelProbe.run(
      KernelConfig(
        profile: .v6_18, filesystem: Filesystem.named("ext4")!, files: [data, binary],
        groups: [
          GroupSpec(
            name: "hsm", groupClass: .preContent, listener: ListenerLibrary.builtin("allow")),
          GroupSpec(
            name: "script", groupClass: .preContent,
            listener: ListenerLibrary.builtin("deny", ["EBUSY"])),
        ],
        marks: [
          Mark(group: 0, object: .inode(file: 0), mask: [.FAN_OPEN_PERM, .FAN_PRE_ACCESS]),
          Mark(group: 0, object: .inode(file: 1), mask: .FAN_PRE_ACCESS),
          Mark(group: 1, object: .inode(file: 1), mask: .FAN_OPEN_PERM),
        ], tasks: [task]))
    #expect(
      obs.calls.map(\.status) == [
        returned(3), returned(0), returned(1), returned(256), returned(0),
        .returned(.error(.EBUSY)),
      ])
    let execEvents = obs.events.filter { $0.instruction == 5 }
    #expect(
      execEvents == [
        ProbeEvent(
          group: 1, mask: .FAN_OPEN_PERM, range: nil, task: 0, instruction: 5,
          response: Fanotify.FAN_DENY_ERRNO(.EBUSY), responseError: nil, file: 1)
      ])
    #expect(
      obs.events.filter { $0.instruction != 5 } == [
        ProbeEvent(
          group: 0, mask: .FAN_OPEN_PERM, range: nil, task: 0, instruction: 0,
          response: Fanotify.FAN_ALLOW, responseError: nil, file: 0),
        preAccess(409_600, 8192, instruction: 1), preAccess(4096, 4096, instruction: 2),
        preAccess(8192, 4096, instruction: 3),
      ])
  }

  @Test func execOfAPreContentWatchedBinaryOpenForWriteSucceeds() throws {
    guard probeAvailable() else { return }
    // LTP fanotify24 case 8: the binary is HSM, so exec skips the write denial (no ETXTBSY);
    // the header kernel_reads and the segment vm_mmaps each emit FAN_PRE_ACCESS.
    let binary = FileSpec(name: "exec_file", content: Array(repeating: .remote, count: 16))
    let obs = try KernelProbe.run(
      config(
        files: [binary], listener: ListenerLibrary.builtin("allow"), marks: [preAccessMark],
        program: [.open(file: 0, flags: .O_RDWR, slot: 0), .exec(file: 0)]))
    #expect(obs.calls.map(\.status) == [returned(3), returned(0)])
    #expect(obs.events.allSatisfy { $0.task == 0 && $0.instruction == 1 && $0.file == 0 })
    #expect(obs.events.allSatisfy { $0.mask == .FAN_PRE_ACCESS && $0.range != nil })
    #expect(obs.events.allSatisfy { $0.response == Fanotify.FAN_ALLOW })
    #expect(obs.events.count >= 1)
    // The first is the BINPRM_BUF_SIZE header read at offset 0.
    #expect(obs.events.first?.range == EventRange(offset: 0, count: 4096))
    print("exec events: \(obs.events.map { "\($0.range!.offset)/\($0.range!.count)" })")
  }

  @Test(arguments: [false, true])
  func execOfAnUnwatchedBinaryOpenForWriteFailsETXTBSY(directoryMark: Bool) throws {
    guard probeAvailable() else { return }
    // LTP fanotify24 case 7: a directory mark without FAN_EVENT_ON_CHILD does not make the
    // binary HSM, so exec's write denial meets the O_RDWR fd.
    let marks =
      directoryMark
      ? [Mark(group: 0, object: .directory, mask: [.FAN_PRE_ACCESS, .FAN_OPEN_EXEC_PERM])] : []
    let binary = FileSpec(name: "exec_file", content: Array(repeating: .remote, count: 16))
    let obs = try KernelProbe.run(
      config(
        files: [binary], listener: ListenerLibrary.builtin("allow"), marks: marks,
        program: [.open(file: 0, flags: .O_RDWR, slot: 0), .exec(file: 0)]))
    #expect(obs.calls.map(\.status) == [returned(3), .returned(.error(.ETXTBSY))])
    #expect(obs.events.isEmpty)
  }

  @Test func execWaitingOnAnUnreadGroupIsBlockedAndKilledAtTeardown() throws {
    guard probeAvailable() else { return }
    let binary = FileSpec(name: "exec_file", content: Array(repeating: .remote, count: 16))
    let obs = try KernelProbe.run(
      config(
        files: [binary], listener: nil,
        marks: [Mark(group: 0, object: .inode(file: 0), mask: .FAN_OPEN_PERM)],
        program: [.exec(file: 0), .exec(file: 0)]), opTimeoutSeconds: 1)
    #expect(obs.calls.map(\.status) == [.blocked, .notRun])
    #expect(
      obs.events == [
        ProbeEvent(
          group: 0, mask: .FAN_OPEN_PERM, range: nil, task: 0, instruction: 0, response: nil,
          responseError: nil, file: 0, readAtTeardown: true)
      ])
  }

  // MARK: splice (the task child's own pipe; S1 file → pipe, S2 pipe → file)

  @Test func spliceToPipeReportsWholePagesOfThePassedOffset() throws {
    guard probeAvailable() else { return }
    let obs = try KernelProbe.run(
      config(
        files: [stub(2)], listener: ListenerLibrary.builtin("fill"), marks: [preAccessMark],
        program: [
          .open(file: 0, flags: [], slot: 0), .spliceToPipe(slot: 0, offset: 4000, count: 100),
        ]))
    #expect(obs.events == [preAccess(0, 8192, instruction: 1)])
    #expect(obs.calls.map(\.status) == [returned(3), returned(100)])
    #expect(obs.calls[1].observed == [.filled, .filled])
    #expect(obs.calls[1].firstObservedPage == 0)
  }

  @Test func spliceFromPipeReportsTheWrittenPage() throws {
    guard probeAvailable() else { return }
    let obs = try KernelProbe.run(
      config(
        files: [stub(3)], listener: ListenerLibrary.builtin("fill"), marks: [preAccessMark],
        program: [
          .open(file: 0, flags: .O_RDWR, slot: 0),
          .spliceFromPipe(slot: 0, offset: 8192, count: 200),
        ]))
    #expect(obs.events == [preAccess(8192, 4096, instruction: 1)])
    #expect(obs.calls.map(\.status) == [returned(3), returned(200)])
    #expect(obs.calls[1].observed == nil)
  }

  @Test func spliceToPipeDeniedWithEIOFails() throws {
    guard probeAvailable() else { return }
    let obs = try KernelProbe.run(
      config(
        files: [stub(2)], listener: ListenerLibrary.builtin("deny", ["EIO"]),
        marks: [preAccessMark],
        program: [
          .open(file: 0, flags: [], slot: 0), .spliceToPipe(slot: 0, offset: 4000, count: 100),
        ]))
    #expect(
      obs.events == [
        preAccess(0, 8192, instruction: 1, response: Fanotify.FAN_DENY_ERRNO(.EIO))
      ])
    #expect(obs.calls[1].status == .returned(.error(.EIO)))
    #expect(obs.calls[1].observed == nil)
  }

  @Test func spliceToPipeAtEOFStillEmitsAndReturnsZero() throws {
    guard probeAvailable() else { return }
    // The range is not clamped to i_size: the hook runs before the read finds EOF.
    let obs = try KernelProbe.run(
      config(
        files: [stub(2)], listener: ListenerLibrary.builtin("fill"), marks: [preAccessMark],
        program: [
          .open(file: 0, flags: [], slot: 0), .spliceToPipe(slot: 0, offset: 8192, count: 4096),
        ]))
    #expect(obs.events == [preAccess(8192, 4096, instruction: 1)])
    #expect(obs.calls[1].status == returned(0))
  }

  @Test func spliceFromPipeBeyondThePipeLimitIsNotExpressible() {
    // Refused while building the plan, so this needs no probe.
    let program: [Syscall] = [
      .open(file: 0, flags: .O_RDWR, slot: 0),
      .spliceFromPipe(slot: 0, offset: 0, count: 1024 * 1024 + 1),
    ]
    do {
      _ = try KernelProbe.run(config(files: [stub()], listener: nil, marks: [], program: program))
      Issue.record("a splice from a pipe of more than 1 MiB was run")
    } catch {
      #expect(error.kind == .notExpressible)
    }
  }

  // MARK: notification events, exec deaths, the fanotify API

  @Test func notificationEventsAreReadOneByOneInOrder() throws {
    guard probeAvailable() else { return }
    // The auditor is drained after every instruction: two reads give two FAN_ACCESS (unread,
    // the kernel would have merged them), each after the HSM's FAN_PRE_ACCESS.
    var cfg = config(
      files: [stub(2)], listener: ListenerLibrary.builtin("fill"), marks: [preAccessMark],
      program: [
        .open(file: 0, flags: .O_RDWR, slot: 0), .pread(slot: 0, offset: 0, count: 100),
        .pread(slot: 0, offset: 4096, count: 100), .pwrite(slot: 0, offset: 0, count: 10),
        .close(slot: 0),
      ])
    cfg.groups.append(
      GroupSpec(name: "auditor", groupClass: .notif, listener: ListenerLibrary.builtin("allow")))
    cfg.marks.append(
      Mark(
        group: 1, object: .inode(file: 0),
        mask: [.FAN_OPEN, .FAN_ACCESS, .FAN_MODIFY, .FAN_CLOSE_WRITE]))
    let obs = try KernelProbe.run(cfg)
    func notice(_ mask: EventMask, _ instruction: Int) -> ProbeEvent {
      ProbeEvent(
        group: 1, mask: mask, range: nil, task: 0, instruction: instruction, response: nil,
        responseError: nil, file: 0)
    }
    #expect(
      obs.events.filter { $0.group == 1 } == [
        notice(.FAN_OPEN, 0), notice(.FAN_ACCESS, 1), notice(.FAN_ACCESS, 2),
        notice(.FAN_MODIFY, 3), notice(.FAN_CLOSE_WRITE, 4),
      ])
    #expect(
      obs.events.filter { $0.group == 0 } == [
        preAccess(0, 4096, instruction: 1), preAccess(4096, 4096, instruction: 2),
        preAccess(0, 4096, instruction: 3),
      ])
  }

  @Test func execKilledAfterThePointOfNoReturnIsReportedAndEndsTheTask() throws {
    guard probeAvailable() else { return }
    // A script answers by event order: the header reads allowed, the first segment's mapping
    // denied. The forced SIGSEGV kills the new image; the task runs nothing more.
    let binary = FileSpec(name: "prog", size: 35664, content: [.filled])
    let deny = Fanotify.FAN_DENY_ERRNO(.EIO)
    let obs = try KernelProbe.run(
      config(
        files: [binary],
        listener: ListenerLibrary.builtin("script", ["ALLOW", "ALLOW", "ALLOW", "EIO"]),
        marks: [preAccessMark],
        program: [.exec(file: 0), .open(file: 0, flags: [], slot: 0)]))
    #expect(obs.calls.map(\.status) == [.killed(signal: .SIGSEGV), .notRun])
    #expect(
      obs.events.map(\.response) == [
        Fanotify.FAN_ALLOW, Fanotify.FAN_ALLOW, Fanotify.FAN_ALLOW, deny,
      ])
    #expect(obs.events.last?.range == EventRange(offset: 0, count: 40960))
  }

  @Test(arguments: [false, true])
  func eventFdOfARunningBinaryFailsETXTBSY(fdError: Bool) throws {
    guard probeAvailable() else { return }
    // B20: the exec'd image stays loaded (stopped), so the binary denies writers; an O_RDWR
    // event fd cannot be created. With FAN_REPORT_FD_ERROR the listener reads the event with
    // -ETXTBSY as its fd; without, its read fails. Either way the reader gets EPERM.
    var cfg = config(
      files: [FileSpec(name: "prog", size: 35664, content: [.filled])],
      listener: ListenerLibrary.builtin("fill"),
      marks: [],
      program: [
        .exec(file: 0), .fanotifyMark(preAccessMark), .open(file: 0, flags: [], slot: 0),
        .read(slot: 0, count: 100),
      ])
    if fdError { cfg.groups[0].initFlags = .FAN_REPORT_FD_ERROR }
    let obs = try KernelProbe.run(cfg)
    #expect(
      obs.calls.map(\.status) == [
        returned(0), returned(0), returned(3), .returned(.error(.EPERM)),
      ])
    let event =
      fdError
      ? ProbeEvent(
        group: 0, mask: .FAN_PRE_ACCESS, range: EventRange(offset: 0, count: 4096), task: 0,
        instruction: 3, response: nil, responseError: nil, fdError: .ETXTBSY)
      : ProbeEvent(
        group: 0, mask: [], range: nil, task: nil, instruction: nil, response: nil,
        responseError: nil, fdError: .ETXTBSY, readFailed: true)
    #expect(obs.events == [event])
  }

  @Test func ignoreMasksAndMarkRemovalReachTheKernel() throws {
    guard probeAvailable() else { return }
    // A setup mark carrying an ignore mask is added as two fanotify_mark calls; removing the
    // ignore mask at run time brings the events back.
    var ignoring = Mark(group: 0, object: .inode(file: 0), mask: [])
    ignoring.ignore = .FAN_PRE_ACCESS
    ignoring.ignoreSurvivesModify = true
    ignoring.ignoreFlagsAPI = true
    let filled = FileSpec(name: "data", content: [.filled])
    let obs = try KernelProbe.run(
      config(
        files: [filled], listener: ListenerLibrary.builtin("fill"),
        marks: [Mark(group: 0, object: .filesystem, mask: .FAN_PRE_ACCESS), ignoring],
        program: [
          .open(file: 0, flags: [], slot: 0), .pread(slot: 0, offset: 0, count: 100),
          .fanotifyMark(
            Mark(group: 0, object: .inode(file: 0), mask: .FAN_PRE_ACCESS),
            flags: [.FAN_MARK_REMOVE, .FAN_MARK_IGNORE]),
          .pread(slot: 0, offset: 0, count: 100),
          .fanotifyMark(
            Mark(group: 0, object: .inode(file: 0), mask: .FAN_PRE_ACCESS),
            flags: .FAN_MARK_REMOVE),
        ]))
    #expect(
      obs.calls.map(\.status) == [
        returned(3), returned(100), returned(0), returned(100), .returned(.error(.ENOENT)),
      ])
    #expect(obs.events == [preAccess(0, 4096, instruction: 3)])
  }

  @Test func oversizedScenarioIsNotExpressible() {
    guard probeAvailable() else { return }
    let files = (0..<9).map { FileSpec(name: "f\($0)", content: [.remote]) }
    #expect(throws: ProbeError.self) {
      try KernelProbe.run(config(files: files, listener: nil, marks: [], program: []))
    }
  }

  /// Two runs on one session's filesystem, each read back after it: the fill fills exactly the
  /// stub bytes of an event's range, a write makes its bytes written, growth is holes.
  @Test func sessionRunsAndReadsFilesBack() throws {
    guard probeAvailable() else { return }
    let session = try ProbeSession()
    let partial = FileSpec(name: "stub", size: 6000, content: [.remote])
    let first = try KernelProbe.run(
      config(
        files: [partial], listener: ListenerLibrary.builtin("fill"), marks: [preAccessMark],
        program: [
          .open(file: 0, flags: .O_RDWR, slot: 0), .pwrite(slot: 0, offset: 0, count: 100),
          .pread(slot: 0, offset: 4096, count: 100),
        ]), session: session)
    #expect(first.calls.map(\.status) == [returned(3), returned(100), returned(100)])
    #expect(first.finalFiles == [0: FileSnapshot(size: 6000, pages: [.written, .filled])])
    let second = try KernelProbe.run(
      config(
        files: [FileSpec(name: "stub", size: 4096, content: [.filled], maxSize: 10000)],
        listener: nil, marks: [],
        program: [.open(file: 0, flags: .O_RDWR, slot: 0), .ftruncate(slot: 0, length: 10000)]),
      session: session)
    #expect(second.privateFilesystem)
    #expect(second.finalFiles == [0: FileSnapshot(size: 10000, pages: [.filled, .hole, .hole])])
    try session.close()
  }
}
