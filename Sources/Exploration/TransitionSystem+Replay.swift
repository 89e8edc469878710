extension TransitionSystem {
  /// Re-executes a schedule from its initial state; fails (located at the choice) when a choice's
  /// task has no such enabled alternative.
  public func replay(_ schedule: Schedule) throws(ReplayError) -> Replay<Self> {
    let initials = initialStates()
    guard schedule.initial < initials.count else {
      throw ReplayError(
        step: 0,
        message:
          "initial state \(schedule.initial) does not exist (the system has \(initials.count))"
      )
    }
    var state = initials[schedule.initial]
    var states = [state]
    var taken: [Transition<Label>] = []
    states.reserveCapacity(schedule.choices.count + 1)
    taken.reserveCapacity(schedule.choices.count)
    for (n, choice) in schedule.choices.enumerated() {
      let enabled = transitions(from: state)
      let alternatives = enabled.filter { $0.task == choice.task }
      guard choice.alternative < alternatives.count else {
        let message: String
        if alternatives.isEmpty {
          let tasks = enabledTaskList(enabled)
          message = "task \(choice.task) has no enabled step (enabled tasks: \(tasks))"
        } else {
          message =
            "task \(choice.task) has \(alternatives.count) alternative(s), "
            + "not alternative \(choice.alternative)"
        }
        throw ReplayError(step: n + 1, message: message)
      }
      let transition = alternatives[choice.alternative]
      state = apply(transition, to: state)
      states.append(state)
      taken.append(transition)
    }
    return Replay(states: states, transitions: taken)
  }

  /// The schedule of a transition list taken from initial state `initial` (computes each choice's
  /// alternative index = position among same-task transitions in `transitions(from:)`).
  ///
  /// Transitions are matched by task and label. It is a programming error to pass a list that is
  /// not a path of this system.
  public func schedule(initial: Int, of transitions: [Transition<Label>]) -> Schedule {
    let initials = initialStates()
    precondition(initial >= 0 && initial < initials.count, "no initial state \(initial)")
    var state = initials[initial]
    var choices: [Schedule.Choice] = []
    choices.reserveCapacity(transitions.count)
    for (n, wanted) in transitions.enumerated() {
      let enabled = self.transitions(from: state)
      var alternative = 0
      var found: Transition<Label>?
      for candidate in enabled where candidate.task == wanted.task {
        if candidate.label == wanted.label {
          found = candidate
          break
        }
        alternative += 1
      }
      guard let found else {
        preconditionFailure("step \(n + 1) (task \(wanted.task)) is not enabled on this path")
      }
      choices.append(Schedule.Choice(task: wanted.task, alternative: alternative))
      state = apply(found, to: state)
    }
    return Schedule(initial: initial, choices: choices)
  }
}

/// The distinct tasks of an enabled list, for messages ("-" when none).
private func enabledTaskList<Label>(_ enabled: [Transition<Label>]) -> String {
  var tasks: [Int] = []
  for transition in enabled where tasks.last != transition.task {
    tasks.append(transition.task)
  }
  return tasks.isEmpty ? "-" : tasks.map(String.init).joined(separator: ", ")
}
