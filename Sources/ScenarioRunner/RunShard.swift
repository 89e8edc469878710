import Foundation

/// A swarm shard's output (`fanmc run FILE --strategy swarm --shard K/N --format json`) and how
/// `fanmc merge` puts a swarm back together. Members are independent (each has its own seed,
/// bias and coverage), so the whole swarm's report is its members' reports combined: counts
/// added, each property's first violation or witness taken from the earliest member that found
/// it, in the order the members found them.
struct RunShardFile: Codable {
  var command: String
  var shard: String
  var members: Int
  /// The swarm's seed and walks per member: every shard's must agree.
  var seed: UInt64
  var walks: Int
  var run: JSONRenderer.Run
  /// The member that found each violated or witnessed property (`deadlock` for the deadlock).
  var foundByMember: [String: Int]

  /// The member that found `f`.
  func member(of f: JSONRenderer.Finding) -> Int {
    foundByMember[f.kind == "deadlock" ? "deadlock" : f.property] ?? Int.max
  }
}

extension RunReport {
  /// `run --strategy swarm --shard K/N --format json`: this shard's report, for `fanmc merge`.
  public func swarmShardJSON(shard: Shard) -> String {
    JSONRenderer.encode(
      RunShardFile(
        command: "run", shard: shard.description, members: exploration.swarmMembers,
        seed: exploration.seed, walks: exploration.walks, run: JSONRenderer.run(self),
        foundByMember: result.stats.foundByMember))
  }
}

extension ShardMerge {
  /// The swarm shards as one swarm's report (the JSON `run --format json` prints).
  static func mergeSwarm(_ parts: [RunShardFile]) -> String {
    let parts = parts.sorted {
      (Shard(parsing: $0.shard)?.index ?? 0) < (Shard(parsing: $1.shard)?.index ?? 0)
    }
    let n = parts.count
    var run = parts[0].run
    // The earliest member's finding of each property (every deadlock is one), in the order the
    // members found them.
    func firsts(_ pick: (JSONRenderer.Run) -> [JSONRenderer.Finding]) -> [JSONRenderer.Finding] {
      var best: [String: (member: Int, order: Int, finding: JSONRenderer.Finding)] = [:]
      for p in parts {
        for (order, f) in pick(p.run).enumerated() {
          let key = f.kind == "deadlock" ? "deadlock" : f.property
          let member = p.member(of: f)
          if let b = best[key], (b.member, b.order) <= (member, order) { continue }
          best[key] = (member, order, f)
        }
      }
      return best.values.sorted { ($0.member, $0.order) < ($1.member, $1.order) }.map(\.finding)
    }
    run.violations = firsts(\.violations)
    run.gaps = firsts(\.gaps)
    run.witnesses = firsts(\.witnesses)
    var seeds = [UInt64?](repeating: nil, count: parts[0].members)
    for (k, p) in parts.enumerated() {
      for (j, seed) in p.run.stats.seeds.enumerated() where k + j * n < seeds.count {
        seeds[k + j * n] = seed
      }
    }
    run.stats.seeds = seeds.compactMap { $0 }
    run.stats.walks = parts.reduce(0) { $0 + $1.run.stats.walks }
    run.stats.states = parts.reduce(0) { $0 + $1.run.stats.states }
    run.stats.transitions = parts.reduce(0) { $0 + $1.run.stats.transitions }
    run.stats.maxDepth = parts.map(\.run.stats.maxDepth).max() ?? 0
    run.stats.seconds = parts.reduce(0) { $0 + $1.run.stats.seconds }
    run.stats.statesPerSecond = Double(run.stats.states) / max(run.stats.seconds, 1e-9)
    run.stats.peakMemoryBytes = parts.map(\.run.stats.peakMemoryBytes).max() ?? 0
    let probabilities = parts.compactMap(\.run.stats.omissionProbability)
    run.stats.omissionProbability = probabilities.isEmpty ? nil : probabilities.max()
    // A bound other than sampling (states, time) stops a shard early: the first one is reported.
    if let stopped = parts.first(where: { $0.run.bound != "sampling" }) {
      run.bound = stopped.run.bound
      run.expectationsMet = stopped.run.expectationsMet
      run.expectationProblems = stopped.run.expectationProblems
    }
    let violated = Set(run.violations.map(\.property))
    let reached = Set((run.gaps + run.witnesses).map(\.property))
    run.properties = run.properties.map {
      var p = $0
      if p.status == "reached" || p.status == "not-reached" {
        p.status = reached.contains(p.id) ? "reached" : "not-reached"
      } else if reached.contains(p.id) {
        p.status = "reached"
      } else {
        p.status = violated.contains(p.id) ? "violated" : "unknown"
      }
      return p
    }
    run.verdict =
      run.violations.contains { $0.kind != "deadlock" }
      ? "violation" : run.violations.isEmpty ? "incomplete" : "deadlock"
    return JSONRenderer.encode(run)
  }
}
