import Exploration
import TestSupport

/// Any system with its properties replaced, to ask questions the toy does not ask itself.
struct WithProperties<Base: TransitionSystem>: TransitionSystem {
  typealias State = Base.State
  typealias Label = Base.Label

  var base: Base
  var properties: [Property<State>]

  var taskCount: Int { base.taskCount }
  func taskName(_ task: Int) -> String { base.taskName(task) }
  func initialStates() -> [State] { base.initialStates() }
  func transitions(from state: State) -> [Transition<Label>] { base.transitions(from: state) }
  func apply(_ transition: Transition<Label>, to state: State) -> State {
    base.apply(transition, to: state)
  }
  func unfinishedTasks(in state: State) -> [Int] { base.unfinishedTasks(in: state) }
  func encode(_ state: State, into encoder: inout StateEncoder) {
    base.encode(state, into: &encoder)
  }
}

/// Any system with a chosen list of initial states.
struct WithInitialStates<Base: TransitionSystem>: TransitionSystem {
  typealias State = Base.State
  typealias Label = Base.Label

  var base: Base
  var initials: [State]

  var taskCount: Int { base.taskCount }
  func taskName(_ task: Int) -> String { base.taskName(task) }
  func initialStates() -> [State] { initials }
  func transitions(from state: State) -> [Transition<Label>] { base.transitions(from: state) }
  func apply(_ transition: Transition<Label>, to state: State) -> State {
    base.apply(transition, to: state)
  }
  func unfinishedTasks(in state: State) -> [Int] { base.unfinishedTasks(in: state) }
  func encode(_ state: State, into encoder: inout StateEncoder) {
    base.encode(state, into: &encoder)
  }
  var properties: [Property<State>] { base.properties }
}

/// A system whose transitions name a task that does not exist.
struct TaskOutOfRange: TransitionSystem {
  var taskCount: Int { 1 }
  func taskName(_ task: Int) -> String { "T\(task)" }
  func initialStates() -> [Int] { [0] }
  func transitions(from state: Int) -> [Transition<String>] {
    state == 0 ? [Transition(task: 3, label: "ghost", footprint: Footprint())] : []
  }
  func apply(_ transition: Transition<String>, to state: Int) -> Int { state + 1 }
  func unfinishedTasks(in state: Int) -> [Int] { [] }
  func encode(_ state: Int, into encoder: inout StateEncoder) { encoder.append(state) }
  var properties: [Property<Int>] { [] }
}
