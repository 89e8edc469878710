import Exploration
import KernelModel

/// Every reachable state of a system, breadth-first and numbered in discovery order, with the
/// step that first reached each: the whole-space passes that need states, not a verdict
/// (`fanmc lockdep`, the DOT state graph).
struct ReachableStates {
  var states: [KernelState] = []
  /// For each state but the initial one, the state it was first reached from and the step.
  var parent: [(Int, Transition<KernelStep>)?] = []
  /// No state was left out for `maxStates`.
  var complete = true

  /// Explores `system` up to `maxStates` states, calling `edge(state, step, from, to)` for
  /// every step between two stored states (`state` is state `from`).
  init(
    _ system: KernelSystem, maxStates: Int,
    edge: (KernelState, Transition<KernelStep>, Int, Int) -> Void = { _, _, _, _ in }
  ) {
    var index: [KernelState: Int] = [:]
    for s in system.initialStates() where index[s] == nil {
      index[s] = states.count
      states.append(s)
      parent.append(nil)
    }
    var next = 0
    while next < states.count {
      let s = states[next]
      for transition in system.transitions(from: s) {
        let successor = system.apply(transition, to: s)
        if let known = index[successor] {
          edge(s, transition, next, known)
          continue
        }
        guard states.count < maxStates else {
          complete = false
          continue
        }
        index[successor] = states.count
        states.append(successor)
        parent.append((next, transition))
        edge(s, transition, next, states.count - 1)
      }
      next += 1
    }
  }

  /// The schedule from the initial state to state `i`.
  func schedule(to i: Int, in system: KernelSystem) -> Schedule {
    var taken: [Transition<KernelStep>] = []
    var at = i
    while let (p, t) = parent[at] {
      taken.append(t)
      at = p
    }
    return system.schedule(initial: 0, of: taken.reversed())
  }
}
