import Foundation

/// One of N disjoint parts of a piece of work (`--shard K/N`): the items whose index is K-1
/// modulo N. N independent processes given 1/N … N/N cover every item exactly once, whatever
/// scheduler starts them (a CI matrix, GNU parallel, Kubernetes indexed Jobs), and `fanmc merge`
/// puts their outputs back together.
public struct Shard: Hashable, Sendable, Codable, CustomStringConvertible {
  /// 1-based.
  public var index: Int
  public var count: Int

  public init(index: Int, count: Int) {
    self.index = index
    self.count = count
  }

  /// The whole: shard 1/1.
  public static let whole = Shard(index: 1, count: 1)

  /// Parses `K/N` with 1 ≤ K ≤ N; nil for anything else.
  public init?(parsing text: String) {
    let parts = text.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), n >= 1, k >= 1, k <= n
    else { return nil }
    self.init(index: k, count: n)
  }

  /// Whether item `i` (0-based) is this shard's.
  public func contains(_ i: Int) -> Bool { i % count == index - 1 }

  public var description: String { "\(index)/\(count)" }
}

/// What `fanmc check` found for one file: its report, or why the file is invalid.
public struct CheckOutcome: Sendable {
  /// The file's position in the whole (unsharded) list.
  public var index: Int
  public var file: String
  var run: JSONRenderer.Run?
  /// The rendered diagnostic of an invalid file.
  public var invalid: String?

  init(index: Int, file: String, run: JSONRenderer.Run?, invalid: String?) {
    self.index = index
    self.file = file
    self.run = run
    self.invalid = invalid
  }

  public init(index: Int, file: String, report: RunReport) {
    self.init(index: index, file: file, run: JSONRenderer.run(report), invalid: nil)
  }

  public init(index: Int, file: String, invalid: String) {
    self.init(index: index, file: file, run: nil, invalid: invalid)
  }

  public var expectationsMet: Bool { run?.expectationsMet ?? false }

  /// `check`'s line for the file, its path padded to `width`.
  public func line(width: Int) -> String {
    let padded = file.padding(toLength: max(width, file.count), withPad: " ", startingAt: 0)
    guard let run else { return "INVALID  \(file)" }
    let found = (run.violations.map(\.property) + run.gaps.map { "gap \($0.property)" })
      .joined(separator: ", ")
    let summary =
      "\(run.verdict)\(found.isEmpty ? "" : " (\(found))"), \(run.stats.states) states"
    if run.expectationsMet { return "ok       \(padded)  \(summary)" }
    return "FAIL     \(padded)  \(summary): " + run.expectationProblems.joined(separator: "; ")
  }
}

/// The outcomes of a whole `check` (one shard's or merged), in file order, and its renderings.
public struct CheckReport: Sendable {
  public var shard: Shard
  /// Files in the whole list (every shard's).
  public var total: Int
  public var outcomes: [CheckOutcome]

  public init(shard: Shard = .whole, total: Int, outcomes: [CheckOutcome]) {
    self.shard = shard
    self.total = total
    self.outcomes = outcomes
  }

  public var notMet: Int { outcomes.filter { $0.run != nil && !$0.expectationsMet }.count }
  public var invalid: Int { outcomes.filter { $0.invalid != nil }.count }

  /// The last line of `check`'s text.
  public var summaryLine: String {
    let met = outcomes.count - notMet - invalid
    return "\(outcomes.count) scenarios: \(met) met, \(notMet) not met"
      + (invalid > 0 ? ", \(invalid) invalid" : "")
  }

  /// `check`'s text: a line per file, then the summary.
  public func text() -> String {
    let width = outcomes.map(\.file.count).max() ?? 0
    return (outcomes.map { $0.line(width: width) } + [summaryLine]).joined(separator: "\n")
  }

  /// `check --format json` of the whole: the array of runs (invalid files are not in it).
  public func json() -> String { JSONRenderer.encode(outcomes.compactMap(\.run)) }

  struct ShardFile: Codable {
    struct Entry: Codable {
      var index: Int
      var file: String
      var run: JSONRenderer.Run?
      var invalid: String?
    }
    var command: String
    var shard: String
    var total: Int
    var outcomes: [Entry]
  }

  /// `check --shard K/N --format json`: this shard's outcomes with their places in the whole,
  /// invalid files included, for `fanmc merge`.
  public func shardJSON() -> String {
    JSONRenderer.encode(
      ShardFile(
        command: "check", shard: shard.description, total: total,
        outcomes: outcomes.map {
          ShardFile.Entry(index: $0.index, file: $0.file, run: $0.run, invalid: $0.invalid)
        }))
  }

  /// Reads one shard's output; nil if `data` is not a `check` shard file.
  static func decodeShard(_ data: Data) -> CheckReport? {
    guard let file = try? JSONDecoder().decode(ShardFile.self, from: data),
      file.command == "check", let shard = Shard(parsing: file.shard)
    else { return nil }
    return CheckReport(
      shard: shard, total: file.total,
      outcomes: file.outcomes.map {
        CheckOutcome(index: $0.index, file: $0.file, run: $0.run, invalid: $0.invalid)
      })
  }
}

