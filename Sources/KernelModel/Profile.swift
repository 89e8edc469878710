/// A kernel version's semantics as data: a named preset of switches (design §3.3).
///
/// Paths consult switches, never version names. A scenario may override single switches with
/// `set NAME VALUE`: a reviewer's "what if".
public struct Profile: Hashable, Sendable {
  /// Where `filemap_fault` calls the pre-content hook (kernel-semantics §3.3).
  public enum FaultHook: String, Hashable, Sendable, CaseIterable {
    /// No fault hook (6.14 final and later: the mmap hook covers mappings).
    case none
    /// v2: at the top of every fault, before the page-cache lookup.
    case everyFault = "every-fault"
    /// v6 to 6.14-rc1: only when no uptodate folio is found after lookup and readahead, in
    /// `filemap_fault`'s `!folio_test_uptodate(folio)` branch. Read in v6 (14/17), v7 (15/18), v8
    /// (16/19), Jan Kara's v9 (15/19) and the 6.14-rc7 revert: the hunk is the same in all five
    /// (the gate `fsnotify_file_has_pre_content_watches` became `FMODE_FSNOTIFY_HSM` in v9). The
    /// v6 cover letter's "only when a page must be added" describes it with readahead suppressed
    /// (inferred).
    case notUptodate = "not-uptodate"
  }

