import Foundation
import Synchronization
import TestSupport
import Testing

/// Ctrl-C and progress: a long search reports progress on stderr and, on SIGINT, ends with an
/// incomplete report that keeps its statistics (exit 13). The scenario is large enough that no
/// search finishes in the seconds these tests wait.
@Suite("SIGINT and progress")
struct InterruptTests {
  static let scenario = """
    scenario long
    question "q"
    expect no-violation
    file data pages 3 content remote
    group hsm class pre-content listener fill threads 2
    mark hsm inode data FAN_PRE_ACCESS
    task a
      fd = open data O_RDWR
      pread fd 0 4096 or pwrite fd 4096 10 or pread fd 8192 100
      pread fd 0 4096 or pwrite fd 4096 10 or pread fd 8192 100
    task b
      fd = open data O_RDWR
      pwrite fd 0 4096 or pread fd 4096 10 or pwrite fd 8192 100
      pread fd 0 4096 or pwrite fd 4096 10 or pread fd 8192 100
    task c
      fd = open data O_RDWR
      pread fd 4096 4096 or pwrite fd 0 10
      pwrite fd 8192 1 or pread fd 0 1
    """

  /// Runs `fanmc run FILE extra…`, sends SIGINT once `ready(stderr so far)` holds or after
  /// `wait` seconds, and returns the exit status, stdout and stderr (bounded: killed after 120 s).
  func interrupted(_ extra: [String], ready: @escaping @Sendable (String) -> Bool, wait: Double)
    throws -> (Int32, String, String)
  {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "fanmc-interrupt-\(getpid())-\(extra.count)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent("long.scenario")
    try Self.scenario.write(to: file, atomically: true, encoding: .utf8)
    let process = Process()
    process.executableURL = FanmcProcess.executable
    process.arguments = ["run", file.path] + extra
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    let errText = Mutex("")
    err.fileHandleForReading.readabilityHandler = { h in
      let chunk = String(decoding: h.availableData, as: UTF8.self)
      errText.withLock { $0 += chunk }
    }
    try process.run()
    let start = Date()
    while Date().timeIntervalSince(start) < wait, !ready(errText.withLock { $0 }) {
      Thread.sleep(forTimeInterval: 0.05)
    }
    process.interrupt()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    while process.isRunning && Date().timeIntervalSince(start) < 120 {
      Thread.sleep(forTimeInterval: 0.05)
    }
    if process.isRunning { process.terminate() }
    process.waitUntilExit()
    err.fileHandleForReading.readabilityHandler = nil
    return (
      process.terminationStatus, String(decoding: outData, as: UTF8.self),
      errText.withLock { $0 }
    )
  }

  @Test("SIGINT ends the search: an incomplete report with its statistics, exit 13")
  func interrupt() throws {
    let (status, stdout, stderr) = try interrupted(
      ["--progress-every", "0.2"], ready: { $0.contains("progress: ") }, wait: 60)
    #expect(status == 13)
    #expect(stdout.contains("verdict: incomplete — interrupted (SIGINT): what was explored"))
    #expect(stdout.contains("unknown (incomplete)"))
    // Progress lines on stderr (not a terminal): states, rate, depth, frontier, memory, time.
    let line = try #require(stderr.split(separator: "\n").first { $0.hasPrefix("progress: ") })
    for part in [" states · ", " states/s · depth ", " · frontier ", " MiB · ", " s"] {
      #expect(line.contains(part), "\(line)")
    }
  }

  @Test("On two threads one progress line counts every thread's states, and SIGINT still stops")
  func parallelProgress() throws {
    let (status, stdout, stderr) = try interrupted(
      ["--workers", "2", "--reduce", "none", "--progress-every", "0.2"],
      ready: { $0.components(separatedBy: "progress: ").count > 4 }, wait: 60)
    #expect(status == 13)
    #expect(stdout.contains("interrupted (SIGINT)"))
    // One counter for the whole search: it never goes back (one line per thread, each with its
    // own share, would alternate).
    let counts = stderr.split(separator: "\n").filter { $0.hasPrefix("progress: ") }.compactMap {
      Int($0.dropFirst("progress: ".count).prefix { $0 != " " })
    }
    #expect(counts.count >= 4)
    #expect(counts == counts.sorted())
    // The frontier is the seeds no thread has taken yet: some at first, fewer as time goes on.
    let frontiers = stderr.split(separator: "\n").filter { $0.hasPrefix("progress: ") }.compactMap {
      line in
      line.range(of: "frontier ").flatMap { Int(line[$0.upperBound...].prefix { $0 != " " }) }
    }
    #expect(frontiers.count == counts.count)
    #expect((frontiers.first ?? 0) > 0)
    #expect(frontiers == frontiers.sorted(by: >))
  }

  @Test("--quiet prints no progress")
  func quiet() throws {
    let (status, stdout, stderr) = try interrupted(
      ["--quiet", "--progress-every", "0.2"], ready: { _ in false }, wait: 2)
    #expect(status == 13)
    #expect(stdout.contains("interrupted (SIGINT)"))
    #expect(stderr.isEmpty)
  }
}
