import Exploration

/// The invariants of kernel-semantics §8 this model checks, by id.
extension KernelSystem {
  /// Property ids reported as known gaps (documented exemptions), not as violations.
  public static let gapPropertyIDs: Set<String> = ["I2-gap", "I4-gap"]

  /// The property a run reaches when a file would grow past its `max`: a bound of the model, so
  /// reaching it makes the run incomplete (never a violation, never a pass).
  public static let sizeBoundID = "size-bound"

  /// The `sometimes` properties whose "never reached" the engine reports as a violation, while
  /// neither reaching nor missing them is one: the known gaps and the size bound.
  public static let reachabilityIDs: Set<String> = gapPropertyIDs.union([sizeBoundID])

  /// Every property, in a fixed order. Each reads a `History` flag, which steps only ever set,
  /// so each is stable (what persistent sets need).
  public static let allProperties: [Property<KernelState>] = propertyList.map { $0.stable() }

  private static let propertyList: [Property<KernelState>] = [
    .always(
      "I1",
      "syscall coverage: data moves through an HSM-mode file only after every watching group allowed",
      { !$0.history.uncoveredTransfer }),
    .always(
      "I2", "no unnotified page: a read never returns stub content the listener did not fill",
      { !$0.history.unnotifiedRead }),
    .always(
      "I2-h",
      "historical I2 (fault-hook profiles): a fault maps a not-uptodate folio only after an allowed event, and readahead never makes a stub folio uptodate",
      { !$0.history.unnotifiedFault }),
    .sometimes(
      "I2-gap",
      "known gap I2(c): stub content read through an exempt file (opened before the mark, implicit allow)",
      { $0.history.gapRead }),
    .always(
      "I3",
      "lock-free emission: no event is emitted holding sb_writers, i_rwsem, invalidate_lock or mmap_lock",
      { !$0.history.lockedEmission }),
    .always(
      "I4",
      "listener silence: nothing done through an FMODE_NONOTIFY fd emits an event (but truncate)",
      { !$0.history.silentFdEmitted }),
    .sometimes(
      "I4-gap", "known gap B14: a truncate through an FMODE_NONOTIFY fd emits an event",
      { $0.history.silentFdTruncate }),
    .always(
      "I6", "answer discipline: every answer obeys §1.3 and the waiter sees its mapping",
      { !$0.history.answerDiscipline }),
    .always(
      "I7", "default mode: a file that skips the open-time decision is never in HSM mode",
      { !$0.history.defaultModeHSM }),
    .always(
      "I8",
      "group ordering: higher priority first; FAN_ACCESS_PERM only from reads, after every pre-content allow",
      { !$0.history.groupOrder }),
    .always(
      "I10",
      "exec write-deny balance: an HSM binary's i_writecount is untouched and never gives ETXTBSY",
      { !$0.history.execWriteDeny }),
    .always(
      "I11", "range soundness: every range record is page aligned and covers the access",
      { !$0.history.unsoundRange }),
    .always(
      "I12", "no events for directories: FAN_PRE_ACCESS is never delivered for a directory",
      { !$0.history.directoryEvent }),
    .always(
      "spurious",
      "no fault event for a page that is already uptodate where the hook promises missing pages only",
      { !$0.history.spuriousFaultEvent }),
    .always(
      "retry",
      "fault protocol: VM_FAULT_RETRY goes back with mmap_lock dropped, or to a NOWAIT caller (B10)",
      { !$0.history.retryLockHeld }),
    .always(
      "dispatch", "fault dispatch: a DAX inode's fault reaches its filesystem's DAX handler",
      { !$0.history.wrongDispatch }),
    .always(
      "returns", "every syscall returns what the scenario's `-> RESULT` says",
      { !$0.history.resultMismatch }),
  ]

  /// The two ids a deadlock is reported under, with what they mean: I5 when the wait-for graph
  /// has a cycle, I9 when the chain ends at a listener that will never answer.
  public static let deadlockKinds: [(id: String, summary: String)] = [
    ("I5", "deadlock freedom: no cycle of tasks waiting on locks, freeze or each other's answers"),
    ("I9", "termination: every waiter is eventually answered (no listener leaves it hanging)"),
  ]

  /// Reached when a file would grow past its `max`. Always checked, never listed with the
  /// properties: reports turn its witness into an incomplete run.
  public static let sizeBoundProperty = Property<KernelState>.sometimes(
    sizeBoundID,
    "model bound: a file would grow past the max its scenario declares (the run is incomplete)",
    { $0.history.sizeBound }
  ).stable()

  /// The ids of the `always`/`never` properties reported in some state of a path, in property
  /// order, then the `eventually` assertions the path breaks.
  public func violatedProperties(along states: [KernelState]) -> [String] {
    properties.filter { p in p.kind != .sometimes && states.contains { p.isReported(in: $0) } }
      .map(\.id)
      + config.assertions.filter { eventuallyFails($0, along: states) }.map(\.id)
  }

  /// Every property but the scenario's assertions reads a `History` flag alone, so without
  /// assertions the history's bits decide every report.
  public func propertySummary(of state: KernelState) -> UInt64? {
    config.assertions.isEmpty ? state.history.bits : nil
  }

  /// The properties a run checks: the selected ones (all by default) and the size bound.
  public var properties: [Property<KernelState>] {
    let selected = config.checkedProperties
    return Self.allProperties.filter { selected == nil || selected!.contains($0.id) }
      + assertionProperties + [Self.sizeBoundProperty]
  }
}
