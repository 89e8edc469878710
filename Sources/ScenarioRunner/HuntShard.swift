import Foundation

/// A hunt shard's output (`fanmc hunt --shard K/N --format json`) and how `fanmc merge` puts
/// shards together: the shard's counters, coverage and every signature's first program,
/// minimized but not yet grouped, named or checked (`Hunt.explore`), with the configuration
/// every shard must share.
struct HuntShardFile: Codable {
  var command: String
  var shard: String
  var profile: String
  var switches: [String]
  var seed: UInt64
  var listeners: [String]
  var maxStates: Int
  /// `--programs`, if the budget was a number of programs (then the merge is exact).
  var programs: Int?
  var enumerationLimit: Int?
  var enumeratedSpace: Int
  var enumerated: Int
  var sampled: Int
  var rejected: Int
  var bounded: Int
  var states: Int
  var corpus: Int
  var steps: [String]
  var hookSites: [String]
  var stepSites: [String]
  var hookFunctionsInProfile: [String]
  var findings: [HuntFinding]

  init(_ r: HuntReport) {
    let c = r.config
    command = "hunt"
    shard = c.shard.description
    profile = c.profile
    switches = c.switches.map { "\($0.name)=\($0.value)" }
    seed = c.seed
    listeners = c.listeners
    maxStates = c.maxStates
    programs = c.programs
    enumerationLimit = c.enumerationLimit
    enumeratedSpace = r.enumeratedSpace
    enumerated = r.enumerated
    sampled = r.sampled
    rejected = r.rejected
    bounded = r.bounded
    states = r.states
    corpus = r.corpus
    steps = r.steps.sorted()
    hookSites = r.hookSites.sorted()
    stepSites = r.stepSites.sorted()
    hookFunctionsInProfile = r.hookFunctionsInProfile
    findings = r.findings.sorted { $0.firstProgram < $1.firstProgram }
  }

  /// What every shard of one hunt shares.
  var whole: String {
    "--profile \(profile) \(switches.map { "--set \($0)" }.joined(separator: " ")) --seed \(seed) "
      + "--listener \(listeners.joined(separator: ",")) --max-states \(maxStates) "
      + "--programs \(programs.map(String.init) ?? "-") \(enumerationLimit.map(String.init) ?? "")"
  }

  /// The explored report this shard stands for, with `workers` for the merge's checks.
  func report(workers: Int) -> HuntReport {
    var c = HuntConfig(profile: profile)
    c.switches = switches.map {
      let parts = $0.split(separator: "=", maxSplits: 1).map(String.init)
      return HuntSwitch(name: parts[0], value: parts.count > 1 ? parts[1] : "")
    }
    c.seed = seed
    c.listeners = listeners
    c.maxStates = maxStates
    c.programs = programs
    c.enumerationLimit = enumerationLimit
    c.workers = workers
    c.shard = Shard(parsing: shard) ?? .whole
    var r = HuntReport(config: c, enumeratedSpace: enumeratedSpace)
    r.enumerated = enumerated
    r.sampled = sampled
    r.rejected = rejected
    r.bounded = bounded
    r.states = states
    r.corpus = corpus
    r.steps = Set(steps)
    r.hookSites = Set(hookSites)
    r.stepSites = Set(stepSites)
    r.hookFunctionsInProfile = hookFunctionsInProfile
    r.findings = findings
    return r
  }
}

extension HuntReport {
  /// `fanmc hunt --shard K/N --format json`: this shard's explored programs, for `fanmc merge`.
  public func shardJSON() -> String { JSONRenderer.encode(HuntShardFile(self)) }

  /// The shards' explored reports as one (counters summed, coverage joined, each signature's
  /// earliest first program kept with every shard's count), assembled as one run assembles its
  /// own.
  static func merging(_ parts: [HuntReport]) -> HuntReport {
    var r = parts[0]
    r.config.shard = .whole
    for p in parts.dropFirst() {
      r.enumerated += p.enumerated
      r.sampled += p.sampled
      r.rejected += p.rejected
      r.bounded += p.bounded
      r.states += p.states
      r.corpus += p.corpus
      r.steps.formUnion(p.steps)
      r.hookSites.formUnion(p.hookSites)
      r.stepSites.formUnion(p.stepSites)
      for f in p.findings {
        guard let k = r.findings.firstIndex(where: { $0.signature == f.signature }) else {
          r.findings.append(f)
          continue
        }
        let programs = r.findings[k].programs + f.programs
        if f.firstProgram < r.findings[k].firstProgram { r.findings[k] = f }
        r.findings[k].programs = programs
      }
    }
    return Hunt.assemble(r)
  }
}
