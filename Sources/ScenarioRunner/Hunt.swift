import Dispatch
import Exploration
import Foundation
import KernelModel
import ScenarioFormat
import Synchronization

/// `fanmc hunt`: finds bugs nobody wrote a scenario for. It generates small programs (scenario
/// texts, through the real resolver), first every program of a small space in a fixed order
/// (`HuntEnumeration`), then larger ones sampled by mutating the programs that reached new
/// coverage (`HuntSampler`); explores each with `run`'s search under a per-program state bound;
/// keeps what violates a property or deadlocks, one finding per signature; and minimizes each
/// finding into a ready-to-commit scenario (`HuntFinding`).
///
/// Deterministic: programs go in batches of `HuntConfig.batchSize`, each batch generated from
/// the corpus as it stood before it, explored in parallel and merged in program order, so the
/// same seed and the same number of programs give the same report with any number of workers.
public enum Hunt {
  /// Hunts as `config` says and reports what it found.
  public static func run(_ config: HuntConfig) throws(HuntError) -> HuntReport {
    let started = Date()
    var report = try explore(config)
    report = assemble(report)
    report.seconds = Date().timeIntervalSince(started)
    return report
  }

  /// Sampling lanes: program i belongs to lane i modulo `lanes`, and each lane samples from its
  /// own seed and its own corpus (what its programs reached that they had not), so the programs
  /// of a lane never depend on another lane's results. A shard (`HuntConfig.shard`) runs whole
  /// lanes: shards merged give exactly the report of one unsharded run.
  public static let lanes = 16

  /// The lane of program `i`.
  static func lane(_ i: Int) -> Int { i % lanes }

  /// Explores this shard's programs: the counters, the coverage and every signature's first
  /// program, minimized (each finding once per first program: nothing grouped, named or judged).
  public static func explore(_ config: HuntConfig) throws(HuntError) -> HuntReport {
    if let problem = config.problem { throw HuntError(message: problem) }
    let started = Date()
    var enumerated = HuntEnumeration.programs(listeners: config.listeners)
    let space = enumerated.count
    if let limit = config.enumerationLimit { enumerated = Array(enumerated.prefix(limit)) }
    var samplers = (0..<lanes).map {
      HuntSampler(
        seed: config.seed &+ UInt64($0) &* 0x9E37_79B9_7F4A_7C15, listeners: config.listeners)
    }
    var corpora = [[HuntProgram]](repeating: [], count: lanes)
    var laneCoverage = [HuntCoverage](repeating: HuntCoverage(), count: lanes)
    var report = HuntReport(config: config, enumeratedSpace: space)
    report.hookFunctionsInProfile = HuntCoverage.hookFunctions(of: config.profileValue!)
    var firstFinds: [String: HuntProgram] = [:]
    var index = 0
    while true {
      if let limit = config.programs, index >= limit { break }
      if let seconds = config.seconds, Date().timeIntervalSince(started) >= seconds { break }
      if config.programs == nil && config.seconds == nil { break }
      var count = config.batchSize
      if let limit = config.programs { count = min(count, limit - index) }
      // Every lane samples from its corpus as it stood before the batch.
      let mine = (index..<(index + count)).filter { config.shard.contains(lane($0)) }
      let batch: [HuntProgram] = mine.map { i in
        i < enumerated.count ? enumerated[i] : samplers[lane(i)].next(corpus: corpora[lane(i)])
      }
      let outcomes = explore(batch, indices: mine, config: config)
      for (k, outcome) in outcomes.enumerated() {
        let i = mine[k]
        if i < enumerated.count { report.enumerated += 1 } else { report.sampled += 1 }
        report.states += outcome.states
        switch outcome.status {
        case .rejected: report.rejected += 1
        case .bounded: report.bounded += 1
        case .complete: break
        }
        let c = outcome.coverage
        report.steps.formUnion(c.steps)
        report.hookSites.formUnion(c.hookSites)
        report.stepSites.formUnion(c.stepSites)
        if laneCoverage[lane(i)].add(c) {
          corpora[lane(i)].append(batch[k])
          report.corpus += 1
        }
        for signature in outcome.signatures {
          if let at = report.findings.firstIndex(where: { $0.signature == signature }) {
            report.findings[at].programs += 1
            continue
          }
          report.findings.append(
            HuntFinding(signature: signature, firstProgram: i, sampled: i >= enumerated.count))
          firstFinds[signature.description] = batch[k]
          config.onFinding?(signature, i, Date().timeIntervalSince(started))
        }
      }
      index += count
      config.onProgress?(
        HuntProgress(
          programs: report.programs, states: report.states, findings: report.findings.count,
          bounded: report.bounded, steps: report.steps.count, hookSites: report.hookSites.count,
          seconds: Date().timeIntervalSince(started)))
    }
    report.exploreSeconds = Date().timeIntervalSince(started)
    // Minimize every signature's first program, in parallel.
    let firstPrograms = report.findings.map { firstFinds[$0.signature.description]! }
    report.findings = parallelMap(report.findings, workers: config.workers) { k, f in
      var f = f
      f.minimize(firstPrograms[k], config: config)
      return f
    }
    return report
  }