/// Puts the JSON outputs of a sharded command back together (`fanmc merge`).
public enum ShardMerge {
  public struct MergeError: Error, Sendable {
    /// `path:1:1: error: …`.
    public var message: String
  }

  /// What the merged files held.
  public enum Merged: Sendable {
    case check(CheckReport)
    case hunt(HuntReport)
    /// A swarm's report: the JSON `fanmc run --format json` prints.
    case swarm(String)
  }

  /// One input: a shard of a check or of a hunt.
  enum Part {
    case check(CheckReport)
    case hunt(HuntShardFile)
    case swarm(RunShardFile)

    var command: String {
      switch self {
      case .check: "check"
      case .hunt: "hunt"
      case .swarm: "run"
      }
    }
    var shard: Shard {
      switch self {
      case .check(let r): r.shard
      case .hunt(let h): Shard(parsing: h.shard) ?? .whole
      case .swarm(let r): Shard(parsing: r.shard) ?? .whole
      }
    }
    /// What every shard of the same run shares.
    var whole: String {
      switch self {
      case .check(let r): "\(r.total) file(s)"
      case .hunt(let h): h.whole
      case .swarm(let r):
        "\(r.run.file), \(r.members) members of \(r.walks) walks, seed \(r.seed)"
      }
    }
  }

  struct Head: Codable { var command: String }

  /// Merges the outputs of every shard of one command: each shard exactly once, the same N and
  /// the same whole. Hunt shards are assembled as one hunt is (grouped, named, their scenarios
  /// checked) on `workers` threads.
  public static func merge(_ inputs: [(path: String, data: Data)], workers: Int = 1)
    throws(MergeError) -> Merged
  {
    func fail(_ path: String, _ message: String) -> MergeError {
      MergeError(message: "\(path):1:1: error: \(message)")
    }
    guard let first = inputs.first else {
      throw MergeError(message: "error: nothing to merge")
    }
    var parts: [(path: String, part: Part)] = []
    for input in inputs {
      let head = try? JSONDecoder().decode(Head.self, from: input.data)
      if head?.command == "run",
        let r = try? JSONDecoder().decode(RunShardFile.self, from: input.data),
        Shard(parsing: r.shard) != nil
      {
        parts.append((input.path, .swarm(r)))
      } else if head?.command == "hunt",
        let h = try? JSONDecoder().decode(HuntShardFile.self, from: input.data),
        Shard(parsing: h.shard) != nil
      {
        parts.append((input.path, .hunt(h)))
      } else if let report = CheckReport.decodeShard(input.data) {
        parts.append((input.path, .check(report)))
      } else {
        throw fail(
          input.path,
          "not the JSON of a sharded command (fanmc check|hunt|run --shard K/N --format json)")
      }
    }
    let reference = parts[0].part
    var seen: [Int: String] = [:]
    for (path, part) in parts {
      guard part.command == reference.command, part.shard.count == reference.shard.count,
        part.whole == reference.whole
      else {
        throw fail(
          path,
          "\(part.command) shard \(part.shard) of \(part.whole) does not belong with "
            + "\(first.path)'s \(reference.command) shard \(reference.shard) of \(reference.whole)")
      }
      if let other = seen[part.shard.index] {
        throw fail(path, "shard \(part.shard) is also \(other)")
      }
      seen[part.shard.index] = path
    }
    let count = reference.shard.count
    let missing = (1...count).filter { seen[$0] == nil }.map { "\($0)/\(count)" }
    guard missing.isEmpty else {
      throw fail(first.path, "missing shard(s) \(missing.joined(separator: ", "))")
    }
    switch reference {
    case .swarm:
      let runs = parts.compactMap { p -> RunShardFile? in
        guard case .swarm(let r) = p.part else { return nil }
        return r
      }
      return .swarm(mergeSwarm(runs))
    case .hunt:
      let reports = parts.compactMap { p -> HuntReport? in
        guard case .hunt(let h) = p.part else { return nil }
        return h.report(workers: workers)
      }
      return .hunt(HuntReport.merging(reports))
    case .check(let whole):
      var outcomes: [CheckOutcome] = []
      for (path, part) in parts {
        guard case .check(let report) = part else { continue }
        for o in report.outcomes where !report.shard.contains(o.index) || o.index >= whole.total {
          throw fail(path, "file #\(o.index) (\(o.file)) is not shard \(report.shard)'s")
        }
        outcomes += report.outcomes
      }
      outcomes.sort { $0.index < $1.index }
      guard outcomes.map(\.index) == Array(0..<whole.total) else {
        throw fail(first.path, "the shards do not hold each of the \(whole.total) file(s) once")
      }
      return .check(CheckReport(total: whole.total, outcomes: outcomes))
    }
  }
}
