import Exploration
import KernelModel
import ScenarioRunner
import Testing

@Suite("The kernel state's canonical encoding")
struct StateEncodingTests {
  /// Explores `system` breadth-first with a plain `Set` of states (no fingerprints involved).
  func reachable(_ system: KernelSystem, limit: Int = 50_000) -> Set<KernelState> {
    var seen: Set<KernelState> = []
    var frontier = system.initialStates()
    while let s = frontier.popLast(), seen.count < limit {
      guard seen.insert(s).inserted else { continue }
      for t in system.transitions(from: s) { frontier.append(system.apply(t, to: s)) }
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
