import Exploration
import KernelModel

/// What `fanmc view` shows: a path through a scenario (a counterexample or the deterministic
/// schedule) as one snapshot of the whole system before the first step and after every step.
/// The HTML viewer draws it; `fanmc view --format json` prints it.
public struct ViewModel: Sendable, Codable {
  public var scenario: String
  /// The scenario file, as given on the command line.
  public var file: String
  public var question: String
  public var profile: String
  /// One line on the profile's kernel.
  public var profileSummary: String
  /// Where the kernel function links point ("Linux v6.18 on elixir.bootlin.com"); nil when the
  /// profile has no source tree.
  public var sourceTree: String?
  /// "The deterministic schedule", "The shortest counterexample of I5".
  public var title: String
  public var schedule: String
  /// The command that replays the path.
  public var replay: String
  /// The scenario lines left out of this path's scenario (`--without`, minimization).
  public var leftOut: [String] = []
  /// One lane per task: application tasks, then listener threads.
  public var tasks: [Lane]
  /// The files' pages, the marks and the groups before the first step.
  public var setup: [String]
  public var groups: [Group]
  /// `snapshots[0]` is the state before the first step; `snapshots[i]` the state after step i.
  public var snapshots: [Snapshot]
  /// `finished`, `blocked`, or where the path ends.
  public var outcome: String
  /// Properties violated in some state of the path.
  public var violated: [String]
  /// The lockdep-shaped wait-for report when the path ends blocked.
  public var waitForReport: String?
  /// The wait-for graph of the last state when the path ends blocked.
  public var waitFor: WaitGraph?

  /// One task, drawn as a lane.
  public struct Lane: Sendable, Codable, Hashable {
    public var name: String
    /// The group a listener thread serves; nil for an application task.
    public var listenerOf: String?
  }

  /// A fanotify group.
  public struct Group: Sendable, Codable, Hashable {
    public var name: String
    /// `FAN_CLASS_PRE_CONTENT` …
    public var groupClass: String
    /// `fill: pwrite()s the source content …`, or nil for a group nobody reads.
    public var listener: String?
  }

  /// The system before the first step (`step` 0) or after step `step`.
  public struct Snapshot: Sendable, Codable, Hashable {
    public var step: Int
    /// The lane of the task that moved; nil for the initial state.
    public var task: Int?
    public var description: String
    /// The kernel function chain, with links to its source.
    public var kernelFunction: [SourceLinks.Segment]
    /// The locks the moving task holds after the step.
    public var locksHeld: [String]
    /// Properties first violated by this step.
    public var violatedHere: [String]
    /// Every task's state after the step, by lane.
    public var tasks: [LaneState]
    /// Every group's queue and access list.
    public var queues: [Queue]
    public var files: [File]
    /// `sb_writers`: `unfrozen`, `freezing (by freezer)`, `frozen (by freezer)`, and who is
    /// inside.
    public var superblock: String
  }

  /// A task in one snapshot.
  public struct LaneState: Sendable, Codable, Hashable {
    /// `user space`, `in the kernel`, `finished`, `killed`, `waits`, `idle` (a listener with
    /// nothing to do).
    public var status: String
    public var held: [String]
    /// `fanotify_get_response: an answer from hsm …` when it cannot move on its own.
    public var wait: String?
  }

  /// A group's events: queued (not read yet) and read but not answered.
  public struct Queue: Sendable, Codable, Hashable {
    public var group: String
    public var closed: Bool
    public var events: [Event]
  }

  /// One event of a group.
  public struct Event: Sendable, Codable, Hashable {
    public var mask: String
    public var file: String?
    /// `offset 0 count 4096`, `no range`; nil for a notification.
    public var range: String?
    /// The task sleeping until it is answered (a permission event), or the task that caused it.
    public var task: String?
    /// `queued`, `read as event fd 4`, `notification` or `overflow`.
    public var status: String
  }

  /// A file's size, pages and page cache.
  public struct File: Sendable, Codable, Hashable {
    public var name: String
    public var size: Int
    public var pages: [Page]
    /// `data: i_size 4096, pages remote, cache -`, as `fanmc explain` prints it.
    public var text: String
  }

