import Exploration
import KernelModel
import ListenerModels
import ScenarioRunner
import Testing

/// One stub file `data` of `pages` pages (DAX if asked) watched by an HSM (filling unless told
/// otherwise), one task running `program` on `profile`.
private func faulter(
  _ profile: String, pages: Int = 1, dax: Bool = false, filesystem: String = "ext4",
  listener: any ListenerModel = ListenerLibrary.builtin("fill"), program: [Instruction]
) throws -> KernelSystem {
  var file = FileSpec(name: "data", content: Array(repeating: .remote, count: pages))
  file.dax = dax
  return try KernelSystem(
    config: KernelConfig(
      profile: Profile.preset(named: profile)!, filesystem: Filesystem.named(filesystem)!,
      files: [file],
      groups: [GroupSpec(name: "hsm", groupClass: .preContent, listener: listener)],
      marks: [Mark(group: 0, object: .inode(file: 0), mask: .FAN_PRE_ACCESS)],
      tasks: [TaskSpec(name: "t", program: program, fdNames: ["fd"], mapNames: ["m"])]))
}

private let page = Fanotify.pageSize

/// Open `data`, map its page, load it.
private let mapAndLoad: [Instruction] = [
  Instruction(.open(file: 0, flags: [], slot: 0)),
  Instruction(.mmap(slot: 0, offset: 0, length: page, map: 0)),
  Instruction(.load(map: 0, offset: 0)),
]

@Suite("Page-fault history: B9 and B10 per profile")
struct FaultHistoryTests {
  @Test(
    "a denied filemap_fault event: v2 gives SIGBUS, v7 to 6.14-rc1 lose it and map the stub (B9)",
    arguments: [("v2", false), ("v7", true), ("v9", true), ("6.14-rc1", true)])
  func deniedFault(profile: String, lost: Bool) throws {
    // v2 and v7 also emit at open (range f_pos, 0): allow that one, deny the fault's.
    let deny = Fanotify.FAN_DENY_ERRNO(.EIO)
    let script = Profile.preset(named: profile)!.openHook ? [Fanotify.FAN_ALLOW, deny] : [deny]
    let system = try faulter(
      profile, listener: ListenerLibrary.builtin("script", script.map(ProgramListener.word)),
      program: mapAndLoad)
    let (s, steps) = runDeterministically(system)
    let faultEvents = queued(steps.filter { $0.instruction == 2 })
    #expect(faultEvents.count == 1)
    #expect(faultEvents.first?.0 == .FAN_PRE_ACCESS)
    #expect(returns(steps).last == (lost ? .value(0) : .error(.SIGBUS)))
    #expect(s.tasks[0].maps[0]!.ptes == (lost ? 1 : 0))
    #expect(s.history.unnotifiedFault == lost)
    #expect(s.history.unnotifiedRead == lost)
  }

  @Test(
    "a fault that may not drop mmap_lock: v2 fails it, v7 to 6.14-rc1 return RETRY holding it",
    arguments: [
      ("v2", false), ("v7", true), ("v9", true), ("6.14-rc1", true),
    ])
  func noRetryFault(profile: String, returnsRetry: Bool) throws {
    let system = try faulter(
      profile,
      program: [
        Instruction(.open(file: 0, flags: [], slot: 0)),
        Instruction(.mmap(slot: 0, offset: 0, length: page, map: 0)),
        Instruction(.load(map: 0, offset: 0, flags: .noRetry)),
      ])
    let (s, steps) = runDeterministically(system)
    #expect(returns(steps).last == .error(returnsRetry ? .EAGAIN : .EFAULT))
    #expect(s.history.retryLockHeld == returnsRetry)
    #expect(s.tasks[0].maps[0]!.ptes == 0)
    // No event from the fault: v2 and v7 emit at open only (their open hook), never here.
    #expect(queued(steps.filter { $0.instruction == 2 }).isEmpty)
  }
}

@Suite("Page-fault history: DAX write faults at PTE order")
struct DaxWriteFaultTests {
  private let store: [Instruction] = [
    Instruction(.open(file: 0, flags: .O_RDWR, slot: 0)),
    Instruction(.mmap(slot: 0, offset: 0, length: page, map: 0)),
    Instruction(.store(map: 0, offset: 0)),
  ]

  @Test("an ext4 DAX store runs ext4_dax_huge_fault's write branch, no hook in 6.14-rc1 (I2-h)")
  func ext4StoreUnhooked() throws {
    let (s, steps) = runDeterministically(try faulter("6.14-rc1", dax: true, program: store))
    #expect(queued(steps).isEmpty)
    let functions = steps.map(\.kernelFunction)
    let start = functions.firstIndex(of: "sb_start_pagefault")
    let lock = functions.firstIndex(of: "filemap_invalidate_lock_shared")
    let map = functions.firstIndex(of: "dax_iomap_fault → dax_iomap_pte_fault")
    #expect(start != nil && lock != nil && map != nil && start! < lock! && lock! < map!)
    #expect(!functions.contains { $0.contains("page_mkwrite") })
    #expect(s.tasks[0].maps[0]!.ptes == 1)
    #expect(s.inodes[0].content.byte(0) == .written)
    #expect(s.history.unnotifiedFault)
  }

