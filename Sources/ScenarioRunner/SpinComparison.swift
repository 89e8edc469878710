import Foundation

/// `fanmc bench --vs-spin`: the same family explored by SPIN from the Promela model kept beside
/// the scenarios (`Scenarios/benchmarks/hsm-any-access.pml`), both times to verdict side by side.
/// Installs nothing: when `spin` or `gcc` is missing it says how to get them.
public enum SpinComparison {
  /// What SPIN reported for one size.
  public struct Result: Sendable {
    public var states: Int
    /// Generating (spin -a) and compiling (gcc) the verifier.
    public var buildSeconds: Double
    /// Running the verifier: SPIN's search alone.
    public var searchSeconds: Double
    public var errors: Int

    /// Time to verdict from the model: build and search.
    public var seconds: Double { buildSeconds + searchSeconds }
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
  /// end states; SPIN's own partial-order reduction on), timing all three steps.
  public static func run(model: String, apps: Int, operations: Int, pages: Int) throws -> Result {
    let dir = FileManager.default.temporaryDirectory
      .appendingPathComponent("fanmc-spin-\(getpid())-\(apps)-\(operations)-\(pages)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let start = Date()
    _ = try exec(
      which("spin")!, ["-a", "-DAPPS=\(apps)", "-DOPS=\(operations)", "-DPAGES=\(pages)", model],
      in: dir)
    _ = try exec(which("gcc")!, ["-O2", "-DSAFETY", "-o", "pan", "pan.c"], in: dir)
    let built = Date()
    let out = try exec(dir.appendingPathComponent("pan").path, ["-m10000000"], in: dir)
    let buildSeconds = built.timeIntervalSince(start)
    let searchSeconds = Date().timeIntervalSince(built)
    func number(before marker: String) -> Int {
      guard let line = out.split(separator: "\n").first(where: { $0.contains(marker) }) else {
        return -1
      }
      let words = line.split(separator: " ")
      guard let i = words.firstIndex(where: { $0.hasPrefix(marker.split(separator: " ")[0]) }),
        i > 0
      else { return -1 }
      return Int(words[i - 1]) ?? -1
    }
    let errors =
      out.split(separator: "\n").first { $0.contains("errors:") }
      .flatMap { Int($0.split(separator: " ").last ?? "") } ?? -1
    return Result(
      states: number(before: "states, stored"), buildSeconds: buildSeconds,
      searchSeconds: searchSeconds, errors: errors)
  }

  struct ToolError: Error, CustomStringConvertible {
    var description: String
  }

  static func exec(_ tool: String, _ args: [String], in dir: URL) throws -> String {
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
    guard p.terminationStatus == 0 else {
      throw ToolError(description: "\(tool) failed (\(p.terminationStatus)): \(text.prefix(400))")
    }
    return text
  }
}