  public var name: String
  /// One line on what this kernel is.
  public var summary: String
  /// Ranges are page aligned (v7+) rather than exact byte ranges (v2).
  public var pageAlignedRanges = true
  /// `process_access_response` validates responses (§1.3). Off is a mutation.
  public var responseValidation = true
  /// `rw_verify_area(WRITE)` has its pre-content hook. Off is a mutation (I1 must catch it).
  public var writeHook = true
  /// Hooks run before `file_start_write`/`inode_lock` (§4.1 L1, L3). Off is the D4 mutation:
  /// write, truncate and fallocate emit under `sb_writers` and `i_rwsem`.
  public var hooksBeforeLocks = true
  /// Listener event fds are FMODE_NONOTIFY (§2.5). Off is a mutation (I4 must catch it).
  public var eventFdNoNotify = true
  /// `vm_mmap_pgoff` emits one event for the mapped range (6.14-rc7 and later).
  public var mmapHook = true
  /// The mmap hook computes the offset as pgoff ÷ PAGE instead of × PAGE (B13, 6.14–6.17.3).
  public var mmapOffsetBug = false
  /// `do_ftruncate`/`vfs_truncate` emit a pre-content event (v6+).
  public var truncateHook = true
  /// A pre-content event with range (f_pos, 0) at open (v2 to v7, dropped in v8).
  public var openHook = false
  /// A read emits FAN_ACCESS_PERM before FAN_PRE_ACCESS (v2; the merged order is the reverse).
  public var accessPermFirst = false
  /// Where `filemap_fault` calls the pre-content hook.
  public var faultHook = FaultHook.none
  /// The fault hook asks for MAY_READ, so faults also emit FAN_ACCESS_PERM (v2; B4), instead of
  /// MAY_ACCESS (v3+).
  public var faultHookMayRead = false
  /// A denial of `filemap_fault`'s own hook sets VM_FAULT_SIGBUS and still leaves through
  /// `out_retry`, which returns `ret | VM_FAULT_RETRY`; the arch handler retries with
  /// FAULT_FLAG_TRIED, the hook is skipped, and the page is mapped: the denial is lost (B9). Read
  /// in `filemap_fault` of the v7 (patch 15/18, 12 Nov 2024), v8 (16/19) and v9 (Jan Kara's
  /// 15/19, 21 Nov 2024) postings of "fsnotify: generate pre-content permission event on page
  /// fault" and in the 6.14-rc7 revert; the `out_retry` exit itself is pre-existing mainline code
  /// (read as quoted on linux-mm in 2024), not part of the patches. The helper
  /// `filemap_fsnotify_fault` returns VM_FAULT_SIGBUS alone and loses nothing. v2's denial path
  /// was not re-read: off there.
  public var faultDenialLost = false
  /// A fault that may not drop `mmap_lock` (FAULT_FLAG_ALLOW_RETRY clear) on a not-uptodate folio
  /// returns VM_FAULT_RETRY without an event, still holding the lock, and `get_user_pages` pins
  /// 0 pages (B10). Read in `filemap_fault` of the v7 (12 Nov 2024), v8 and v9 (Jan Kara, 21 Nov
  /// 2024) postings of "fsnotify: generate pre-content permission event on page fault" and in the
  /// 6.14-rc7 revert: all four leave through `out_retry` when `maybe_unlock_mmap_for_io` keeps
  /// the lock. Off: VM_FAULT_SIGBUS without an event (v2's design, and that of the
  /// `filemap_fsnotify_fault` helper the DAX and xfs handlers call).
  public var noRetryFaultReturnsRetry = false
  /// Synchronous readahead on a page-cache miss of an HSM file, from reads
  /// (`page_cache_sync_ra`) and faults (`do_sync_mmap_readahead`); suppressed v2 to 6.14-rc1 (B5).
  public var syncReadahead = true
  /// Asynchronous readahead on a fault that hits (`do_async_mmap_readahead`); suppressed v2 to
  /// 6.14-rc1.
  public var asyncReadahead = true
  /// `force_page_cache_ra` (fadvise/madvise WILLNEED, readahead(2)) on an HSM file (never
  /// suppressed; B7 with the fault hooks of 6.14-rc1).
  public var forceReadahead = true
  /// `do_fault_around` maps already-uptodate neighbouring folios without calling ->fault (B6).
  public var faultAround = true
  /// `create_huge_pmd`/`wp_huge_pmd` return VM_FAULT_FALLBACK for HSM files, so a fault maps one
  /// page after a one-page event instead of a whole PMD (v2 to 6.14-rc1).
  public var hugeFaultFallback = false
  /// The fault hook drops `mmap_lock` before emitting (every fault-hook version). Off is the D3
  /// mutation: the event is emitted under `mmap_lock`.
  public var faultDropsMmapLock = true
  /// `filemap_fault`'s hook (v6 to 6.14-rc1), reached holding `invalidate_lock` (shared) and the
  /// folio lock of the not-uptodate folio, releases both before it drops `mmap_lock` and emits
  /// (read in v7 15/18, v9 15/19 and the 6.14-rc7 revert). Off is the D4 mutation: the event is
  /// emitted under them.
  public var faultDropsFolioLocks = true
  /// gfs2 and bcachefs opt in to HSM, with fault hooks in their own `->fault` (v2).
  public var fsFaultHooks = false
  /// Those hooks run before the filesystem's own fault lock (v2). Off is the D5 mutation.
  public var fsHookBeforeLock = true
  /// xfs DAX read faults go to `filemap_fault` instead of `xfs_dax_read_fault` (v2; B2).
  public var daxReadFaultViaFilemap = false
  /// ext4's and xfs's DAX read faults call `filemap_fsnotify_fault` before mapping the storage
  /// (`ext4_dax_huge_fault`'s non-write branch, `xfs_dax_read_fault`). Jan Kara's v9 added them
  /// (patches 16/19 and 18/19, read) and 6.14-rc1 kept them; the v7 posting has none (read: its
  /// 18 patches hook `filemap_fault` in 15/18 and `xfs_write_fault` in 16/18, whose message says
  /// reads "go through filemap_fault"). Off, a DAX read fault maps the storage with no event.
  /// Matters only with a fault hook.
  public var daxReadHooks = true
  /// `xfs_write_fault` calls `filemap_fsnotify_fault` only `if (IS_DAX(inode))`, where it is
  /// `->fault`'s write branch, not `->page_mkwrite` (Jan Kara's v9 16/19, read, as in 6.14-rc1's
  /// revert). Off: on every call, also from a non-DAX inode's `->page_mkwrite`, where
  /// `do_page_mkwrite`'s flags make the helper return VM_FAULT_SIGBUS (v7 16/18 and v8, read; v2,
  /// inferred; B11, see `xfsMkwriteHookFails`). Matters only with a fault hook.
  public var xfsWriteHookDaxOnly = true
  /// The helper `filemap_fsnotify_fault`, which DAX faults call, computes the event offset as
  /// `vmf->pgoff >> PAGE_SHIFT` instead of `<<` (B12). Read in the helper of v6 (14/17), v7
  /// (15/18), v8 (16/19), v9 (Jan Kara's 15/19) and the 6.14-rc7 revert: the line never changed.
  /// The model applies it where the helper is `->fault` or `->huge_fault` (DAX read faults, and
  /// `xfs_write_fault` for a DAX inode); v7's hook for non-DAX xfs stores never emits (B11). v2's
  /// helper was not re-read: off there.
  public var daxFaultOffsetBug = false
  /// A file that never reaches the open-time decision keeps f_mode 0, which means "HSM and every
  /// permission event" (6.14-rc1 before the default-mode fixes; B8). Off since 6.14-rc3.
  public var zeroFmodeHSM = false
  /// Groups are notified in priority order (PRE_CONTENT, CONTENT, NOTIF). Off is a mutation (I8).
  public var priorityOrder = true
  /// exec skips the write denial for HSM-mode binaries (§3.5, v9 and 6.14+).
  public var execHSMExemption = true
  /// Events on a directory reach only marks with FAN_ONDIR (§3.8). Off is a mutation (I12).
  public var ondirFilter = true