  /// One page: its content, as runs when it mixes several, and whether it is cached.
  public struct Page: Sendable, Codable, Hashable {
    /// `remote`, `filled`, `written`, `hole`, or runs `remote[0,100)+written[100,4096)`.
    public var content: String
    /// The distinct content states in the page, in order.
    public var states: [String]
    /// An uptodate folio is in the page cache.
    public var cached: Bool
  }

  /// The wait-for graph of a blocked state.
  public struct WaitGraph: Sendable, Codable, Hashable {
    /// `deadlock` (a cycle) or `hang` (a chain ending at a task that will not move).
    public var kind: String
    public var nodes: [Node]
    public var edges: [Edge]
    /// The lanes of the cycle (or chain), in wait order.
    public var path: [Int]
  }

  /// A task in the wait-for graph.
  public struct Node: Sendable, Codable, Hashable {
    public var task: Int
    public var name: String
    public var held: String
  }

  /// `from` waits for `to`, sleeping in `function`.
  public struct Edge: Sendable, Codable, Hashable {
    public var from: Int
    public var to: Int
    public var function: [SourceLinks.Segment]
    public var what: String
    /// The edge belongs to the cycle (or chain).
    public var onPath: Bool
  }
}

extension ViewModel {
  /// The view of `schedule` (nil: the deterministic schedule), which must replay, in
  /// `scenario` without the lines `without` (what they were: `leftOut`).
  public static func build(
    _ scenario: Scenario, system: KernelSystem, schedule: Schedule? = nil, title: String? = nil,
    without: [Int] = [], leftOut: [String] = []
  ) throws(ReplayError) -> ViewModel {
    let report = try Explanation.report(scenario, system: system, schedule: schedule, title: title)
    let narrator = Narrator(system: system)
    let path = schedule ?? Trace.run(narrator).schedule
    let replay = try system.replay(path)
    let links = SourceLinks(profile: system.config.profile.name)
    let deadlocks = DeadlockReport(narrator: narrator)
    func chain(_ text: String) -> [SourceLinks.Segment] {
      links?.segments(text) ?? [SourceLinks.Segment(text: text, url: nil)]
    }
    let reported = system.properties.filter { $0.kind != .sometimes }
    var snapshots = [
      snapshot(
        replay.states[0], step: 0, task: nil, description: "before the first step",
        kernelFunction: [], locksHeld: [], violatedHere: [], system: system, narrator: narrator)
    ]
    for (i, step) in report.steps.enumerated() {
      let (before, after) = (replay.states[i], replay.states[i + 1])
      let here = reported.filter { $0.isReported(in: after) && !$0.isReported(in: before) }
      snapshots.append(
        snapshot(
          after, step: i + 1, task: replay.transitions[i].task, description: step.description,
          kernelFunction: chain(step.kernelFunction), locksHeld: step.locksHeld,
          violatedHere: here.map(\.id), system: system, narrator: narrator))
    }
    var graph: WaitGraph?
    if report.waitFor != nil {
      let final = replay.finalState
      let analysis = deadlocks.graph(final)
      let onPath = analysis.cycle.map { $0 + [$0[0]] } ?? analysis.chain
      let pathEdges = Set(zip(onPath, onPath.dropFirst()).map { "\($0.0)>\($0.1)" })
      var edges: [Edge] = []
      for t in 0..<system.taskCount {
        guard let w = analysis.waits[t] else { continue }
        for target in w.targets {
          edges.append(
            Edge(
              from: t, to: target, function: chain(w.function), what: w.what,
              onPath: pathEdges.contains("\(t)>\(target)")))
        }
      }
      let involved = Set(edges.flatMap { [$0.from, $0.to] } + onPath)
      graph = WaitGraph(
        kind: analysis.cycle != nil ? "deadlock" : "hang",
        nodes: (0..<system.taskCount).filter(involved.contains).map {
          Node(
            task: $0, name: system.taskName($0) + deadlocks.role($0),
            held: deadlocks.heldText($0, final))
        },
        edges: edges, path: analysis.cycle ?? analysis.chain)
    }
    return ViewModel(
      scenario: report.scenario, file: scenario.source.path, question: report.question,
      profile: report.profile, profileSummary: system.config.profile.summary,
      sourceTree: links?.tree, title: report.title, schedule: report.schedule,
      replay: TextRenderer.replayCommand(
        path: scenario.source.path, schedule: path, without: without),
      leftOut: leftOut,
      tasks: (0..<system.taskCount).map { t in
        Lane(
          name: system.taskName(t),
          listenerOf: system.listenerGroup(ofTask: t).map { system.config.groups[$0].name })
      },
      setup: report.setup,
      groups: system.config.groups.map {
        Group(
          name: $0.name, groupClass: $0.groupClass.rawValue,
          listener: $0.listener.map { "\($0.name): \($0.summary)" })
      },
      snapshots: snapshots, outcome: report.outcome, violated: report.violated,
      waitForReport: report.waitFor, waitFor: graph)
  }