  @Test("an xfs DAX store asks the HSM in xfs_write_fault first (6.14-rc1), then maps filled data")
  func xfsStoreHooked() throws {
    let (s, steps) = runDeterministically(
      try faulter("6.14-rc1", dax: true, filesystem: "xfs", program: store))
    #expect(queued(steps).count == 1)
    #expect(steps.contains { $0.effect == .helperHook(file: 0, page: 0) })
    #expect(s.tasks[0].maps[0]!.ptes == 1)
    #expect(!s.history.unnotifiedFault)
  }

  @Test("on 6.18 the mmap hook fills the page; the DAX store emits nothing more")
  func mainlineStore() throws {
    let (s, steps) = runDeterministically(try faulter("6.18", dax: true, program: store))
    #expect(queued(steps).count == 1)  // the mmap hook's
    #expect(s.tasks[0].maps[0]!.ptes == 1)
    #expect(returns(steps).last == .value(0))
  }
}

@Suite("Page-fault history: DAX read hooks per profile")
struct DaxReadHookTests {
  @Test(
    "an ext4 DAX read fault asks the HSM from v9 on; v2 and v7 map the stub storage unasked",
    arguments: [("v2", false), ("v7", false), ("v9", true), ("6.14-rc1", true)])
  func daxReadHook(profile: String, hooked: Bool) throws {
    #expect(Profile.preset(named: profile)!.daxReadHooks == hooked)
    let (s, steps) = runDeterministically(try faulter(profile, dax: true, program: mapAndLoad))
    let faultEvents = queued(steps.filter { $0.instruction == 2 })
    #expect(faultEvents.count == (hooked ? 1 : 0))
    #expect(steps.contains { $0.effect == .helperHook(file: 0, page: 0) } == hooked)
    #expect(s.tasks[0].maps[0]!.ptes == 1)
    #expect(s.inodes[0].content.pageContents == [hooked ? .filled : .remote])
    #expect(s.history.unnotifiedFault == !hooked)
    #expect(s.history.unnotifiedRead == !hooked)
  }
}

@Suite("Page-fault history: xfs's write-fault hook per profile (B11)")
struct XfsWriteHookTests {
  @Test(
    "a store to an uptodate xfs page: v2 and v7's hook in ->page_mkwrite gives SIGBUS (B11), v9 and 6.14-rc1 write",
    arguments: [("v2", true), ("v7", true), ("v9", false), ("6.14-rc1", false)])
  func storeToUptodatePage(profile: String, sigbus: Bool) throws {
    #expect(Profile.preset(named: profile)!.xfsWriteHookDaxOnly == !sigbus)
    let system = try faulter(
      profile, filesystem: "xfs",
      program: [
        Instruction(.open(file: 0, flags: .O_RDWR, slot: 0)),
        Instruction(.pread(slot: 0, offset: 0, count: 100)),
        Instruction(.mmap(slot: 0, offset: 0, length: page, map: 0)),
        Instruction(.store(map: 0, offset: 0)),
      ])
    let (s, steps) = runDeterministically(system)
    // do_page_mkwrite's flags leave the helper no way to drop mmap_lock: no event, SIGBUS.
    #expect(queued(steps.filter { $0.instruction == 3 }).isEmpty)
    #expect(steps.contains { $0.effect == .helperFailed(file: 0, page: 0) } == sigbus)
    #expect(!s.history.spuriousFaultEvent)
    #expect(returns(steps).last == (sigbus ? .error(.SIGBUS) : .value(0)))
    #expect((s.inodes[0].content.byte(0) == .written) == !sigbus)
  }

  @Test(
    "a second store to the mapped page (wp_page_shared → do_page_mkwrite) fails the same way in v7")
  func storeToMappedPage() throws {
    let system = try faulter(
      "v7", filesystem: "xfs",
      program: [
        Instruction(.open(file: 0, flags: .O_RDWR, slot: 0)),
        Instruction(.mmap(slot: 0, offset: 0, length: page, map: 0)),
        Instruction(.load(map: 0, offset: 0)),
        Instruction(.store(map: 0, offset: 0)),
      ])
    let (s, steps) = runDeterministically(system)
    #expect(queued(steps.filter { $0.instruction == 2 }).count == 1)  // filemap_fault's hook
    #expect(queued(steps.filter { $0.instruction == 3 }).isEmpty)
    #expect(returns(steps).last == .error(.SIGBUS))
    #expect(s.tasks[0].maps[0]!.hasPTE(0))
    #expect(s.inodes[0].content.byte(0) != .written)
  }

