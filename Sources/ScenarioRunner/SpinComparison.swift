import Foundation

/// `fanmc bench --vs-spin`: the same family explored by SPIN from the Promela model kept beside
/// the scenarios (`Scenarios/benchmarks/hsm-any-access.pml`), both times to verdict side by side.
/// Installs nothing: when `spin` or `gcc` is missing it says how to get them.
public enum SpinComparison {
  /// What SPIN reported for one size.
  public struct Result: Sendable {
    public var states: Int
    /// The depth SPIN's search reached, and the stack (`pan -m`) and hash table (`pan -w`,
    /// 2^bits slots) it ran with.
    public var depth: Int
    public var stack: Int
    public var hashBits: Int
    /// Generating (spin -a) and compiling (gcc) the verifier.
    public var buildSeconds: Double
    /// Running the verifier: SPIN's search alone (the final, sized run).
    public var searchSeconds: Double
    public var errors: Int
    /// Runs before the final one that found the stack or the table too small.
    public var calibrations: Int

    /// Time to verdict from the model: build and search.
    public var seconds: Double { buildSeconds + searchSeconds }
    public var statesPerSecond: Double { searchSeconds == 0 ? 0 : Double(states) / searchSeconds }
  }

  /// Why SPIN cannot run here, or nil when it can.
  public static func unavailable() -> String? {
    for tool in ["spin", "gcc"] where which(tool) == nil {
      return "\(tool) is not installed: apt-get update && apt-get install -y spin gcc"
    }
    return nil
  }

  static func which(_ tool: String) -> String? {
    for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(
      separator: ":")
    {
      let path = "\(dir)/\(tool)"
      if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return nil
  }

  /// Generates, compiles and runs the SPIN verifier for one size (safety: assertions and invalid
  /// end states), timing each step, in SPIN's best exact configuration for the size: -DCOLLAPSE
  /// state compression, a search stack sized to the model's depth and a hash table sized to its
  /// state count. The stack starts at 1000 steps and the table at 2^bits slots for
  /// `expectedStates` (two per state); a run that finds the stack too small (SPIN's "max search
  /// depth too small"), or the table smaller than the states or more than 8 times larger, is a
  /// calibration, and the search is run again sized from what it reported, so only a sized run
  /// is timed. `reduction: false` turns SPIN's partial-order
  /// reduction off (-DNOREDUCE), for the per-state comparison.
  public static func run(
    model: String, apps: Int, operations: Int, pages: Int, reduction: Bool = true,
    expectedStates: Int = 1 << 20
  ) throws -> Result {
    let dir = FileManager.default.temporaryDirectory
      .appendingPathComponent("fanmc-spin-\(getpid())-\(apps)-\(operations)-\(pages)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let start = Date()
    _ = try exec(
      which("spin")!, ["-a", "-DAPPS=\(apps)", "-DOPS=\(operations)", "-DPAGES=\(pages)", model],
      in: dir)
    _ = try exec(
      which("gcc")!,
      ["-O2", "-DSAFETY", "-DCOLLAPSE"] + (reduction ? [] : ["-DNOREDUCE"])
        + ["-o", "pan", "pan.c"], in: dir)
    let buildSeconds = Date().timeIntervalSince(start)
    var stack = 1000
    var bits = hashBits(for: expectedStates)
    var calibrations = 0
    while true {
      let began = Date()
      let out = try exec(
        dir.appendingPathComponent("pan").path, ["-m\(stack)", "-w\(bits)"], in: dir,
        failureIsReport: true)
      let searchSeconds = Date().timeIntervalSince(began)
      if out.contains("max search depth too small") {
        stack *= 4
        calibrations += 1
        continue
      }
      let states = number(in: out, before: "states, stored")
      // Too small a table slows SPIN down, too large a one too (it is allocated and cleared):
      // rerun sized to the states found (once when too large), unless the guess was near.
      if states > 1 << bits || (calibrations == 0 && 1 << bits > 8 * max(states, 1 << 9)) {
        bits = hashBits(for: states)
        calibrations += 1
        continue
      }
      let errors =
        out.split(separator: "\n").first { $0.contains("errors:") }
        .flatMap { Int($0.split(separator: " ").last ?? "") } ?? -1
      return Result(
        states: states, depth: number(in: out, before: ", errors:", word: "reached"),
        stack: stack, hashBits: bits, buildSeconds: buildSeconds, searchSeconds: searchSeconds,
        errors: errors, calibrations: calibrations)
    }
  }

  /// The `pan -w` that gives at least two slots per state (2^10 at least): SPIN's table then
  /// stays at most half full.
  static func hashBits(for states: Int) -> Int {
    var bits = 10
    while 1 << bits < 2 * states { bits += 1 }
    return bits
  }

  /// The number before `marker` on the first line holding it (`4170 states, stored`), or with
  /// `word` the number after that word (`depth reached 57, errors: 0`); -1 when absent.
  static func number(in out: String, before marker: String, word: String? = nil) -> Int {
    guard let line = out.split(separator: "\n").first(where: { $0.contains(marker) }) else {
      return -1
    }
    let words = line.split(separator: " ")
    if let word {
      guard let i = words.firstIndex(of: Substring(word)), i + 1 < words.count else { return -1 }
      return Int(words[i + 1].filter(\.isNumber)) ?? -1
    }
    guard let i = words.firstIndex(where: { $0.hasPrefix(marker.split(separator: " ")[0]) }),
      i > 0
    else { return -1 }
    return Int(words[i - 1]) ?? -1
  }

  struct ToolError: Error, CustomStringConvertible {
    var description: String
  }

  /// Runs `tool`; its output, or (unless `failureIsReport`: pan exits non-zero on a full stack
  /// and reports it) a failure.
  static func exec(_ tool: String, _ args: [String], in dir: URL, failureIsReport: Bool = false)
    throws -> String
  {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: tool)
    p.arguments = args
    p.currentDirectoryURL = dir
    let pipe = Pipe()
    p.standardOutput = pipe
    p.standardError = pipe
    try p.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    let text = String(decoding: data, as: UTF8.self)
    guard p.terminationStatus == 0 || failureIsReport else {
      throw ToolError(description: "\(tool) failed (\(p.terminationStatus)): \(text.prefix(400))")
    }
    return text
  }
}
