import Exploration
import KernelModel

/// Explains a state where tasks that must finish can no longer move: one wait-for graph mixing
/// lock waits, waits on a listener's answer and freeze waits, printed in lockdep's shape.
///
/// A task waiting in `fanotify_get_response` waits for its group's listener; a task blocked on
/// `i_rwsem`/`invalidate_lock` waits for the holders; a task blocked in `sb_start_write` waits for
/// the freezer; a freezer in `sb_wait_write` waits for every task inside `sb_writers`. A cycle is a
/// DEADLOCK; a chain that ends at a listener that will never answer is a HANG.
public struct DeadlockReport: Sendable {
  public let narrator: Narrator

  public init(narrator: Narrator) { self.narrator = narrator }

  /// Why a task cannot move.
  public struct Wait: Hashable, Sendable {
    public var task: Int
    /// The kernel function it sleeps in.
    public var function: String
    /// What it waits for.
    public var what: String
    /// The tasks it waits for.
    public var targets: [Int]
  }

  var system: KernelSystem { narrator.system }

  /// The wait of task `t` in `s`, or nil when it is not blocked.
  public func wait(of t: Int, in s: KernelState) -> Wait? {
    let ts = s.tasks[t]
    if ts.killed { return nil }
    guard let step = ts.path.first else {
      guard let g = system.listenerGroup(ofTask: t) else { return nil }
      _ = g
      return nil  // an idle listener waits for events, not for a task
    }
    switch step {
    case .awaitResponse:
      guard let p = ts.pending else { return nil }
      if case .answered = p.status { return nil }
      // Any of the group's worker threads could answer: the waiter waits for them all.
      let listeners = system.listenerTasks(ofGroup: p.group)
      let status: String
      switch p.status {
      case .queued: status = "queued, not yet read"
      case .reported(let fd): status = "read as event fd \(fd), unanswered"
      case .answered: status = "answered"
      }
      return Wait(
        task: t, function: "fanotify_get_response",
        what: "an answer from \(narrator.groupName(p.group)) to \(p.mask) "
          + "(\(narrator.rangeText(p.range))): \(status)",
        targets: listeners)
    case .lock(let lock, let exclusive):
      switch lock {
      case .i_rwsem(let f), .invalidate_lock(let f):
        let sem = lock == .i_rwsem(file: f) ? s.inodes[f].iRwsem : s.inodes[f].invalidateLock
        guard !sem.isAvailable(exclusive: exclusive) else { return nil }
        return Wait(
          task: t, function: KernelSystemNames.lock(lock), what: narrator.lockText(lock),
          targets: sem.holders)
      case .sb_writers:
        switch s.sb.freeze {
        case .unfrozen: return nil
        case .freezing(let by), .frozen(let by):
          return Wait(
            task: t, function: "sb_start_write",
            what: "sb_writers: \(s.sb.freeze.isFrozen ? "frozen" : "freeze in progress") by "
              + system.taskName(by),
            targets: [by])
        }
      case .folio_lock, .daemon_mutex:
        guard let holder = system.holder(of: lock, blocking: t, in: s) else { return nil }
        return Wait(
          task: t, function: KernelSystemNames.lock(lock), what: narrator.lockText(lock),
          targets: [holder])
      case .f_pos_lock, .mmap_lock, .cred_guard_mutex, .fs_fault_lock:
        return nil
      }
    case .writeFolio(let f, let p):
      let lock = KernelLock.folio_lock(file: f, page: p)
      guard let holder = system.folioLockHolder(lock, except: t, in: s) else { return nil }
      return Wait(
        task: t, function: "generic_perform_write → write_begin → folio_lock",
        what: narrator.lockText(lock), targets: [holder])
    case .freezeWait:
      guard !s.sb.writers.isEmpty else { return nil }
      return Wait(
        task: t, function: "sb_wait_write",
        what: "every task inside sb_writers to leave: "
          + s.sb.writers.map { system.taskName($0) }.joined(separator: ", "),
        targets: s.sb.writers)
    case .handOff:
      guard let g = system.listenerGroup(ofTask: t) else { return nil }
      guard system.idleHelper(of: t, in: s) == nil else { return nil }
      let helpers = system.listenerTasks(ofGroup: g).filter(system.isHelperTask)
      return Wait(
        task: t, function: "pthread_create / work queue",
        what: "an idle helper thread: "
          + helpers.map { system.taskName($0) }.joined(separator: ", "),
        targets: helpers)
    case .freezeSuper:
      switch s.sb.freeze {
      case .freezing(let by), .frozen(let by):
        return Wait(task: t, function: "freeze_super", what: "the other freeze", targets: [by])
      case .unfrozen: return nil
      }
    default:
      return nil
    }
  }

  /// The waits of `state`'s blocked tasks, and the wait-for cycle through them (nil when there
  /// is none), else the longest chain of waits from an unfinished task.
  public struct Graph {
    public var waits: [Int: Wait]
    public var cycle: [Int]?
    public var chain: [Int]
    /// The tasks to show, in wait order: the cycle closed on its first task, or the chain.
    public var shown: [Int] { cycle.map { $0 + [$0[0]] } ?? chain }
  }

