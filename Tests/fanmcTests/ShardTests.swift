import Foundation
import ScenarioRunner
import TestSupport
import Testing

#if canImport(FoundationXML)
  import FoundationXML
#endif

@Suite("Sharded check, merge and JUnit, end to end")
struct ShardTests {
  /// A fresh folder for one test's files.
  func scratch(_ name: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "fanmc-shard-\(name)-\(ProcessInfo.processInfo.processIdentifier)")
    try? FileManager.default.removeItem(at: url)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  /// Runs `check ARGS --shard K/N --format json` for every K, each into its own file.
  func shards(_ args: [String], _ n: Int, into dir: URL) throws -> [String] {
    try (1...n).map { k in
      let p = try FanmcProcess.run(["check"] + args + ["--shard", "\(k)/\(n)", "--format", "json"])
      let file = dir.appendingPathComponent("shard-\(k).json")
      try p.stdout.write(to: file, atomically: true, encoding: .utf8)
      return file.path
    }
  }

  /// A JSON document without the fields that time a run.
  func untimed(_ json: String) throws -> NSObject {
    func strip(_ value: Any) -> Any {
      if let object = value as? [String: Any] {
        var kept: [String: Any] = [:]
        for (key, v) in object
        where !["seconds", "statesPerSecond", "peakMemoryBytes"].contains(key) {
          kept[key] = strip(v)
        }
        return kept
      }
      if let array = value as? [Any] { return array.map(strip) }
      return value
    }
    return strip(try JSONSerialization.jsonObject(with: Data(json.utf8))) as! NSObject
  }

  @Test("two and three shards merged give what one unsharded check gives: text, JSON and exit")
  func mergeEqualsWhole() throws {
    let dir = try scratch("whole")
    let whole = try FanmcProcess.run(["check", "Scenarios/history"])
    let wholeJSON = try FanmcProcess.run(["check", "Scenarios/history", "--format", "json"])
    #expect(whole.status == 0)
    #expect(whole.stdout.hasSuffix("68 scenarios: 68 met, 0 not met\n"))
    for n in [2, 3] {
      let files = try shards(["Scenarios/history"], n, into: dir)
      let merged = try FanmcProcess.run(["merge"] + files)
      #expect(merged.status == 0)
      #expect(merged.stdout == whole.stdout)
      // Any order of the files.
      let json = try FanmcProcess.run(["merge", "--format", "json"] + files.reversed())
      #expect(try untimed(json.stdout) == untimed(wholeJSON.stdout))
    }
    // Each shard checks its own files and says which shard it is.
    let one = try FanmcProcess.run(["check", "Scenarios/history", "--shard", "2/3"])
    #expect(one.stdout.hasSuffix("shard 2/3 of 68 file(s): 23 scenarios: 23 met, 0 not met\n"))
  }

  /// A folder with a scenario that meets its expectations, one that does not and an invalid one.
  func mixedFolder() throws -> URL {
    let dir = try scratch("mixed")
    let met = try String(
      contentsOf: Repository.root.appendingPathComponent("Scenarios/mainline/read-filled.scenario"),
      encoding: .utf8)
    try met.replacingOccurrences(of: "scenario read-filled", with: "scenario a-met").write(
      to: dir.appendingPathComponent("a-met.scenario"), atomically: true, encoding: .utf8)
    try met.replacingOccurrences(of: "scenario read-filled", with: "scenario b-not-met")
      .replacingOccurrences(of: "expect no-violation", with: "expect violation I2").write(
        to: dir.appendingPathComponent("b-not-met.scenario"), atomically: true, encoding: .utf8)
    try "scenario broken\nfile data pages\n".write(
      to: dir.appendingPathComponent("c-invalid.scenario"), atomically: true, encoding: .utf8)
    return dir
  }

