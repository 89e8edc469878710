import Foundation
import ScenarioRunner
import TestSupport
import Testing

@Suite("The fanmc executable, end to end")
struct CommandLineTests {
  @Test(
    "run exits with the status of what it found",
    arguments: [
      ("Scenarios/mainline/read-filled.scenario", Int32(0)),
      ("Scenarios/hazards/read-allow-unfilled.scenario", 12),
      ("Scenarios/mainline/silent-listener.scenario", 11),
      ("Scenarios/mainline/open-before-mark.scenario", 0),
    ])
  func runStatus(path: String, status: Int32) throws {
    let p = try FanmcProcess.run(["run", path])
    #expect(p.status == status)
    #expect(p.stderr.isEmpty)
  }

  @Test(
    "lockdep exits 11 on a cycle, 0 without, 13 when the state bound cuts it short",
    arguments: [
      (["Scenarios/hazards/otrunc-open-perm-lock-order.scenario"], Int32(11)),
      (["Scenarios/mainline/read-filled.scenario"], 0),
      (["Scenarios/mainline/two-readers.scenario", "--max-states", "5"], 13),
    ] as [([String], Int32)])
  func lockdepStatus(args: [String], status: Int32) throws {
    let p = try FanmcProcess.run(["lockdep"] + args)
    #expect(p.status == status)
    #expect(p.stderr.isEmpty)
    #expect(p.stdout.hasPrefix("lock order of "))
    let json = try FanmcProcess.run(["lockdep", "--format", "json"] + args)
    #expect(json.status == status)
    #expect(json.stdout.contains("\"cycles\""))
  }