  /// The report of explored programs: findings whose minimized scenarios show the same
  /// signature are merged (one bug met in several shapes), in the order their first programs
  /// were explored; each is named, and its scenario written and checked.
  public static func assemble(_ explored: HuntReport) -> HuntReport {
    var report = explored
    let config = report.config
    var merged: [HuntFinding] = []
    for f in report.findings.sorted(by: { $0.firstProgram < $1.firstProgram }) {
      if let j = merged.firstIndex(where: { $0.signature == f.minimizedSignature }) {
        merged[j].programs += f.programs
        merged[j].alsoSeenAs.append(f.signature)
        continue
      }
      var g = f
      if g.signature != g.minimizedSignature {
        g.alsoSeenAs.append(g.signature)
        g.signature = g.minimizedSignature
      }
      merged.append(g)
    }
    var used = Set<String>()
    for k in merged.indices {
      let base = HuntFinding.fileName(merged[k].signature, profile: config.profile)
      var name = base
      var n = 2
      while used.contains(name) {
        name = "\(base)-\(n)"
        n += 1
      }
      used.insert(name)
      merged[k].name = name
    }
    report.findings = parallelMap(merged, workers: config.workers) { _, f in
      var f = f
      f.judge(config: config)
      return f
    }
    return report
  }

  /// `transform` of each element (with its position), on `workers` threads, in order.
  static func parallelMap<T: Sendable, U: Sendable>(
    _ items: [T], workers: Int, _ transform: @Sendable (Int, T) -> U
  ) -> [U] {
    let out = Mutex<[U?]>(Array(repeating: nil, count: items.count))
    DispatchQueue.concurrentPerform(iterations: max(1, min(workers, items.count))) { w in
      var k = w
      while k < items.count {
        let value = transform(k, items[k])
        out.withLock { $0[k] = value }
        k += workers
      }
    }
    return out.withLock { $0.map { $0! } }
  }

  /// Explores `batch` (programs `indices`) on `config.workers` threads; the outcomes in program
  /// order.
  static func explore(_ batch: [HuntProgram], indices: [Int], config: HuntConfig)
    -> [ProgramOutcome]
  {
    parallelMap(batch, workers: config.workers) { k, program in
      explore(program, index: indices[k], config: config)
    }
  }

  /// What exploring one program came to.
  struct ProgramOutcome: Sendable {
    enum Status: Sendable { case complete, bounded, rejected }
    var status: Status
    var states = 0
    var coverage = HuntCoverage()
    var signatures: [HuntSignature] = []
  }

  /// Resolves and explores program `index`.
  static func explore(_ program: HuntProgram, index: Int, config: HuntConfig) -> ProgramOutcome {
    let name = "hunt-\(index)"
    let text = program.render(name: name, profile: config.profile, switches: config.switchPairs)
    guard
      let scenario = try? ScenarioResolver.resolve(
        SourceFile(path: name + ".scenario", text: text)),
      let base = try? ScenarioRun.makeSystem(scenario)
    else { return ProgramOutcome(status: .rejected) }
    let system = CoverageRecordingSystem(base)
    var exploration = ExplorationConfig()
    exploration.maxStates = config.maxStates
    // Only deterministic bounds: a clock would make the report depend on the machine.
    exploration.timeLimitSeconds = .infinity
    guard let result = try? Explorer(system: system, config: exploration).run() else {
      return ProgramOutcome(status: .rejected)
    }
    let sizeBound = result.witnesses.contains { $0.propertyID == KernelSystem.sizeBoundID }
    var outcome = ProgramOutcome(
      status: result.isComplete && !sizeBound ? .complete : .bounded,
      states: result.stats.states, coverage: system.coverage)
    for v in result.violations where HuntSignature.counts(v.propertyID) {
      if let s = HuntSignature(v, system: base) { outcome.signatures.append(s) }
    }
    return outcome
  }
}