  @Test("unmet and invalid files survive the merge: exit 65, a JUnit failure and an error")
  func mixedOutcomes() throws {
    let folder = try mixedFolder()
    let whole = try FanmcProcess.run(["check", folder.path])
    #expect(whole.status == 65)
    let files = try shards([folder.path], 2, into: folder)
    let merged = try FanmcProcess.run(["merge"] + files)
    #expect(merged.status == 65)
    #expect(merged.stdout == whole.stdout)
    #expect(merged.stdout.hasSuffix("3 scenarios: 1 met, 1 not met, 1 invalid\n"))

    let junit = try FanmcProcess.run(["merge", "--format", "junit"] + files)
    let direct = try FanmcProcess.run(["check", folder.path, "--format", "junit"])
    #expect(direct.status == 65)
    for xml in [junit.stdout, direct.stdout] {
      let counter = JUnitCounter()
      let parser = XMLParser(data: Data(xml.utf8))
      parser.delegate = counter
      #expect(parser.parse(), "not well-formed XML: \(xml)")
      #expect(counter.elements["testsuites"] == 1)
      #expect(counter.elements["testcase"] == 3)
      #expect(counter.elements["failure"] == 1)
      #expect(counter.elements["error"] == 1)
      #expect(counter.names == ["a-met", "b-not-met", "\(folder.path)/c-invalid.scenario"])
    }
  }

  @Test(
    "a swarm's members split over shards merge into the unsharded swarm's report",
    arguments: [
      "Scenarios/history/b1-freeze-deadlock-6.14-rc1.scenario",
      "Scenarios/history/b9-denial-lost-6.14-rc1.scenario",
    ])
  func swarmShards(path: String) throws {
    // Each case its own folder: the cases run in parallel.
    let dir = try scratch(
      "swarm-" + URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent)
    let options = ["--strategy", "swarm", "--walks", "20", "--format", "json"]
    let whole = try FanmcProcess.run(["run", path] + options)
    for n in [2, 3] {
      var files: [String] = []
      for k in 1...n {
        let p = try FanmcProcess.run(["run", path] + options + ["--shard", "\(k)/\(n)"])
        let file = dir.appendingPathComponent("swarm-\(k).json")
        try p.stdout.write(to: file, atomically: true, encoding: .utf8)
        files.append(file.path)
      }
      let merged = try FanmcProcess.run(["merge", "--format", "json"] + files.reversed())
      #expect(merged.status == 0, "\(merged.stderr)")
      #expect(try untimed(merged.stdout) == untimed(whole.stdout))
    }
    // The swarm had its eight members, and the merged seeds (above) are theirs in member order.
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(whole.stdout.utf8)) as? [String: Any])
    #expect(((object["stats"] as? [String: Any])?["seeds"] as? [Any])?.count == 8)
    for bad in [["--strategy", "dfs", "--format", "json"], ["--strategy", "swarm"]] {
      let p = try FanmcProcess.run(["run", path, "--shard", "1/2"] + bad)
      #expect(p.status == 64)
      #expect(p.stderr.contains("--shard splits one scenario's swarm"))
    }
  }

  @Test("merge refuses a missing shard, a shard twice, shards of different wholes, and non-shards")
  func mergeErrors() throws {
    let dir = try scratch("errors")
    let files = try shards(["Scenarios/history"], 3, into: dir)
    let other = try shards(["Scenarios/hazards"], 3, into: try scratch("errors-other"))
    let garbage = dir.appendingPathComponent("garbage.json")
    try "[1, 2]".write(to: garbage, atomically: true, encoding: .utf8)
    let cases: [([String], String)] = [
      ([files[0], files[2]], "\(files[0]):1:1: error: missing shard(s) 2/3"),
      ([files[0], files[1], files[1], files[2]], "\(files[1]):1:1: error: shard 2/3 is also"),
      ([files[0], other[1], files[2]], "\(other[1]):1:1: error: check shard 2/3 of"),
      ([files[0], garbage.path], "\(garbage.path):1:1: error: not the JSON of a sharded command"),
    ]
    for (args, message) in cases {
      let p = try FanmcProcess.run(["merge"] + args)
      #expect(p.status == 65)
      #expect(p.stdout.isEmpty)
      #expect(p.stderr.hasPrefix(message), "\(p.stderr)")
    }
    for bad in ["0/2", "3/2", "2", "a/b", "1/0"] {
      let p = try FanmcProcess.run(["check", "Scenarios/history", "--shard", bad])
      #expect(p.status == 64)
      #expect(p.stderr.contains("--shard needs K/N with 1 <= K <= N"))
    }
  }
}

/// Counts a JUnit document's elements and collects its test case names.
final class JUnitCounter: NSObject, XMLParserDelegate {
  var elements: [String: Int] = [:]
  var names: [String] = []

  func parser(
    _ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
    qualifiedName: String?, attributes: [String: String] = [:]
  ) {
    elements[name, default: 0] += 1
    if name == "testcase", let n = attributes["name"] { names.append(n) }
  }
}
