import Foundation
import TestSupport
import Testing

/// `fanmc hunt` end to end: bad option values are usage errors (64), and a short hunt exits 0,
/// writes its findings, and `fanmc check` meets every one of them.
@Suite("fanmc hunt, end to end")
struct HuntCommandTests {
  @Test(
    "bad option values are usage errors",
    arguments: [
      [], ["--profile", "9.9"], ["--profile", "6.18", "--programs", "0"],
      ["--profile", "6.18", "--set", "sync-readahead"],
      ["--profile", "6.18", "--set", "no-such=on"],
      ["--profile", "6.18", "--set", "sync-readahead=maybe"],
      ["--profile", "6.18", "--listener", "nobody"], ["--profile", "6.18", "--seed", "-1"],
      ["--profile", "6.18", "--format", "xml"], ["--profile", "6.18", "--budget", "0"],
      ["--profile", "6.18", "--workers", "0"], ["--profile", "6.18", "a.scenario"],
      ["--profile", "6.18", "--shard", "1/2"],
      ["--profile", "6.18", "--shard", "3/2", "--format", "json"],
      ["--profile", "6.18", "--shard", "1/2", "--format", "json", "--out", "x"],
    ])
  func usageErrors(args: [String]) throws {
    let p = try FanmcProcess.run(["hunt"] + args)
    #expect(p.status == 64)
    #expect(p.stderr.hasPrefix("Error: "))
    #expect(p.stderr.contains("See 'fanmc hunt --help'."))
  }

  @Test("a short hunt writes scenarios that fanmc check meets, and prints the same report twice")
  func shortHunt() throws {
    let dir = FileManager.default.temporaryDirectory
      .appendingPathComponent("fanmc-hunt-\(ProcessInfo.processInfo.processIdentifier)").path
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let args = ["hunt", "--profile", "6.14", "--programs", "40", "--quiet", "--out", dir]
    let p = try FanmcProcess.run(args)
    #expect(p.status == 0)
    #expect(p.stdout.contains("I11 · notify · mmap"))
    #expect(try FanmcProcess.run(args).stdout == p.stdout)
    let files = try FileManager.default.contentsOfDirectory(atPath: dir)
    #expect(files.contains("hunt-6.14-i11-notify-mmap.scenario"))
    let check = try FanmcProcess.run(["check", dir])
    #expect(check.status == 0)
    #expect(check.stdout.contains("\(files.count) met, 0 not met"))
    let json = try FanmcProcess.run(args + ["--format", "json"])
    #expect(json.stdout.contains("\"signature\" : \"I11 · notify · mmap\""))
  }
}