/// Every bound and switch of one hunt.
public struct HuntConfig: Sendable {
  /// The kernel profile every program runs under (`--profile`).
  public var profile: String
  /// Profile switches set in every program (`--set SWITCH=VALUE`), in the order given.
  public var switches: [HuntSwitch] = []
  /// The listeners drawn from (`--listener`); the first two are the enumeration's primary ones.
  /// Default: the well-behaved ones (`HuntListener.wellBehaved`).
  public var listeners: [String] = HuntListener.wellBehaved
  /// Stop after this many programs (`--programs`); with `seconds` whichever comes first.
  public var programs: Int?
  /// Stop starting batches after this many seconds (`--budget`). With neither this nor
  /// `programs` the hunt runs no program (`fanmc hunt` defaults to 600 s).
  public var seconds: Double?
  /// The sampler's seed (`--seed`). Default 1.
  public var seed: UInt64 = 1
  /// Threads exploring programs (`--workers`). Default 1. The report does not depend on it.
  public var workers: Int = 1
  /// States one program may store (`--max-states`); a program that hits it is bounded, neither
  /// a finding nor clean. Default 20 000: the enumerated programs have at most a few thousand
  /// states, and a sampled program with more would slow the hunt more than it teaches.
  public var maxStates: Int = 20_000
  /// The lanes this process explores (`--shard K/N`: the lanes at K-1 modulo N); the whole by
  /// default.
  public var shard = Shard.whole
  /// Programs per batch: coverage feedback reaches the sampler between batches. Default 32.
  public var batchSize: Int = 32
  /// Sample after this many enumerated programs (nil: after the whole enumeration). Tests use
  /// it to reach the sampler quickly.
  public var enumerationLimit: Int?
  /// Called (on the hunting thread) after each batch.
  public var onProgress: (@Sendable (HuntProgress) -> Void)?
  /// Called when a new signature is found: the signature, the program index, the seconds since
  /// the start.
  public var onFinding: (@Sendable (HuntSignature, Int, Double) -> Void)?

  public init(profile: String) { self.profile = profile }

  /// The profile preset named `profile`, nil when there is none.
  public var profileValue: Profile? { Profile.preset(named: profile) }

  var switchPairs: [(String, String)] { switches.map { ($0.name, $0.value) } }

  /// What is wrong with this configuration, or nil.
  public var problem: String? {
    guard let p = profileValue else {
      return "unknown profile '\(profile)' (known: "
        + Profile.presets.map(\.name).joined(separator: ", ") + ")"
    }
    var q = p
    for s in switches {
      if let error = q.set(s.name, to: s.value) { return "--set: \(error)" }
    }
    if listeners.isEmpty { return "--listener needs at least one listener" }
    for l in listeners where !HuntListener.all.contains(l) {
      return "unknown listener '\(l)' (known: \(HuntListener.all.joined(separator: ", ")), all)"
    }
    if workers < 1 { return "--workers must be at least 1" }
    if maxStates < 1 { return "--max-states must be at least 1" }
    if batchSize < 1 { return "the batch size must be at least 1" }
    if let programs, programs < 1 { return "--programs must be at least 1" }
    if let seconds, !(seconds > 0) { return "--budget must be more than 0 seconds" }
    return nil
  }
}

/// `--set NAME=VALUE`.
public struct HuntSwitch: Hashable, Sendable {
  public var name: String
  public var value: String

  public init(name: String, value: String) {
    self.name = name
    self.value = value
  }
}

/// A hunt configuration that cannot run.
public struct HuntError: Error, Sendable, CustomStringConvertible {
  public var message: String
  public var description: String { message }
}

/// How far a hunt is, after a batch.
public struct HuntProgress: Sendable {
  public var programs: Int
  public var states: Int
  public var findings: Int
  public var bounded: Int
  public var steps: Int
  public var hookSites: Int
  public var seconds: Double
}

/// What a hunt found and covered.
public struct HuntReport: Sendable {
  public var config: HuntConfig
  /// The size of the enumerated space (`HuntEnumeration.programs`).
  public var enumeratedSpace: Int
  /// Programs explored from the enumeration, and sampled ones.
  public var enumerated = 0
  public var sampled = 0
  /// Programs the resolver refused (a sampled mutation can ask for what a scenario may not).
  public var rejected = 0
  /// Programs whose exploration hit a bound (states, or a file's max): neither clean nor a
  /// finding.
  public var bounded = 0
  /// States stored over all programs.
  public var states = 0
  /// Corpus entries: programs that reached new coverage.
  public var corpus = 0
  public var findings: [HuntFinding] = []
  /// Kernel step kinds and hook sites reached.
  public var steps: Set<String> = []
  public var hookSites: Set<String> = []
  /// Step kinds by the syscall they were taken in (`HuntCoverage.stepSites`).
  public var stepSites: Set<String> = []
  /// The hook functions the profile has (`HuntCoverage.hookFunctions`).
  public var hookFunctionsInProfile: [String] = []
  /// Wall-clock time in all and exploring programs (the rest minimizes and checks findings);
  /// not part of the deterministic report.
  public var seconds: Double = 0
  public var exploreSeconds: Double = 0

  public var programs: Int { enumerated + sampled }

  /// The hook functions reached, in the profile's order.
  public var hookFunctionsReached: [String] {
    let reached = Set(hookSites.map(HuntCoverage.hookFunction(ofSite:)))
    return hookFunctionsInProfile.filter(reached.contains)
  }
}
