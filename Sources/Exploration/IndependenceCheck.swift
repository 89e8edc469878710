extension TransitionSystem {
  /// Verifies every independence claim among `enabled` (the transitions of `state`): for each pair
  /// of steps of different tasks whose footprints are independent, each stays enabled after the
  /// other and both orders reach the same state.
  ///
  /// `schedule` gives the schedule to `state` for the error message.
  @inlinable
  func verifyIndependence(
    at state: State, enabled: [Transition<Label>], schedule: () -> Schedule
  ) throws(ExplorationError) {
    var after: [(state: State, enabled: [Transition<Label>])?] = Array(
      repeating: nil, count: enabled.count)
    func successor(_ i: Int) -> (state: State, enabled: [Transition<Label>]) {
      if let known = after[i] { return known }
      let next = apply(enabled[i], to: state)
      let computed = (state: next, enabled: transitions(from: next))
      after[i] = computed
      return computed
    }
    for i in enabled.indices {
      for j in (i + 1)..<enabled.count {
        let a = enabled[i]
        let b = enabled[j]
        guard a.task != b.task, a.footprint.isIndependent(of: b.footprint) else { continue }
        let afterA = successor(i)
        let afterB = successor(j)
        let problem: String?
        if let b2 = afterA.enabled.first(where: { $0.task == b.task && $0.label == b.label }) {
          if let a2 = afterB.enabled.first(where: { $0.task == a.task && $0.label == a.label }) {
            let ab = apply(b2, to: afterA.state)
            let ba = apply(a2, to: afterB.state)
            problem = ab == ba ? nil : "the two orders reach different states"
          } else {
            problem = "the second disables the first"
          }
        } else {
          problem = "the first disables the second"
        }
        if let problem {
          throw ExplorationError(
            kind: .dependentFootprints,
            message:
              "footprints of '\(String(describing: a.label))' (task \(a.task)) and "
              + "'\(String(describing: b.label))' (task \(b.task)) claim independence, "
              + "but \(problem)",
            schedule: schedule())
        }
      }
    }
  }
}
