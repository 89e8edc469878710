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

extension Footprint {
  /// True when everything this footprint reads and writes is within `other`'s.
  public func isContained(in other: Footprint) -> Bool {
    reads.union(other.reads) == other.reads && writes.union(other.writes) == other.writes
  }
}

extension TransitionSystem {
  /// Audits the future footprints persistent sets rely on, at `state` with its `enabled` steps:
  /// each task's enabled steps lie within its future footprint, and no task's future footprint
  /// grows when another task or itself takes a step. Checked with no task frozen and with every
  /// task but the mover and the observed one frozen (the smallest footprint the search asks for).
  @inlinable
  func verifyFutureFootprints(
    at state: State, enabled: [Transition<Label>], schedule: () -> Schedule
  ) throws(ExplorationError) {
    func fail(_ message: String) -> ExplorationError {
      ExplorationError(kind: .futureFootprintTooSmall, message: message, schedule: schedule())
    }
    for step in enabled {
      let others = (0..<taskCount).filter { $0 != step.task }
      guard let future = futureFootprint(ofTask: step.task, in: state, frozen: others) else {
        continue
      }
      if !step.footprint.isContained(in: future) {
        throw fail(
          "step '\(String(describing: step.label))' (task \(step.task)) is outside the task's "
            + "future footprint")
      }
    }
    for step in enabled {
      let next = apply(step, to: state)
      for v in 0..<taskCount {
        let frozenSets = [[], (0..<taskCount).filter { $0 != v && $0 != step.task }]
        for frozen in frozenSets {
          guard let before = futureFootprint(ofTask: v, in: state, frozen: frozen) else {
            continue
          }
          let after = futureFootprint(ofTask: v, in: next, frozen: frozen)
          if !(after.map { $0.isContained(in: before) } ?? false) {
            throw fail(
              "the future footprint of task \(v) grows when task \(step.task) takes "
                + "'\(String(describing: step.label))'")
          }
        }
      }
    }
  }
}