  @Test("explain narrates any schedule and the minimized counterexample of a property")
  func explainPaths() throws {
    let b1 = "Scenarios/history/b1-freeze-deadlock-6.14-rc1.scenario"
    let violation = try FanmcProcess.run(["explain", b1, "--violation", "I5"])
    #expect(violation.status == 0)
    #expect(
      violation.stdout.contains(
        "The minimized counterexample of I5 (shortest, fewest context switches) "
          + "0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1,1,2, step by step."))
    // The freezer's thaw is never reached: minimization leaves it out.
    #expect(
      violation.stdout.contains(
        "left out of the scenario (replay with --without 24):\n  line 24: thaw\n"))
    #expect(violation.stdout.contains("outcome: blocked\nviolated on this path: I3\n"))
    #expect(violation.stdout.contains("*** DEADLOCK ***"))
    let kept = try FanmcProcess.run(["explain", b1, "--violation", "I5", "--no-minimize"])
    #expect(!kept.stdout.contains("left out"))
    let chart = try FanmcProcess.run(["explain", b1, "--violation", "I5", "--format", "chart"])
    #expect(chart.status == 0)
    #expect(chart.stdout.split(separator: "\n").allSatisfy { $0.count <= 72 })
    #expect(chart.stdout.contains("--without 24 --schedule 0*26,1,1,2"))
    // The replay command of the minimized path replays it.
    let replay = try FanmcProcess.run([
      "replay", b1, "--without", "24", "--schedule", "0*26,1,1,2",
    ])
    #expect(replay.status == 12)  // I3 on the way, then the deadlock
    #expect(replay.stdout.hasSuffix("reaches: violation I3, deadlock\n"))
    let badList = try FanmcProcess.run(["replay", b1, "--without", "2x", "--schedule", "0"])
    #expect(badList.status == 64)
    #expect(badList.stderr.contains("--without takes line numbers such as 21,23-25, not '2x'"))
    let invalid = try FanmcProcess.run(["replay", b1, "--without", "11", "--schedule", "0"])
    #expect(invalid.status == 65)
    #expect(
      invalid.stderr.hasPrefix(
        "\(b1):17:13: error: unknown file 'a' (declare it with 'file NAME pages N' or "))
    #expect(invalid.stderr.contains("(with --without 11)"))
    let path = "Scenarios/mainline/read-filled.scenario"
    let partial = try FanmcProcess.run(["explain", path, "--schedule", "0,0"])
    #expect(partial.status == 0)
    #expect(partial.stdout.contains("The schedule 0,0, step by step."))
    #expect(partial.stdout.contains("outcome: the path ends here; reader not finished"))
    let wrong = try FanmcProcess.run(["explain", path, "--schedule", "1"])
    #expect(wrong.status == 64)
    #expect(wrong.stderr.contains("does not fit the scenario at choice 1"))
    let none = try FanmcProcess.run(["explain", path, "--violation", "I2"])
    #expect(none.status == 64)
    #expect(none.stderr.contains("no counterexample of I2 in read-filled (found: none)"))
  }

  @Test(
    "explain, profiles and diff-profiles print JSON with the text's content",
    arguments: [
      ["explain", "Scenarios/mainline/silent-listener.scenario"], ["profiles"],
      ["diff-profiles", "6.14", "6.18"],
    ])
  func json(args: [String]) throws {
    let p = try FanmcProcess.run(args + ["--format", "json"])
    #expect(p.status == 0)
    let value = try JSONSerialization.jsonObject(with: Data(p.stdout.utf8))
    let object = try #require(value as? [String: Any])
    switch args[0] {
    case "explain":
      #expect(object["outcome"] as? String == "blocked: reader cannot finish")
      #expect((object["waitFor"] as? String)?.contains("fanotify_get_response") == true)
      #expect((object["steps"] as? [Any])?.isEmpty == false)
    case "profiles":
      let profiles = try #require(object["profiles"] as? [[String: Any]])
      #expect(
        profiles.map { $0["name"] as? String } == [
          "v2", "v7", "v9", "6.14-rc1", "6.14", "6.17", "6.18",
        ])
    default:
      let switches = try #require(object["switches"] as? [[String: Any]])
      #expect(switches.map { $0["name"] as? String } == ["mmap-offset-bug"])
    }
  }

  @Test("run --format dot draws a deadlock's wait-for graph or a small state graph, no more")
  func dot() throws {
    let deadlock = try FanmcProcess.run([
      "run", "Scenarios/listeners/daemon-mutex-deadlock.scenario", "--format", "dot",
    ])
    #expect(deadlock.status == 11)
    #expect(deadlock.stdout.hasPrefix("digraph \"daemon-mutex-deadlock wait-for\" {"))
    let small = try FanmcProcess.run([
      "run", "Scenarios/mainline/read-filled.scenario", "--format", "dot",
    ])
    #expect(small.status == 0)
    #expect(small.stdout.hasPrefix("digraph \"read-filled states\" {"))
    let large = try FanmcProcess.run([
      "run", "Scenarios/listeners/pool-fill.scenario", "--format", "dot",
    ])
    #expect(large.status == 64)
    #expect(large.stderr.contains("the state graph is drawn for small scenarios only"))
  }

  @Test("listeners prints the built-in library, which scenarios can name")
  func listeners() throws {
    let p = try FanmcProcess.run(["listeners"])
    #expect(p.status == 0)
    #expect(p.stdout == ListenerLibrary.source + "\n")
    #expect(p.stdout.contains("listener fill\n"))
  }

  @Test("a run that hits a bound exits 13 and says incomplete")
  func incomplete() throws {
    let p = try FanmcProcess.run([
      "run", "Scenarios/mainline/two-readers.scenario", "--max-states", "5",
    ])
    #expect(p.status == 13)
    #expect(p.stdout.contains("verdict: incomplete — hit the states bound"))
  }

  @Test("check judges every scenario and exits 0 when all expectations hold")
  func checkAll() throws {
    let p = try FanmcProcess.run(["check", "Scenarios"])
    #expect(p.status == 0)
    let count = Repository.scenarioPaths().count
    #expect(p.stdout.hasSuffix("\(count) scenarios: \(count) met, 0 not met\n"))
  }

  @Test("check exits 10 when an expectation is not met")
  func checkMismatch() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "fanmc-check-\(getpid())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let text = try Repository.read("Scenarios/hazards/read-allow-unfilled.scenario")
      .replacingOccurrences(of: "expect violation I2", with: "expect no-violation")
    try text.write(
      to: dir.appendingPathComponent("read-allow-unfilled.scenario"), atomically: true,
      encoding: .utf8)
    let p = try FanmcProcess.run(["check", dir.path])
    #expect(p.status == 10)
    #expect(p.stdout.contains("FAIL"))
    #expect(p.stdout.contains("unexpected violation I2"))
  }

  @Test("a malformed scenario gets a located error and exit 65, never a verdict")
  func malformed() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fanmc-bad-\(getpid())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("bad.scenario").path
    try "scenario bad\nquestion \"oops\n".write(toFile: path, atomically: true, encoding: .utf8)
    for command in ["run", "check", "trace", "matrix"] {
      let p = try FanmcProcess.run([command, path])
      #expect(p.status == 65)
      #expect(
        p.stderr.hasPrefix("\(path):2:10: error: unterminated string\nquestion \"oops\n         ^"))
      #expect(!p.stdout.contains("verdict"))
    }
  }

  @Test("matrix exits 0 whatever the cells show, and 64 naming the known profiles")
  func matrix() throws {
    let path = "Scenarios/history/b13-mmap-offset-6.14.scenario"
    let p = try FanmcProcess.run(["matrix", path, "--profiles", "6.18,6.14"])
    #expect(p.status == 0)
    #expect(p.stderr.isEmpty)
    #expect(p.stdout.contains("\nscenario              6.14     6.18\n"))
    #expect(p.stdout.contains("\nb13-mmap-offset-6.14  I11 I2*  ok\n"))
    let bad = try FanmcProcess.run(["matrix", path, "--profiles", "6.18,6.19"])
    #expect(bad.status == 64)
    #expect(
      bad.stderr.hasPrefix(
        "Error: unknown profile '6.19' in '--profiles' (known: v2, v7, v9, 6.14-rc1, 6.14, 6.17, "
          + "6.18, or all)\nUsage: fanmc matrix PATH…"))
    let missing = try FanmcProcess.run(["matrix", "Scenarios/nowhere"])
    #expect(missing.status == 64)
    #expect(missing.stderr.hasPrefix("Error: no such file or folder 'Scenarios/nowhere'"))
  }

  @Test("the JSON schedule of a violation replays to the same violation")
  func jsonReplayRoundTrip() throws {
    let path = "Scenarios/hazards/read-allow-unfilled.scenario"
    let run = try FanmcProcess.run(["run", path, "--format", "json"])
    #expect(run.status == 12)
    let json = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as! [String: Any]
    #expect(json["scenario"] as? String == "read-allow-unfilled")
    #expect(json["verdict"] as? String == "violation")
    #expect(json["expectationsMet"] as? Bool == true)
    let stats = json["stats"] as! [String: Any]
    for key in ["states", "transitions", "maxDepth", "seconds"] { #expect(stats[key] != nil) }
    let violation = (json["violations"] as! [[String: Any]])[0]
    #expect(violation["property"] as? String == "I2")
    #expect(violation["kind"] as? String == "invariant")
    let steps = violation["steps"] as! [[String: Any]]
    #expect(
      steps.allSatisfy {
        $0["task"] != nil && $0["kernelFunction"] != nil && $0["description"] != nil
      })
    let schedule = violation["schedule"] as! String
    let replay = try FanmcProcess.run(["replay", path, "--schedule", schedule])
    #expect(replay.status == 12)
    #expect(replay.stdout.hasSuffix("reaches: violation I2\n"))
  }

  @Test("replay of a schedule that does not fit is a usage error")
  func badSchedule() throws {
    let p = try FanmcProcess.run([
      "replay", "Scenarios/mainline/read-filled.scenario", "--schedule", "1,1,1",
    ])
    #expect(p.status == 64)
    #expect(p.stderr.contains("does not fit the scenario at choice 1"))
  }

  @Test("trace lists events with their answers and syscall results")
  func trace() throws {
    let p = try FanmcProcess.run([
      "trace", "Scenarios/mainline/read-deny-eio.scenario", "--format", "json",
    ])
    #expect(p.status == 0)
    let json = try JSONSerialization.jsonObject(with: Data(p.stdout.utf8)) as! [String: Any]
    let events = json["events"] as! [[String: Any]]
    #expect(
      events.map { $0["response"] as? String } == ["FAN_DENY_ERRNO(EIO)", "FAN_DENY_ERRNO(EIO)"])
    #expect(events.map { $0["mask"] as? String } == ["FAN_PRE_ACCESS", "FAN_PRE_ACCESS"])
    let calls = json["syscalls"] as! [[String: Any]]
    #expect(calls.map { $0["errno"] as? String } == [nil, "EIO", "EIO"])
  }

  @Test("explain narrates the deterministic schedule with locks and page states")
  func explain() throws {
    let p = try FanmcProcess.run(["explain", "Scenarios/mainline/read-filled.scenario"])
    #expect(p.status == 0)
    // One line per step where it fits, with the innermost kernel function.
    #expect(
      p.stdout.contains(
        "\n  10  hsm     writes at offset 0  · generic_write_checks [holds sb_writers, i_rwsem(data)]\n"
      ))
    #expect(p.stdout.contains("→ data: i_size 8192, pages filled remote, cache filled -"))
    #expect(p.stdout.hasSuffix("outcome: finished\n"))
    let details = try FanmcProcess.run([
      "explain", "Scenarios/mainline/read-filled.scenario", "--details",
    ])
    #expect(
      details.stdout.contains(
        "\n  10  hsm     writes at offset 0\n"
          + "              · generic_write_checks [holds sb_writers, i_rwsem(data)]\n"))
  }

  @Test("conform agrees with the live kernel on every conformance case, or says why it skips")
  func conform() throws {
    let p = try FanmcProcess.run(["conform", "Scenarios/conformance"])
    let count = Repository.scenarioPaths().filter { $0.hasPrefix("Scenarios/conformance/") }.count
    #expect(count >= 25)
    if p.status == 13, p.stdout.hasPrefix("SKIP     all") {
      print("conformance skipped: \(p.stdout.split(separator: "\n").first ?? "")")
      return
    }
    #expect(p.status == 0, "\(p.stdout)")
    #expect(p.stdout.hasSuffix("\(count) scenarios: \(count) agree, 0 differ, 0 skipped\n"))
  }

  @Test("conform --random: generated cases agree with the live kernel, the same seeds each run")
  func conformRandom() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "fanmc-random-\(getpid())")
    defer { try? FileManager.default.removeItem(at: dir) }
    let p = try FanmcProcess.run([
      "conform", "--random", "40", "--seed", "5001", "--out", dir.path,
    ])
    if p.status == 13, p.stdout.hasPrefix("SKIP") {
      print("random conformance skipped: \(p.stdout)")
      return
    }
    #expect(p.status == 0, "\(p.stdout)")
    #expect(
      p.stdout.hasPrefix(
        "40 random scenarios (seeds 5001…5040): 40 agree, 0 differ, 0 skipped; "),
      "\(p.stdout)")
    #expect(!FileManager.default.fileExists(atPath: dir.path))
    let usage = try FanmcProcess.run(["conform", "--random", "3", "Scenarios/conformance"])
    #expect(usage.status == 64)
  }

  @Test("fuzz: random scenarios of every profile explore without failure, the same report twice")
  func fuzz() throws {
    let p = try FanmcProcess.run(["fuzz", "--count", "30", "--seed", "77"])
    #expect(p.status == 0, "\(p.stdout)")
    let one = try FanmcProcess.run(["fuzz", "--count", "30", "--seed", "77", "--workers", "1"])
    func summary(_ s: String) -> String { String(s.split(separator: ";").first ?? "") }
    #expect(
      summary(p.stdout)
        == "30 random scenarios (seeds 77…106): 0 failures, 0 rejected by the resolver, 16 explored completely by every search"
    )
    #expect(summary(one.stdout) == summary(p.stdout))
  }

  @Test("random walks find a violation that replays, and never pass; bitstate states its odds")
  func sampling() throws {
    let path = "Scenarios/hazards/read-allow-unfilled.scenario"
    let walk = try FanmcProcess.run(["run", path, "--strategy", "random", "--walks", "50"])
    #expect(walk.status == 12)
    #expect(walk.stdout.contains("random walks (seeds 1) are not exhaustive"))
    let clean = try FanmcProcess.run([
      "run", "Scenarios/mainline/read-filled.scenario", "--strategy", "swarm", "--walks", "5",
    ])
    #expect(clean.status == 13)
    let bits = try FanmcProcess.run([
      "run", "Scenarios/mainline/read-filled.scenario", "--storage", "bitstate:20",
    ])
    #expect(bits.status == 0)
    #expect(bits.stdout.contains("probability of having missed states"))
    let bad = try FanmcProcess.run(["run", path, "--storage", "bitstate:99"])
    #expect(bad.status == 64)
  }

  @Test("--reduce and --workers: reductions keep the verdict; impossible mixes are usage errors")
  func reductionsAndWorkers() throws {
    let path = "Scenarios/mainline/two-readers.scenario"
    for args in [
      ["--reduce", "persistent,symmetry"], ["--reduce", "none", "--workers", "2"],
      ["--strategy", "bfs", "--reduce", "symmetry", "--workers", "2"],
      ["--reduce", "persistent,symmetry", "--workers", "2"],
    ] {
      let p = try FanmcProcess.run(["run", path] + args)
      #expect(p.status == 0, "\(args)")
      #expect(p.stdout.contains("verdict: no-violation"), "\(args)")
    }
    let mixed = try FanmcProcess.run([
      "run", path, "--workers", "2", "--storage", "hash-compact",
    ])
    #expect(mixed.status == 64)
    #expect(mixed.stderr.contains("parallel depth-first search takes no compact storage"))
    let unknown = try FanmcProcess.run(["run", path, "--reduce", "dpor"])
    #expect(unknown.status == 64)
    #expect(unknown.stderr.contains("not 'dpor'"))
  }

  @Test("profiles lists all seven presets; diff-profiles shows the 6.14-rc7 revert")
  func profiles() throws {
    let list = try FanmcProcess.run(["profiles"])
    #expect(list.status == 0)
    for name in ["v2", "v7", "v9", "6.14-rc1", "6.14", "6.17", "6.18"] {
      #expect(list.stdout.contains("\n  \(name) "))
    }
    let diff = try FanmcProcess.run(["diff-profiles", "6.14-rc1", "6.14"])
    #expect(diff.status == 0)
    #expect(diff.stdout.contains("filemap_fault (page faults): not-uptodate → not hooked"))
    #expect(diff.stdout.contains("vm_mmap_pgoff (mmap): not hooked → hooked"))
    let bad = try FanmcProcess.run(["diff-profiles", "6.18", "5.10"])
    #expect(bad.status == 64)
  }

  @Test("a deadlock is classified: a cycle is I5, a hang is I9")
  func deadlockKinds() throws {
    let cycle = try FanmcProcess.run(["run", "Scenarios/hazards/listener-reenters.scenario"])
    #expect(cycle.status == 11)
    #expect(cycle.stdout.contains("verdict: deadlock (I5)"))
    #expect(cycle.stdout.contains("*** DEADLOCK ***"))
    let hang = try FanmcProcess.run(["run", "Scenarios/mainline/silent-listener.scenario"])
    #expect(hang.status == 11)
    #expect(hang.stdout.contains("verdict: deadlock (I9)"))
    #expect(hang.stdout.contains("*** HANG: nobody will ever answer ***"))
  }

  @Test(
    "usage errors exit 64 with a hint",
    arguments: [
      ["bogus"], ["run"], ["run", "--strategy", "sideways", "x"], ["replay", "x"], [], ["matrix"],
      ["matrix", "Scenarios/history", "--format", "pdf"],
    ])
  func usage(arguments: [String]) throws {
    let p = try FanmcProcess.run(arguments)
    #expect(p.status == 64)
    #expect(p.stderr.hasPrefix("Error: "))
    #expect(p.stderr.contains("See 'fanmc"))
  }

  @Test(
    "help is printed for fanmc and for each command",
    arguments: [
      ["--help"], ["run", "--help"], ["check", "-h"], ["help", "replay"], ["trace", "--help"],
      ["matrix", "--help"],
    ])
  func help(arguments: [String]) throws {
    let p = try FanmcProcess.run(arguments)
    #expect(p.status == 0)
    #expect(p.stdout.contains("USAGE: fanmc"))
  }
}
