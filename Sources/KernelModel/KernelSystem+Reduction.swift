import Exploration

/// What the explorer's reductions need to know about the kernel model: which application tasks
/// are interchangeable (symmetry) and what a task may still touch (persistent sets).
extension KernelSystem {
  /// Classes of two or more application tasks that run the same program with the same fd and
  /// mapping slots, none of them the target of a `kill`: renaming them among each other maps
  /// reachable states to reachable states and changes no verdict (no property, label or
  /// listener sees a task's id).
  static func symmetryClasses(of config: KernelConfig) -> [[Int]] {
    // Tasks an assertion names are told apart, as are the victims of kill.
    var victims = config.assertions.reduce(into: Set<Int>()) {
      $0.formUnion($1.expression.tasks(config.observations))
    }
    for task in config.tasks {
      for instruction in task.program {
        for case .kill(let victim) in instruction.choices { victims.insert(victim) }
      }
    }
    var classes: [[Int]] = []
    for t in config.tasks.indices where !victims.contains(t) {
      let spec = config.tasks[t]
      if let k = classes.firstIndex(where: {
        let other = config.tasks[$0[0]]
        return other.program == spec.program && other.fdSlots == spec.fdSlots
          && other.mapSlots == spec.mapSlots
      }) {
        classes[k].append(t)
      } else {
        classes.append([t])
      }
    }
    return classes.filter { $0.count > 1 }
  }

  /// The representative of `state`'s class sorts each symmetry class by the tasks' own states
  /// (their fingerprints; ties keep task order) and renames every task id accordingly. It is
  /// encoded hierarchically: the shared parts with renamed ids, then each task's own fingerprint
  /// in representative order, each followed by the waiter it handles (if a listener), renamed.
  public func encodeRepresentative(_ state: KernelState, into encoder: inout StateEncoder)
    -> [Int]?
  {
    guard !symmetryClasses.isEmpty else {
      encode(state, into: &encoder)
      return nil
    }
    // inverse[position]: the task at that position of the representative. Each class is
    // insertion-sorted in place (classes are a few tasks; keys are kept beside the tasks). It
    // lives on the stack, and a state already in representative order (the identity, returned
    // as nil) allocates nothing: this runs for every successor.
    let permutation = withUnsafeTemporaryAllocation(of: Int.self, capacity: taskCount) {
      inverse -> [Int]? in
      for t in 0..<taskCount { inverse[t] = t }
      var identity = true
      for members in symmetryClasses {
        for i in 1..<members.count {
          let t = inverse[members[i]]
          let k = key(ofTask: t, in: state)
          var j = i
          while j > 0,
            (k, t) < (key(ofTask: inverse[members[j - 1]], in: state), inverse[members[j - 1]])
          {
            inverse[members[j]] = inverse[members[j - 1]]
            j -= 1
          }
          inverse[members[j]] = t
          if j != i { identity = false }
        }
      }
      var permutation: [Int]? = nil
      if !identity {
        var p = [Int](repeating: 0, count: taskCount)
        for position in 0..<taskCount { p[inverse[position]] = position }
        permutation = p
      }
      encodeShared(state, renaming: permutation, into: &encoder)
      for position in 0..<taskCount {
        let t = inverse[position]
        encoder.append(key(ofTask: t, in: state))
        encoder.optional(state.tasks[t].handling?.waiter.map { permutation?[$0] ?? $0 })
      }
      return permutation
    }
    encodeHistory(state.history, into: &encoder)
    return permutation
  }

  /// Persistent sets. An application task may touch every file, the superblock, every group
  /// and its own event object, the mark list if a `fanotify_mark` is left in its program, and
  /// the event object of a task it may still `kill`. A listener may touch every file, the
  /// superblock, the marks (closing its group) and every group, and may answer (write the event
  /// object of) any task except a frozen one with nothing pending: a frozen task emits no new
  /// event. Finished and killed tasks touch nothing.
  public func futureFootprint(ofTask v: Int, in state: KernelState, frozen: [Int]) -> Footprint? {
    if listenerGroup(ofTask: v) != nil {
      var writes = objects.sharedObjects
      writes.insert(objects.marks)
      for w in 0..<taskCount where !frozen.contains(w) || state.tasks[w].pending != nil {
        writes.insert(objects.event(ofTask: w))
      }
      return Footprint(reads: writes, writes: writes)
    }
    if isFinished(v, in: state) { return Footprint() }
    var writes = objects.sharedObjects.union(futureExtras[v][state.tasks[v].pc])
    writes.insert(objects.event(ofTask: v))
    var reads = writes
    reads.insert(objects.marks)
    return Footprint(reads: reads, writes: writes)
  }

