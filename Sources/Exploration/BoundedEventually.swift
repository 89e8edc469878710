/// Bounded liveness ("eventually P within K steps"): a search for a path that avoids P for K
/// steps, or that ends (no step enabled) without ever reaching P.
extension TransitionSystem {
  /// The first path, in depth-first order from each initial state, whose first `bound + 1`
  /// states all fail `predicate`, or which ends in a state with no enabled step before that
  /// with every state failing it; nil when every path reaches `predicate` in time.
  ///
  /// A state is expanded again only when reached by a shorter path than before (fewer steps
  /// spent means more left to avoid `predicate`), so the search visits each state at most
  /// `bound + 1` times and usually once.
  public func pathAvoiding(_ predicate: (State) -> Bool, for bound: Int) -> Path<Label>? {
    for (initial, start) in initialStates().enumerated() where !predicate(start) {
      var expandedAt: [State: Int] = [start: 0]
      var stack: [(state: State, enabled: [Transition<Label>], next: Int)] = []
      var taken: [Transition<Label>] = []
      func found() -> Path<Label> {
        Path(schedule: schedule(initial: initial, of: taken), transitions: taken)
      }
      let first = transitions(from: start)
      if bound == 0 || first.isEmpty { return found() }
      stack.append((start, first, 0))
      while let top = stack.last {
        guard top.next < top.enabled.count else {
          stack.removeLast()
          if !stack.isEmpty { taken.removeLast() }
          continue
        }
        stack[stack.count - 1].next += 1
        let transition = top.enabled[top.next]
        let state = apply(transition, to: top.state)
        if predicate(state) { continue }
        taken.append(transition)
        let depth = taken.count
        let enabled = transitions(from: state)
        if depth >= bound || enabled.isEmpty { return found() }
        if let d = expandedAt[state], d <= depth {
          taken.removeLast()
          continue
        }
        expandedAt[state] = depth
        stack.append((state, enabled, 0))
      }
    }
    return nil
  }
}