  @Test("a store to a missing non-DAX xfs page in v9 asks through filemap_fault's hook, once")
  func storeToMissingPage() throws {
    let system = try faulter(
      "v9", filesystem: "xfs",
      program: [
        Instruction(.open(file: 0, flags: .O_RDWR, slot: 0)),
        Instruction(.mmap(slot: 0, offset: 0, length: page, map: 0)),
        Instruction(.store(map: 0, offset: 0)),
      ])
    let (s, steps) = runDeterministically(system)
    #expect(queued(steps).count == 1)
    #expect(steps.contains { $0.effect == .faultHook(file: 0, page: 0) })
    #expect(!s.history.spuriousFaultEvent && !s.history.unnotifiedFault)
    #expect(s.inodes[0].content.byte(0) == .written)
  }
}

@Suite("Page-fault history: which hook a denied fault event came from")
struct FaultDenialSiteTests {
  @Test(
    "a denied DAX read fault (filemap_fsnotify_fault) gives SIGBUS even where B9 loses filemap_fault's",
    arguments: ["v9", "6.14-rc1"])
  func daxDenialLoad(profile: String) throws {
    #expect(Profile.preset(named: profile)!.faultDenialLost)
    let system = try faulter(
      profile, dax: true, listener: ListenerLibrary.builtin("deny", ["EIO"]), program: mapAndLoad)
    let (s, steps) = runDeterministically(system)
    #expect(queued(steps).count == 1)
    #expect(
      steps.contains {
        $0.effect == .faultDenied(group: 0, errno: .EIO, site: .fsnotifyHelper, lost: false)
      })
    #expect(returns(steps).last == .error(.SIGBUS))
    #expect(s.tasks[0].maps[0]!.ptes == 0)
    #expect(!s.history.unnotifiedFault && !s.history.unnotifiedRead)
  }

  @Test("a denied DAX fault on a syscall's user buffer is a short copy: pwrite gets EFAULT")
  func daxDenialUserBuffer() throws {
    var data = FileSpec(name: "data", content: [.remote])
    data.dax = true
    let system = try KernelSystem(
      config: KernelConfig(
        profile: Profile.preset(named: "6.14-rc1")!, filesystem: Filesystem.named("ext4")!,
        files: [data, FileSpec(name: "out", content: [.filled])],
        groups: [
          GroupSpec(
            name: "hsm", groupClass: .preContent, listener: ListenerLibrary.builtin("deny", ["EIO"])
          )
        ],
        marks: [Mark(group: 0, object: .inode(file: 0), mask: .FAN_PRE_ACCESS)],
        tasks: [
          TaskSpec(
            name: "t",
            program: [
              Instruction(.open(file: 0, flags: [], slot: 0)),
              Instruction(.mmap(slot: 0, offset: 0, length: page, map: 0)),
              Instruction(.open(file: 1, flags: .O_WRONLY, slot: 1)),
              Instruction(
                .pwriteFromMap(slot: 1, offset: 0, count: 100, map: 0, mapOffset: 0)),
            ], fdNames: ["fd", "out"], mapNames: ["m"])
        ]))
    let (s, steps) = runDeterministically(system)
    #expect(queued(steps).count == 1)
    #expect(returns(steps).last == .error(.EFAULT))
    #expect(s.tasks[0].maps[0]!.ptes == 0)
    #expect(!s.history.unnotifiedFault)
  }

  @Test("filemap_fault's denied event is lost where B9 is on, and says so")
  func filemapDenialNarrated() throws {
    let system = try faulter(
      "6.14-rc1", listener: ListenerLibrary.builtin("deny", ["EIO"]), program: mapAndLoad)
    let (_, steps) = runDeterministically(system)
    #expect(
      steps.contains {
        $0.effect == .faultDenied(group: 0, errno: .EIO, site: .filemapFault, lost: true)
      })
  }
}

@Suite("Page-fault history: filemap_fsnotify_fault's offset per profile (B12)")
struct HelperOffsetTests {
  /// Open `data` (read-write if `write`), map two pages, then load or store page 1.
  private func touchPage1(write: Bool) -> [Instruction] {
    [
      Instruction(.open(file: 0, flags: write ? .O_RDWR : [], slot: 0)),
      Instruction(.mmap(slot: 0, offset: 0, length: 2 * page, map: 0)),
      Instruction(write ? .store(map: 0, offset: page) : .load(map: 0, offset: page)),
    ]
  }

