import Exploration
import KernelModel
import ScenarioRunner
import Testing

@Suite("The kernel state's canonical encoding")
struct StateEncodingTests {
  /// Explores `system` with a plain `Set` of states (no fingerprints involved), calling `step`
  /// with each state, step and successor.
  func reachable(
    _ system: KernelSystem, limit: Int = 50_000,
    step: (KernelState, Transition<KernelStep>, KernelState) -> Void = { _, _, _ in }
  ) -> Set<KernelState> {
    var seen: Set<KernelState> = []
    var frontier = system.initialStates()
    while let s = frontier.popLast(), seen.count < limit {
      guard seen.insert(s).inserted else { continue }
      for t in system.transitions(from: s) {
        let successor = system.apply(t, to: s)
        step(s, t, successor)
        frontier.append(successor)
      }
    }
    return seen
  }

  @Test(
    "tells every reachable state apart, and gives equal states one fingerprint",
    arguments: allScenarioPaths)
  func injective(path: String) throws {
    let system = try ScenarioRun.makeSystem(try loadScenario(path))
    let states = reachable(system)
    var byFingerprint: [Fingerprint: KernelState] = [:]
    for s in states {
      let fp = system.fingerprint(of: s)
      if let other = byFingerprint[fp] {
        #expect(other == s, "two different states share a fingerprint in \(path)")
      }
      byFingerprint[fp] = s
      #expect(system.fingerprint(of: s) == fp)
    }
    #expect(byFingerprint.count == states.count)
  }
}

@Suite("Incremental fingerprints and reused successors")
struct IncrementalKeyTests {
  /// `state` with every kept key forgotten: its fingerprint is then computed from its fields.
  func forgetting(_ state: KernelState) -> KernelState {
    var fresh = state
    fresh.sharedKey = CachedKey()
    for t in fresh.tasks.indices {
      fresh.tasks[t].key = CachedKey()
    }
    return fresh
  }

  @Test(
    "a successor written over another state equals the one applied to a copy, keys included",
    arguments: allScenarioPaths)
  func reusedSuccessor(path: String) throws {
    let system = try ScenarioRun.makeSystem(try loadScenario(path))
    // The state each successor is written over: the previous successor, as the depth-first
    // search does, or every third time the state itself (buffers shared with it, as a
    // successor the search just stored shares them with its frame).
    var reused = system.initialStates()[0]
    var steps = 0
    _ = StateEncodingTests().reachable(system, limit: 2000) { state, step, copy in
      steps += 1
      if steps % 3 == 0 { reused = state }
      system.apply(step, to: state, into: &reused)
      #expect(reused == copy)
      let fingerprint = system.fingerprint(of: reused)
      #expect(fingerprint == system.fingerprint(of: copy))
      #expect(fingerprint == system.fingerprint(of: forgetting(reused)))
      #expect(
        system.fingerprint(of: reused, symmetry: true).0
          == system.fingerprint(of: forgetting(reused), symmetry: true).0)
    }
  }

  @Test(
    "states with one property summary are reported alike by every property",
    arguments: allScenarioPaths)
  func propertySummary(path: String) throws {
    let scenario = try loadScenario(path)
    let system = try ScenarioRun.makeSystem(scenario)
    let states = StateEncodingTests().reachable(system, limit: 2000)
    guard !scenario.config.assertions.isEmpty else {
      var verdicts: [UInt64: [Bool]] = [:]
      for s in states {
        let summary = try #require(system.propertySummary(of: s))
        let these = system.properties.map { $0.predicate(s) }
        #expect(verdicts[summary, default: these] == these)
        verdicts[summary] = these
      }
      return
    }
    #expect(states.allSatisfy { system.propertySummary(of: $0) == nil })
  }
}