  public init(name: String, summary: String) {
    self.name = name
    self.summary = summary
  }

  /// Linux 6.18, the kernel of the development and CI machines.
  public static let v6_18 = Profile(
    name: "6.18", summary: "mainline 6.18: merged hooks, mmap hook with the offset fixed")

  /// Every preset, oldest first (kernel-semantics §6).
  public static let presets: [Profile] = {
    var v2 = Profile(
      name: "v2", summary: "Aug 2024 posting: a hook on every fault (MAY_READ), exact ranges")
    v2.pageAlignedRanges = false
    v2.mmapHook = false
    v2.truncateHook = false
    v2.openHook = true
    v2.accessPermFirst = true
    v2.faultHook = .everyFault
    v2.faultHookMayRead = true
    v2.syncReadahead = false
    v2.asyncReadahead = false
    v2.hugeFaultFallback = true
    v2.daxReadFaultViaFilemap = true
    // No DAX read hook: xfs sent DAX reads to filemap_fault (B2), ext4_dax_huge_fault had no hook
    // (inferred from v2's hook list in kernel-semantics §3.3; v2's text was not re-read).
    v2.daxReadHooks = false
    v2.xfsWriteHookDaxOnly = false
    v2.fsFaultHooks = true
    v2.execHSMExemption = false

    var v7 = Profile(
      name: "v7",
      summary: "Nov 2024: fault hook on a not-uptodate folio, page-aligned ranges, open hook")
    v7.mmapHook = false
    v7.openHook = true
    // filemap_fault of v7 (15/18, read) hooks where 6.14-rc1 does: after the lookup and the
    // (suppressed) readahead, holding invalidate_lock and the folio lock, released before emitting.
    v7.faultHook = .notUptodate
    v7.syncReadahead = false
    v7.asyncReadahead = false
    v7.hugeFaultFallback = true
    v7.execHSMExemption = false
    // filemap_fault of the v7 posting (read): a fault that may not drop mmap_lock jumps to
    // out_retry with no event, as in v8, v9 and 6.14-rc1 (B10).
    v7.noRetryFaultReturnsRetry = true
    // The same function (read in v7 15/18, v8 16/19, v9 15/19): a denial sets VM_FAULT_SIGBUS and
    // jumps to out_retry too, so the retry maps the page (B9), as in 6.14-rc1.
    v7.faultDenialLost = true
    // v7 has no DAX read hooks (read: none of its 18 patches touches a DAX read fault).
    v7.daxReadHooks = false
    // v7's 16/18 (read) hooks xfs_write_fault unconditionally: in ->page_mkwrite, SIGBUS (B11).
    v7.xfsWriteHookDaxOnly = false
    // v7's filemap_fsnotify_fault (15/18, read) already has pos = vmf->pgoff >> PAGE_SHIFT, as
    // v8 (16/19) and v9 (15/19) do (B12); v7's one DAX caller is xfs_write_fault (DAX stores).
    v7.daxFaultOffsetBug = true

    var v9 = v7
    v9.name = "v9"
    v9.summary = "Dec 2024: open hook dropped (v8), exec write-deny exemption"
    v9.openHook = false
    v9.execHSMExemption = true
    // Jan Kara's v9: filemap_fsnotify_fault in xfs_dax_read_fault (16/19) and in
    // ext4_dax_huge_fault's non-write branch (18/19), both read.
    v9.daxReadHooks = true
    // 16/19 (read) replaces v7's hook in xfs_write_fault with one under IS_DAX (B11 gone).
    v9.xfsWriteHookDaxOnly = true

    var rc1 = Profile(
      name: "6.14-rc1",
      summary: "merged Jan 2025: fault hook after lookup and readahead; reverted in 6.14-rc7")
    rc1.mmapHook = false
    rc1.faultHook = .notUptodate
    rc1.faultDenialLost = true
    rc1.noRetryFaultReturnsRetry = true
    rc1.syncReadahead = false
    rc1.asyncReadahead = false
    rc1.hugeFaultFallback = true
    rc1.daxFaultOffsetBug = true
    rc1.zeroFmodeHSM = true

    var v6_14 = Profile(
      name: "6.14",
      summary: "6.14 final: fault hooks reverted, mmap hook added (with the B13 offset bug)")
    v6_14.mmapOffsetBug = true

    var v6_17 = v6_14
    v6_17.name = "6.17"
    v6_17.summary = "6.17: fmode re-encoding; the mmap offset bug until 6.17.4"

    return [v2, v7, v9, rc1, v6_14, v6_17, .v6_18]
  }()