  @Test(
    "an ext4 DAX load of page 1 reports offset 0 in v9 and 6.14-rc1; v2 and v7 have no DAX read hook",
    arguments: [("v2", nil), ("v7", nil), ("v9", 0), ("6.14-rc1", 0), ("6.18", nil)]
      as [(String, Int?)])
  func daxLoad(profile: String, offset: Int?) throws {
    let (s, steps) = runDeterministically(
      try faulter(profile, pages: 2, dax: true, program: touchPage1(write: false)))
    let faultEvents = queued(steps.filter { $0.instruction == 2 })
    #expect(faultEvents.map { $0.1?.offset } == (offset.map { [$0] } ?? []))
    #expect(s.history.unsoundRange == (offset != nil))
  }

  @Test(
    "an xfs DAX store to page 1 reports offset 0 from v7 to 6.14-rc1; v2's hook reports page 1",
    arguments: [("v2", page), ("v7", 0), ("v9", 0), ("6.14-rc1", 0)])
  func xfsDaxStore(profile: String, offset: Int) throws {
    #expect(Profile.preset(named: profile)!.daxFaultOffsetBug == (offset == 0))
    let (s, steps) = runDeterministically(
      try faulter(
        profile, pages: 2, dax: true, filesystem: "xfs", program: touchPage1(write: true)))
    let faultEvents = queued(steps.filter { $0.instruction == 2 })
    #expect(faultEvents.map { $0.1?.offset } == [offset])
    #expect(steps.contains { $0.effect == .helperHook(file: 0, page: 1) })
    #expect(s.history.unsoundRange == (offset == 0))
    #expect(s.history.unnotifiedFault == (offset == 0))  // page 1 mapped while still a stub
  }

  @Test(
    "v7's non-DAX xfs store: filemap_fault's event reports the page, then ->page_mkwrite's hook SIGBUS (B11)"
  )
  func xfsPageCacheStore() throws {
    let (s, steps) = runDeterministically(
      try faulter("v7", pages: 2, filesystem: "xfs", program: touchPage1(write: true)))
    #expect(queued(steps.filter { $0.instruction == 2 }).map { $0.1?.offset } == [page])
    #expect(!s.history.unsoundRange && !s.history.unnotifiedFault)
    #expect(steps.contains { $0.effect == .helperFailed(file: 0, page: 1) })
    #expect(returns(steps).last == .error(.SIGBUS))
    #expect(s.inodes[0].content.pageContents == [.remote, .filled])
  }
}

@Suite("Page-fault history: where filemap_fault's hook sits per profile")
struct FilemapFaultHookPlacementTests {
  @Test(
    "v7, v9 and 6.14-rc1 reach the hook holding invalidate_lock and the folio lock and drop both, then mmap_lock, before emitting; v2 holds neither",
    arguments: [("v2", false), ("v7", true), ("v9", true), ("6.14-rc1", true)])
  func locksAtHook(profile: String, folioLocks: Bool) throws {
    let (_, steps) = runDeterministically(try faulter(profile, program: mapAndLoad))
    let fault = steps.filter { $0.instruction == 2 }
    let firstEvent = try #require(
      fault.firstIndex { if case .queued = $0.effect { true } else { false } })
    let folio = KernelLock.folio_lock(file: 0, page: 0)
    let invalidate = KernelLock.invalidate_lock(file: 0)
    let locking = fault[..<firstEvent].map(\.effect).filter {
      switch $0 {
      case .locked, .unlocked: true
      default: false
      }
    }
    let held: [StepEffect] =
      folioLocks
      ? [.locked(invalidate), .locked(folio), .unlocked(folio), .unlocked(invalidate)] : []
    #expect(locking == [.locked(.mmap_lock)] + held + [.unlocked(.mmap_lock)])
  }

  @Test(
    "with readahead on, v9's and 6.14-rc1's hook comes after it and never fires for the faulting page",
    arguments: ["v9", "6.14-rc1"])
  func readaheadFirst(profile: String) throws {
    var p = Profile.preset(named: profile)!
    #expect(!p.syncReadahead)
    #expect(p.set("sync-readahead", to: "on") == nil)
    let file = FileSpec(name: "data", content: [.remote])
    let system = try KernelSystem(
      config: KernelConfig(
        profile: p, filesystem: Filesystem.named("ext4")!, files: [file],
        groups: [
          GroupSpec(name: "hsm", groupClass: .preContent, listener: ListenerLibrary.builtin("fill"))
        ],
        marks: [Mark(group: 0, object: .inode(file: 0), mask: .FAN_PRE_ACCESS)],
        tasks: [TaskSpec(name: "t", program: mapAndLoad, fdNames: ["fd"], mapNames: ["m"])]))
    let (s, steps) = runDeterministically(system)
    #expect(queued(steps).isEmpty)
    #expect(s.history.unnotifiedFault && s.history.unnotifiedRead)
  }
}
