import Exploration
import KernelModel

/// Lock-order analysis over the whole reachable state space, as lockdep does at run time: every
/// "holds A while waiting for B" is an edge A → B, and a cycle of edges is a potential deadlock
/// even when no explored schedule closes it.
///
/// Besides the kernel's shared locks (`i_rwsem`, `invalidate_lock`, `sb_writers`, folio locks,
/// a filesystem's fault lock) and the daemons' mutexes, two waits are locks here: a task waiting
/// in `fanotify_get_response` acquires `answer(GROUP)`, which a listener thread holds from
/// `fanotify_read` until its answer is written; and a freeze takes `sb_writers` for writing
/// (`freeze_super`), so `sb_start_write` waits for it like a reader for a writer. Locks private
/// to a task (`f_pos_lock`, `mmap_lock`, `cred_guard_mutex`) order nothing between tasks.
public struct LockOrderReport: Sendable {
  /// A lock of the analysis.
  public enum Node: Hashable, Sendable, Comparable {
    case lock(KernelLock)
    /// The answer to a permission event of the group.
    case answer(group: Int)

    public static func < (a: Node, b: Node) -> Bool { a.key < b.key }

    var isAnswer: Bool {
      if case .answer = self { return true }
      return false
    }

    var key: String {
      switch self {
      case .lock(let l): return "0 \(l)"
      case .answer(let g): return "1 \(g)"
      }
    }
  }

  /// "holds `from` while waiting for `to`", first seen on `schedule` (breadth-first: a
  /// shortest one), after which `task` is about to take (or blocked taking) `to`.
  public struct Edge: Hashable, Sendable {
    public var from: Node
    public var to: Node
    /// `to` is taken shared (a reader of an rwsem).
    public var shared: Bool
    public var task: Int
    /// The kernel function that takes `to`.
    public var function: String
    public var schedule: Schedule
  }

  public var scenario: Scenario
  public var system: KernelSystem
  public var states: Int
  /// Every reachable state was visited (no `maxStates` bound hit).
  public var complete: Bool
  public var edges: [Edge]
  /// Elementary cycles of the edge graph, each as its edges from its least lock.
  public var cycles: [[Edge]]
}

public enum LockOrder {
  /// Explores `scenario` breadth-first and collects its lock-order edges and their cycles.
  public static func analyze(_ scenario: Scenario, maxStates: Int = 1_000_000) throws(RunError)
    -> LockOrderReport
  {
    let system = try ScenarioRun.makeSystem(scenario)
    let space = ReachableStates(system, maxStates: maxStates)
    var edges: [LockOrderReport.Edge] = []
    var seen = Set<[LockOrderReport.Node]>()
    for (i, s) in space.states.enumerated() {
      for t in 0..<system.taskCount {
        guard let (to, shared, function) = wanted(t, in: s, system) else { continue }
        for from in held(t, in: s, system) where from != to || to.isAnswer {
          guard seen.insert([from, to]).inserted else { continue }
          edges.append(
            LockOrderReport.Edge(
              from: from, to: to, shared: shared, task: t, function: function,
              schedule: space.schedule(to: i, in: system)))
        }
      }
    }
    return LockOrderReport(
      scenario: scenario, system: system, states: space.states.count, complete: space.complete,
      edges: edges, cycles: cycles(of: edges))
  }

  /// What task `t` holds in `s` that others can wait for.
  static func held(_ t: Int, in s: KernelState, _ system: KernelSystem) -> [LockOrderReport.Node] {
    var nodes: [LockOrderReport.Node] = s.tasks[t].held.filter(isShared).map { .lock($0) }
    if let g = system.listenerGroup(ofTask: t), let h = s.tasks[t].handling,
      s.groups[g].accessList.contains(where: { $0.fd == h.fd })
    {
      nodes.append(.answer(group: g))
    }
    switch s.sb.freeze {
    case .freezing(let by), .frozen(let by):
      if by == t { nodes.append(.lock(.sb_writers)) }
    case .unfrozen: break
    }
    return nodes
  }

  /// Locks other tasks can hold: not the task's own `f_pos_lock`, `mmap_lock` or
  /// `cred_guard_mutex`.
  static func isShared(_ lock: KernelLock) -> Bool {
    switch lock {
    case .f_pos_lock, .mmap_lock, .cred_guard_mutex: return false
    default: return true
    }
  }

  /// What task `t`'s next step takes, whether it can take it now or not: the lock, whether it
  /// takes it shared, and the kernel function.
  static func wanted(_ t: Int, in s: KernelState, _ system: KernelSystem) -> (
    LockOrderReport.Node, Bool, String
  )? {
    let ts = s.tasks[t]
    guard !ts.killed, let step = ts.path.first else { return nil }
    switch step {
    case .lock(let lock, let exclusive) where isShared(lock):
      return (.lock(lock), !exclusive, KernelSystemNames.lock(lock))
    case .writeFolio(let f, let p):
      return (.lock(.folio_lock(file: f, page: p)), false, "write_begin → folio_lock")
    case .awaitResponse:
      guard let p = ts.pending else { return nil }
      if case .answered = p.status { return nil }
      return (.answer(group: p.group), false, "fanotify_get_response")
    case .freezeSuper:
      return (.lock(.sb_writers), false, "freeze_super")
    default:
      return nil
    }
  }

  /// The elementary cycles of the graph, each starting at its least node, at most 64.
  static func cycles(of edges: [LockOrderReport.Edge]) -> [[LockOrderReport.Edge]] {
    let nodes = Set(edges.flatMap { [$0.from, $0.to] }).sorted()
    var out: [[LockOrderReport.Edge]] = []
    for start in nodes {
      var path: [LockOrderReport.Edge] = []
      func walk(_ at: LockOrderReport.Node) {
        for e in edges where e.from == at && out.count < 64 {
          if e.to == start {
            out.append(path + [e])
          } else if start < e.to, e.to != at, !path.contains(where: { $0.from == e.to }) {
            path.append(e)
            walk(e.to)
            path.removeLast()
          }
        }
      }
      walk(start)
    }
    return out
  }
}
