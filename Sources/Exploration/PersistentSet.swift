/// Persistent sets, shared by the sequential and the parallel depth-first search.
extension TransitionSystem {
  /// The positions in `enabled` of the smallest persistent set found, or nil when it is all of
  /// them. Seeded with each task that has a step, in task order; a set grows by every task whose
  /// future footprint depends on a step in it, and fails if such a task has no step now (or once
  /// it has as many steps as the best set so far, which it could then not beat).
  @inlinable
  public func persistentSet(_ state: State, _ enabled: [Transition<Label>]) -> [Int]? {
    let n = taskCount
    // It runs at every state: the step counts and the best set so far live on the stack, and
    // the members grow in one array (the future footprints take them as the frozen tasks).
    return withUnsafeTemporaryAllocation(of: Int.self, capacity: 2 * n) { buffer -> [Int]? in
      let steps = UnsafeMutableBufferPointer(rebasing: buffer[0..<n])
      let best = UnsafeMutableBufferPointer(rebasing: buffer[n..<(2 * n)])
      steps.initialize(repeating: 0)
      var seeds = 0
      for t in enabled {
        if steps[t.task] == 0 { seeds += 1 }
        steps[t.task] += 1
      }
      guard seeds > 1 else { return nil }
      var bestSize = 0
      var bestCount = enabled.count
      var members: [Int] = []
      members.reserveCapacity(n)
      for seed in 0..<n where steps[seed] > 0 {
        members.removeAll(keepingCapacity: true)
        members.append(seed)
        var count = steps[seed]
        var index = 0
        var failed = count >= bestCount
        grow: while !failed && index < members.count {
          let u = members[index]
          index += 1
          for v in 0..<n where !members.contains(v) {
            let future = futureFootprint(ofTask: v, in: state, frozen: members)
            let conflicts = enabled.contains { step in
              step.task == u && (future.map { !step.footprint.isIndependent(of: $0) } ?? true)
            }
            guard conflicts else { continue }
            count += steps[v]
            guard steps[v] > 0, count < bestCount else {
              failed = true
              break grow
            }
            members.append(v)
          }
        }
        guard !failed else { continue }
        bestCount = count
        bestSize = members.count
        for k in members.indices { best[k] = members[k] }
      }
      guard bestSize > 0 else { return nil }
      var chosen: [Int] = []
      chosen.reserveCapacity(bestCount)
      for position in enabled.indices where best[0..<bestSize].contains(enabled[position].task) {
        chosen.append(position)
      }
      return chosen
    }
  }
}
