import Exploration
import Foundation
import KernelModel
import ScenarioFormat
import TestSupport
import Testing

@testable import ScenarioRunner

/// `fanmc hunt`: the enumeration's exact size, determinism (twice, and on one or two workers),
/// findings that are ready-to-commit scenarios meeting their own expectations, B9 found at a
/// pinned program, and 6.18 with a filling HSM finding only the real B25 emission.
@Suite("Hunting")
struct HuntTests {
  static func config(
    _ profile: String, programs: Int, listeners: [String] = HuntListener.wellBehaved,
    change: (inout HuntConfig) -> Void = { _ in }
  ) -> HuntConfig {
    var c = HuntConfig(profile: profile)
    c.programs = programs
    c.listeners = listeners
    change(&c)
    return c
  }

  @Test("the enumeration lists every program of its small space once, in a pinned count")
  func enumerationIsExhaustive() {
    let all = HuntEnumeration.programs(listeners: HuntListener.wellBehaved)
    #expect(all.count == 4239)
    #expect(Set(all).count == all.count)
    let fill = HuntEnumeration.programs(listeners: ["fill"])
    // 67 one-operation programs, 1499 two-operation ones, 84 with two tasks, 92 other marks.
    #expect(fill.count == 67 + 1499 + 84 + 92)
    #expect(Set(fill).count == fill.count)
    // Every listener × layout × operation of the alphabet is a one-operation program.
    for listener in HuntListener.wellBehaved {
      for layout in HuntEnumeration.layouts {
        for op in HuntEnumeration.alphabet(pages: layout.count) {
          #expect(all.contains(HuntProgram(layout: layout, listener: listener, tasks: [[op]])))
        }
      }
    }
  }

  @Test("every enumerated program resolves")
  func enumeratedProgramsResolve() {
    for (i, p) in HuntEnumeration.programs(listeners: HuntListener.all).enumerated()
    where i % 7 == 0 {
      let text = p.render(name: "p", profile: "6.18", switches: [])
      #expect(throws: Never.self) {
        _ = try ScenarioResolver.resolve(SourceFile(path: "p.scenario", text: text))
      }
    }
  }

  @Test("the same seed and number of programs give the same report, on one or two workers")
  func determinism() throws {
    func render(workers: Int) throws -> String {
      let c = Self.config("6.14-rc1", programs: 100) {
        $0.enumerationLimit = 40
        $0.maxStates = 3000
        $0.workers = workers
        $0.seed = 7
      }
      let report = try Hunt.run(c)
      #expect(report.sampled == 60)
      return HuntRenderer.json(report) + HuntRenderer.text(report)
    }
    let first = try render(workers: 1)
    #expect(try render(workers: 1) == first)
    #expect(try render(workers: 2) == first)
  }

  @Test("two or three shards, merged in any order, give the unsharded hunt's report byte for byte")
  func shardsMergeToTheWhole() throws {
    func config(_ shard: Shard) -> HuntConfig {
      Self.config("6.14-rc1", programs: 100) {
        $0.enumerationLimit = 40
        $0.maxStates = 3000
        $0.seed = 7
        $0.shard = shard
      }
    }
    let whole = try Hunt.run(config(.whole))
    #expect(whole.sampled == 60 && !whole.findings.isEmpty)
    #expect(whole.findings.contains { $0.sampled })
    for n in [2, 3] {
      var inputs: [(path: String, data: Data)] = []
      var programs = 0
      for k in 1...n {
        let part = try Hunt.explore(config(Shard(index: k, count: n)))
        programs += part.programs
        // A shard explores whole lanes and nothing else.
        #expect(part.programs < whole.programs)
        inputs.append(("shard-\(k).json", Data(part.shardJSON().utf8)))
      }
      #expect(programs == whole.programs)
      guard case .hunt(let merged) = try ShardMerge.merge(inputs.reversed()) else {
        Issue.record("a hunt's shards did not merge as a hunt")
        continue
      }
      #expect(HuntRenderer.json(merged) == HuntRenderer.json(whole))
      #expect(HuntRenderer.text(merged) == HuntRenderer.text(whole))
    }
  }

  @Test("every written finding resolves and meets its expect lines under the checker")
  func findingsMeetTheirExpectations() throws {
    let report = try Hunt.run(Self.config("6.14-rc1", programs: 100))
    #expect(!report.findings.isEmpty)
    for f in report.findings {
      #expect(f.met, "\(f.name): \(f.note ?? "")")
      let scenario = try ScenarioResolver.resolve(
        SourceFile(path: f.name + ".scenario", text: f.scenarioText))
      #expect(scenario.name == f.name)
      let run = try ScenarioRun.run(scenario)
      #expect(run.isComplete)
      #expect(run.expectationsMet, "\(f.name): \(run.expectationProblems)")
      #expect(scenario.expectations.violations.contains(f.signature.property))
    }
  }

  @Test("6.14-rc1: B9, the denied fault mapped anyway, first shows at program 79")
  func findsB9() throws {
    let report = try Hunt.run(Self.config("6.14-rc1", programs: 96))
    let fault = HuntSignature(property: "I2-h", step: "doReadFault", site: "load")
    let mapped = HuntSignature(property: "I2", step: "userRead", site: "load")
    let b9 = try #require(report.findings.first { $0.signature == fault })
    #expect(b9.firstProgram == 79)
    #expect(report.findings.first { $0.signature == mapped }?.firstProgram == 79)
    // Program 79: the EIO-denying HSM, one stub page, a mapping and a load.
    let program = HuntEnumeration.programs(listeners: HuntListener.wellBehaved)[79]
    #expect(program.listener == "deny-EIO")
    #expect(program.tasks == [[HuntOp(.mmapLoad, 0, 4096)]])
    #expect(b9.scenarioText.contains("listener deny EIO"))
  }

  @Test("6.18 with a filling HSM: the whole enumeration finds only B25's emission under sb_writers")
  func mainlineWithFillingHSM() throws {
    let report = try Hunt.run(Self.config("6.18", programs: 1742, listeners: ["fill"]))
    #expect(report.bounded == 0)
    #expect(
      report.findings.map(\.signature) == [
        HuntSignature(property: "I3", step: "notify", site: "open")
      ])
    #expect(report.findings.first?.scenarioText.contains("O_RDWR|O_TRUNC") == true)
  }

  @Test("bad configurations are refused with a message, not a trap")
  func badConfigurations() {
    #expect(HuntConfig(profile: "7.0").problem != nil)
    #expect(Self.config("6.18", programs: 1, listeners: ["nobody"]).problem != nil)
    #expect(Self.config("6.18", programs: 1, listeners: []).problem != nil)
    #expect(
      Self.config("6.18", programs: 1) { $0.switches = [HuntSwitch(name: "no-such", value: "on")] }
        .problem != nil)
    #expect(
      Self.config("6.18", programs: 1) {
        $0.switches = [HuntSwitch(name: "sync-readahead", value: "maybe")]
      }.problem != nil)
    #expect(throws: HuntError.self) { try Hunt.run(HuntConfig(profile: "nope")) }
  }
}