  /// Per application task and program position: the mark list if a `fanotify_mark` is at or
  /// after it, or anywhere when FS_MODIFY may clear ignore masks (`modifyWritesMarks`), and the
  /// event objects of the tasks a `kill` at or after it names.
  static func futureExtras(of config: KernelConfig, objects: ObjectLayout, modifyWritesMarks: Bool)
    -> [[ObjectSet]]
  {
    config.tasks.map { task in
      let always = modifyWritesMarks ? ObjectSet([objects.marks]) : ObjectSet()
      var extras = [ObjectSet](repeating: always, count: task.program.count + 1)
      for pc in task.program.indices.reversed() {
        var here = extras[pc + 1]
        for syscall in task.program[pc].choices {
          switch syscall {
          case .fanotifyMark: here.insert(objects.marks)
          case .kill(let victim): here.insert(objects.event(ofTask: victim))
          default: break
          }
        }
        extras[pc] = here
      }
      return extras
    }
  }
}

extension KernelState {
  /// The same state with task `t` renamed `permutation[t]` everywhere: its slot in `tasks`, lock
  /// holders, `sb_writers`, the freezer, queues, access lists and listeners' waiters.
  public func renamingTasks(by permutation: [Int]) -> KernelState {
    func rename(_ t: Int) -> Int { permutation[t] }
    var s = self
    for t in tasks.indices {
      s.tasks[permutation[t]] = tasks[t]
      if let w = tasks[t].handling?.waiter { s.tasks[permutation[t]].handling!.waiter = rename(w) }
    }
    for f in s.inodes.indices {
      s.inodes[f].iRwsem.rename(by: permutation)
      s.inodes[f].invalidateLock.rename(by: permutation)
    }
    s.sb.writers = sb.writers.map(rename).sorted()
    switch sb.freeze {
    case .unfrozen: break
    case .freezing(let by): s.sb.freeze = .freezing(by: rename(by))
    case .frozen(let by): s.sb.freeze = .frozen(by: rename(by))
    }
    for g in s.groups.indices {
      s.groups[g].queue = groups[g].queue.map {
        switch $0 {
        case .permission(let w): return .permission(waiter: rename(w))
        case .notice(var n):
          n.pid = rename(n.pid)
          return .notice(n)
        case .overflow: return .overflow
        }
      }
      for k in s.groups[g].accessList.indices {
        s.groups[g].accessList[k].waiter = rename(groups[g].accessList[k].waiter)
      }
    }
    return s
  }
}

extension RWSemaphore {
  /// Holders renamed; readers kept sorted, as `acquire` keeps them.
  mutating func rename(by permutation: [Int]) {
    writer = writer.map { permutation[$0] }
    readers = readers.map { permutation[$0] }.sorted()
  }
}

extension KernelSystem {
  /// The same system built from a copy of the configuration whose arrays are all fresh, so a
  /// search thread reading it touches no reference count another thread touches.
  public func replica() -> KernelSystem {
    var c = config
    c.files = config.files.map {
      var f = $0
      f.content = $0.content.map { $0 }
      return f
    }
    c.groups = config.groups.map { $0 }
    c.marks = config.marks.map { $0 }
    c.tasks = config.tasks.map { task in
      var t = task
      t.program = task.program.map {
        var i = $0
        i.alternatives = $0.alternatives.map { $0 }
        return i
      }
      t.fdNames = task.fdNames.map { $0 }
      t.mapNames = task.mapNames.map { $0 }
      return t
    }
    return (try? KernelSystem(config: c)) ?? self
  }
}

extension KernelSystem {
  /// A copy of `state` in fresh buffers: it shares no array with any other state.
  public func unshared(_ state: KernelState) -> KernelState {
    var s = state
    s.inodes = state.inodes.map {
      var i = $0
      i.content = $0.content.unshared()
      i.cached = $0.cached.map { $0 }
      i.iRwsem.readers = $0.iRwsem.readers.map { $0 }
      i.invalidateLock.readers = $0.invalidateLock.readers.map { $0 }
      return i
    }
    s.marks = state.marks.map { $0 }
    s.groups = state.groups.map {
      var g = $0
      g.queue = $0.queue.map { $0 }
      g.accessList = $0.accessList.map { $0 }
      return g
    }
    s.sb.writers = state.sb.writers.map { $0 }
    s.observed = state.observed.map { $0 }
    s.tasks = state.tasks.map { $0 }  // plain bits: a fresh buffer is all a task needs
    return s
  }
}