  public func graph(_ state: KernelState) -> Graph {
    var waits: [Int: Wait] = [:]
    for t in 0..<system.taskCount {
      if let w = wait(of: t, in: state) { waits[t] = w }
    }
    // Follow first edges from each unfinished task, looking for a cycle.
    var cycle: [Int]?
    var chain: [Int] = []
    for start in system.unfinishedTasks(in: state) {
      var seen: [Int] = []
      var t = start
      while let w = waits[t], !seen.contains(t) {
        seen.append(t)
        // Among several targets (a pool's threads, a rwsem's readers), follow one that is
        // itself blocked and new to the walk, else one that closes the cycle.
        let next =
          w.targets.first { $0 != t && waits[$0] != nil && !seen.contains($0) }
          ?? w.targets.first { seen.contains($0) } ?? w.targets.first
        guard let next else { break }
        t = next
      }
      if let i = seen.firstIndex(of: t) {
        cycle = Array(seen[i...])
        break
      }
      if seen.count > chain.count {
        chain = seen + (seen.last.flatMap { waits[$0]?.targets.first }.map { [$0] } ?? [])
      }
    }
    return Graph(waits: waits, cycle: cycle, chain: chain)
  }

  /// The lockdep-shaped text for `state`.
  public func render(_ state: KernelState) -> String {
    let graph = graph(state)
    let (waits, cycle) = (graph.waits, graph.cycle)
    var lines: [String] = []
    lines.append("======================================================")
    lines.append(
      cycle != nil
        ? "WARNING: circular dependency: tasks wait on each other forever"
        : "WARNING: tasks blocked forever")
    lines.append("------------------------------------------------------")
    let shown = graph.shown
    lines.append(cycle != nil ? "the wait-for cycle:" : "the wait-for chain:")
    lines.append("")
    for (i, t) in shown.enumerated() {
      let name = system.taskName(t) + role(t)
      let held = heldText(t, state)
      lines.append((i == 0 ? "  " : "  --> ") + "\(name) (holds \(held))")
      if i < shown.count - 1 || cycle == nil, let w = waits[t] {
        lines.append("        waits in \(w.function) for \(w.what)")
      } else if waits[t] == nil, system.listenerGroup(ofTask: t) != nil {
        lines.append("        is idle: its model will not answer")
      }
    }
    if shown.isEmpty {
      for t in system.unfinishedTasks(in: state) {
        lines.append("  \(system.taskName(t)) cannot move (holds \(heldText(t, state)))")
      }
    }
    lines.append("")
    lines.append("per task:")
    let rows: [(String, String, String, String)] = (0..<system.taskCount).compactMap { t in
      let idleListener = system.listenerGroup(ofTask: t) != nil && state.tasks[t].path.isEmpty
      guard waits[t] != nil || idleListener || system.unfinishedTasks(in: state).contains(t)
      else { return nil }
      let w = waits[t]
      return (
        system.taskName(t) + role(t), w?.function ?? (idleListener ? "fanotify_read (idle)" : "-"),
        heldText(t, state),
        w.map { $0.targets.map { system.taskName($0) }.joined(separator: ", ") } ?? "-"
      )
    }
    let header = ("task", "sleeps in", "holds", "waits for")
    let all = [header] + rows
    let w0 = all.map(\.0.count).max()!
    let w1 = all.map(\.1.count).max()!
    let w2 = all.map(\.2.count).max()!
    for r in all {
      lines.append(
        "  " + r.0.rightPadded(to: w0) + "  " + r.1.rightPadded(to: w1) + "  "
          + r.2.rightPadded(to: w2) + "  " + r.3)
    }
    lines.append("")
    lines.append(cycle != nil ? " *** DEADLOCK ***" : " *** HANG: nobody will ever answer ***")
    return lines.joined(separator: "\n")
  }

  /// Whether `state`'s wait-for graph has a cycle (a deadlock rather than a hang).
  public func hasCycle(_ state: KernelState) -> Bool { graph(state).cycle != nil }

  func role(_ t: Int) -> String { system.listenerGroup(ofTask: t) != nil ? " (listener)" : "" }

  func heldText(_ t: Int, _ s: KernelState) -> String {
    let held = s.tasks[t].held.map(narrator.lockText)
    return held.isEmpty ? "nothing" : held.joined(separator: ", ")
  }
}

extension SuperblockState.Freeze {
  var isFrozen: Bool { if case .frozen = self { return true } else { return false } }
}

/// Kernel function names for lock steps, shared by reports.
enum KernelSystemNames {
  static func lock(_ lock: KernelLock) -> String {
    switch lock {
    case .sb_writers: return "sb_start_write"
    case .i_rwsem: return "inode_lock"
    case .invalidate_lock: return "filemap_invalidate_lock"
    case .mmap_lock: return "mmap_write_lock_killable"
    case .f_pos_lock: return "fdget_pos"
    case .cred_guard_mutex: return "mutex_lock"
    case .fs_fault_lock: return "->fault lock"
    case .folio_lock: return "folio_lock"
    case .daemon_mutex: return "pthread_mutex_lock"
    }
  }
}