  static func snapshot(
    _ s: KernelState, step: Int, task: Int?, description: String,
    kernelFunction: [SourceLinks.Segment], locksHeld: [String], violatedHere: [String],
    system: KernelSystem, narrator: Narrator
  ) -> Snapshot {
    let deadlocks = DeadlockReport(narrator: narrator)
    let tasks = (0..<system.taskCount).map { t -> LaneState in
      let ts = s.tasks[t]
      let wait = deadlocks.wait(of: t, in: s)
      let status: String
      if ts.killed {
        status = "killed"
      } else if t < system.appTaskCount && system.isFinished(t, in: s) {
        status = "finished"
      } else if wait != nil {
        status = "waits"
      } else if ts.path.isEmpty {
        status = t < system.appTaskCount ? "user space" : "idle"
      } else {
        status = "in the kernel"
      }
      return LaneState(
        status: status, held: ts.held.map(narrator.lockText),
        wait: wait.map { "\($0.function): \($0.what)" })
    }
    let queues = s.groups.enumerated().map { g, group -> Queue in
      var events: [Event] = group.queue.map { e in
        switch e {
        case .permission(let waiter):
          return event(of: waiter, status: "queued", in: s, narrator: narrator)
        case .notice(let n):
          return Event(
            mask: "\(n.mask)", file: narrator.fileName(n.file), range: nil,
            task: system.taskName(n.pid), status: "notification")
        case .overflow:
          return Event(mask: "FAN_Q_OVERFLOW", file: nil, range: nil, task: nil, status: "overflow")
        }
      }
      events += group.accessList.map {
        event(of: $0.waiter, status: "read as event fd \($0.fd)", in: s, narrator: narrator)
      }
      return Queue(group: narrator.groupName(g), closed: group.closed, events: events)
    }
    let files = system.config.files.enumerated().map { f, spec -> File in
      let inode = s.inodes[f]
      let count = (inode.size + Fanotify.pageSize - 1) / Fanotify.pageSize
      let pages = (0..<count).map { p -> Page in
        var states: [String] = []
        for run in inode.content.runs(in: inode.content.page(p))
        where !states.contains(run.content.rawValue) {
          states.append(run.content.rawValue)
        }
        return Page(
          content: Explanation.pageText(inode.content, p), states: states, cached: inode.cached[p])
      }
      return File(
        name: spec.name, size: inode.size, pages: pages,
        text: Explanation.pagesText(spec.name, inode))
    }
    var sb: String
    switch s.sb.freeze {
    case .unfrozen: sb = "unfrozen"
    case .freezing(let by): sb = "freeze in progress (by \(system.taskName(by)))"
    case .frozen(let by): sb = "frozen (by \(system.taskName(by)))"
    }
    if !s.sb.writers.isEmpty {
      sb += "; inside sb_writers: " + s.sb.writers.map(system.taskName).joined(separator: ", ")
    }
    return Snapshot(
      step: step, task: task, description: description, kernelFunction: kernelFunction,
      locksHeld: locksHeld, violatedHere: violatedHere, tasks: tasks, queues: queues,
      files: files, superblock: sb)
  }

  /// The permission event task `waiter` waits on.
  static func event(of waiter: Int, status: String, in s: KernelState, narrator: Narrator)
    -> Event
  {
    guard let p = s.tasks[waiter].pending else {
      return Event(
        mask: "?", file: nil, range: nil, task: narrator.system.taskName(waiter), status: status)
    }
    return Event(
      mask: "\(p.mask)", file: narrator.fileName(p.file), range: narrator.rangeText(p.range),
      task: narrator.system.taskName(waiter), status: status)
  }

  /// The JSON of `fanmc view --format json`.
  public func json() -> String { JSONRenderer.encode(self) }
}