  public static func preset(named name: String) -> Profile? {
    presets.first { $0.name == name }
  }

  /// A switch a scenario may override: its name, its values and where it lives.
  public struct Switch: Sendable {
    public var name: String
    public var summary: String
    /// The values it takes (`on`/`off`, or an enum's raw values).
    public var values: [String]
    let get: @Sendable (Profile) -> String
    let set: @Sendable (inout Profile, String) -> Void

    public func value(in profile: Profile) -> String { get(profile) }

    static func flag(
      _ name: String, _ summary: String, _ keyPath: WritableKeyPath<Profile, Bool> & Sendable
    ) -> Switch {
      Switch(
        name: name, summary: summary, values: ["on", "off"],
        get: { $0[keyPath: keyPath] ? "on" : "off" },
        set: { $0[keyPath: keyPath] = $1 == "on" })
    }
  }

  /// The switches, in a fixed order.
  public static let switches: [Switch] = [
    .flag(
      "page-aligned-ranges", "range records are page aligned (v7+) instead of exact bytes (v2)",
      \.pageAlignedRanges),
    .flag(
      "response-validation", "process_access_response rejects invalid responses",
      \.responseValidation),
    .flag("write-hook", "rw_verify_area(WRITE) emits FAN_PRE_ACCESS", \.writeHook),
    .flag(
      "hooks-before-locks",
      "write/truncate/fallocate hooks run before sb_writers and i_rwsem (off: D4)",
      \.hooksBeforeLocks),
    .flag("event-fd-nonotify", "listener event fds are FMODE_NONOTIFY", \.eventFdNoNotify),
    .flag("mmap-hook", "mmap emits one event for the mapped range (6.14-rc7+)", \.mmapHook),
    .flag(
      "mmap-offset-bug", "mmap hook offset = pgoff / PAGE instead of pgoff * PAGE (B13)",
      \.mmapOffsetBug),
    .flag("truncate-hook", "truncate and ftruncate emit a pre-content event (v6+)", \.truncateHook),
    .flag("open-hook", "open emits a pre-content event with range (f_pos, 0) (v2-v7)", \.openHook),
    .flag(
      "access-perm-first", "a read emits FAN_ACCESS_PERM before FAN_PRE_ACCESS (v2)",
      \.accessPermFirst),
    Switch(
      name: "fault-hook",
      summary: "where filemap_fault calls the pre-content hook",
      values: FaultHook.allCases.map(\.rawValue), get: { $0.faultHook.rawValue },
      set: { $0.faultHook = FaultHook(rawValue: $1)! }),
    .flag(
      "fault-hook-may-read", "the fault hook asks MAY_READ, so faults emit FAN_ACCESS_PERM (B4)",
      \.faultHookMayRead),
    .flag(
      "fault-denial-lost",
      "a denied filemap_fault returns SIGBUS|RETRY and the retry maps the page (v7 to 6.14-rc1, B9)",
      \.faultDenialLost),
    .flag(
      "noretry-fault-returns-retry",
      "a fault that may not drop mmap_lock returns RETRY holding it, no event (v7 to 6.14-rc1, B10)",
      \.noRetryFaultReturnsRetry),
    .flag(
      "sync-readahead", "sync readahead on a miss of an HSM file, from reads and faults (B5)",
      \.syncReadahead),
    .flag(
      "async-readahead", "async readahead on a fault that hits an HSM file's folio",
      \.asyncReadahead),
    .flag(
      "force-readahead", "fadvise/madvise WILLNEED and readahead(2) populate HSM files (B7)",
      \.forceReadahead),
    .flag(
      "fault-around", "do_fault_around maps uptodate neighbours without ->fault (B6)",
      \.faultAround),
    .flag(
      "huge-fault-fallback",
      "huge faults of HSM files fall back to one-page faults (v2 to 6.14-rc1)",
      \.hugeFaultFallback),
    .flag(
      "fault-drops-mmap-lock", "the fault hook drops mmap_lock before emitting (off: D3)",
      \.faultDropsMmapLock),
    .flag(
      "fault-drops-folio-locks",
      "filemap_fault's hook releases invalidate_lock and the folio lock before emitting (off: D4)",
      \.faultDropsFolioLocks),
    .flag(
      "fs-fault-hooks", "gfs2 and bcachefs opt in, with hooks in their own ->fault (v2)",
      \.fsFaultHooks),
    .flag(
      "fs-hook-before-lock", "those hooks run before the filesystem's fault lock (off: D5)",
      \.fsHookBeforeLock),
    .flag(
      "dax-read-fault-via-filemap",
      "xfs DAX read faults go to filemap_fault, not xfs_dax_read_fault (v2, B2)",
      \.daxReadFaultViaFilemap),
    .flag(
      "dax-read-hooks",
      "ext4 and xfs DAX read faults call filemap_fsnotify_fault first (v9, 6.14-rc1)",
      \.daxReadHooks),
    .flag(
      "xfs-write-hook-dax-only",
      "xfs_write_fault's hook runs only for DAX inodes (v9, 6.14-rc1); off: ->page_mkwrite SIGBUS (B11)",
      \.xfsWriteHookDaxOnly),
    .flag(
      "dax-fault-offset-bug",
      "filemap_fsnotify_fault's offset on DAX faults is pgoff >> PAGE_SHIFT (v7 to 6.14-rc1, B12)",
      \.daxFaultOffsetBug),
    .flag(
      "zero-fmode-hsm", "files that skip the open-time decision are HSM (6.14-rc1, B8)",
      \.zeroFmodeHSM),
    .flag(
      "priority-order", "groups are notified by priority, PRE_CONTENT first", \.priorityOrder),
    .flag(
      "exec-hsm-exemption", "exec skips the write denial for HSM-mode binaries",
      \.execHSMExemption),
    .flag("ondir-filter", "directory events reach only marks with FAN_ONDIR", \.ondirFilter),
  ]

  /// The value of each switch, in `switches` order.
  public var switchValues: [(name: String, value: String)] {
    Self.switches.map { ($0.name, $0.value(in: self)) }
  }

  /// Sets one switch by name; returns an error message for an unknown switch or value.
  public mutating func set(_ name: String, to value: String) -> String? {
    guard let s = Self.switches.first(where: { $0.name == name }) else {
      let known = Self.switches.map(\.name).joined(separator: ", ")
      return "unknown profile switch '\(name)' (known: \(known))"
    }
    guard s.values.contains(value) else {
      return "\(name) takes \(s.values.joined(separator: " or ")), not '\(value)'"
    }
    s.set(&self, value)
    return nil
  }
}
