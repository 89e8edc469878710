/// Persistent sets, shared by the sequential and the parallel depth-first search.
extension TransitionSystem {
  /// The positions in `enabled` of the smallest persistent set found, or nil when it is all of
  /// them. Seeded with each task that has a step, in task order; a set grows by every task whose
  /// future footprint depends on a step in it, and fails if such a task has no step now (or once
  /// it has as many steps as the best set so far, which it could then not beat).
  @inlinable
  public func persistentSet(_ state: State, _ enabled: [Transition<Label>]) -> [Int]? {
    var tasks: [Int] = []
    var steps = [Int](repeating: 0, count: taskCount)
    for t in enabled {
      if tasks.last != t.task { tasks.append(t.task) }
      steps[t.task] += 1
    }
    guard tasks.count > 1 else { return nil }
    var best: [Int]? = nil
    var bestCount = enabled.count
    for seed in tasks {
      var members = [seed]
      var count = steps[seed]
      var index = 0
      var failed = count >= bestCount
      grow: while !failed && index < members.count {
        let u = members[index]
        index += 1
        for v in 0..<taskCount where !members.contains(v) {
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
      best = members
    }
    guard let best else { return nil }
    return enabled.indices.filter { best.contains(enabled[$0].task) }
  }
}
