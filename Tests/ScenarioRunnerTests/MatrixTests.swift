import Exploration
import Foundation
import KernelModel
import ScenarioFormat
import ScenarioRunner
import TestSupport
import Testing

/// `fanmc matrix`: every scenario under every profile, its cells and its three renderings.
@Suite("The profile matrix")
struct MatrixTests {
  /// The history scenarios in `check`'s order, computed once for the whole suite.
  static let history: Result<ProfileMatrix, any Error> = Result {
    let paths = Repository.scenarioPaths().filter { $0.hasPrefix("Scenarios/history/") }
    return try ProfileMatrix.compute(try paths.map(loadScenario), profiles: Profile.presets)
  }

  /// `path`'s text with its `profile` line naming `profile` instead.
  static func replacingProfile(_ path: String, with profile: String) throws -> Scenario {
    let text = try Repository.read(path).replacingOccurrences(
      of: #"(?m)^profile .*$"#, with: "profile \(profile)", options: .regularExpression)
    return try ScenarioResolver.resolve(SourceFile(path: path, text: text))
  }

  @Test("the history matrix as text, one line per scenario and wrapped to 100 columns")
  func textGolden() throws {
    let matrix = try Self.history.get()
    #expect(matrix.rows.count == 68)
    #expect(matrix.profiles == Profile.presets.map(\.name))
    for (text, name) in [
      (MatrixRenderer.text(matrix), "matrix-history.txt"),
      (MatrixRenderer.text(matrix, width: 100), "matrix-history-100.txt"),
    ] {
      #expect(
        Golden.mismatch(text + "\n", named: name) == nil,
        "\(Golden.mismatch(text + "\n", named: name) ?? "")")
    }
    // Wide enough, nothing wraps; at 100, every column narrows to its longest word ("I4-gap*",
    // "returns*", …), which leaves the table 103 characters wide.
    #expect(MatrixRenderer.text(matrix, width: 200) == MatrixRenderer.text(matrix))
    let wrapped = MatrixRenderer.text(matrix, width: 100).split(separator: "\n")
    #expect(wrapped.prefix { !$0.hasPrefix("notes:") }.map(\.count).max() == 103)
  }

  @Test("the README shows the history matrix as fanmc prints it")
  func readme() throws {
    let text = MatrixRenderer.text(try Self.history.get())
    #expect(try Repository.read("README.md").contains("\n```\n" + text + "\n```\n"))
  }

  @Test("every history scenario meets its expectations in its own profile's cell, marked *")
  func ownProfile() throws {
    for row in try Self.history.get().rows {
      let own = row.cells.filter(\.isOwnProfile)
      #expect(own.map(\.profile) == [row.ownProfile], "\(row.scenario)")
      #expect(own.first?.expectationsMet == true, "\(row.scenario)")
      #expect(row.cells.filter { !$0.isOwnProfile }.allSatisfy { $0.expectationsMet == nil })
    }
  }

  @Test(
    "a cell is what a direct run of the scenario with that profile line finds",
    arguments: [
      "Scenarios/history/b13-mmap-offset-6.14.scenario",
      "Scenarios/history/b14-ftruncate-event-fd-v2.scenario",
      "Scenarios/history/b10-noretry-fault-v7.scenario",
      "Scenarios/history/b1-freeze-deadlock-6.14-rc1.scenario",
    ])
  func cellIsDirectRun(path: String) throws {
    let row = try #require(try Self.history.get().rows.first { $0.file == path })
    for (profile, cell) in zip(Profile.presets, row.cells) {
      #expect(cell.profile == profile.name)
      let report = try ScenarioRun.run(try Self.replacingProfile(path, with: profile.name))
      let found = report.foundIDs + report.gaps.map(\.propertyID)
      #expect(report.isComplete)
      #expect(cell.outcome == (found.isEmpty ? .ok : .found(found)), "\(path) \(profile.name)")
      #expect(cell.states == report.result.stats.states)
      if cell.isOwnProfile { #expect(cell.expectationProblems == report.expectationProblems) }
    }
  }

  @Test("B13 is found in 6.14 and 6.17 only")
  func b13() throws {
    let row = try #require(
      try Self.history.get().rows.first { $0.scenario == "b13-mmap-offset-6.14" })
    #expect(
      row.cells.map(MatrixRenderer.marked) == ["ok", "ok", "ok", "ok", "I11 I2*", "I11 I2", "ok"])
  }

  @Test("a scenario that does not resolve under a profile gets an n/a cell that says why")
  func unresolved() throws {
    let path = "Scenarios/history/d5-gfs2-hook-under-lock-v2.scenario"
    let matrix = try ProfileMatrix.compute(
      [try loadScenario(path)], profiles: [Profile.preset(named: "v2")!, .v6_18])
    let cells = matrix.rows[0].cells
    #expect(cells[0].outcome == .found(["I3"]))
    #expect(cells[0].expectationsMet == true)
    guard case .unresolved(let why) = cells[1].outcome else {
      Issue.record("expected an unresolved cell, got \(cells[1].outcome)")
      return
    }
    #expect(
      why == "line 12: fanotify_mark fails with EOPNOTSUPP for this mark (kernel-semantics §1.5)")
    #expect(cells[1].states == 0)
    #expect(matrix.rows[0].switches == ["fs-hook-before-lock off"])
    let text = MatrixRenderer.text(matrix)
    #expect(text.contains("\nd5-gfs2-hook-under-lock-v2  I3*  n/a\n"))
    #expect(text.contains("    n/a under 6.18: \(why)\n"))
    #expect(text.contains("    set fs-hook-before-lock off: applied under every profile\n"))
    // The same resolution, asked directly, is a diagnostic, not a trap.
    #expect(throws: Diagnostic.self) {
      try ScenarioResolver.resolve(
        SourceFile(path: path, text: try Repository.read(path)), profile: .v6_18)
    }
  }

  @Test("an own-profile cell whose expectations fail is marked ! and the notes say why")
  func notMet() throws {
    let path = "Scenarios/history/b13-mmap-offset-6.14.scenario"
    let text = try Repository.read(path).replacingOccurrences(
      of: "expect violation I11\n", with: "")
    let scenario = try ScenarioResolver.resolve(SourceFile(path: path, text: text))
    let matrix = try ProfileMatrix.compute(
      [scenario], profiles: [Profile.preset(named: "6.14")!, .v6_18])
    #expect(matrix.rows[0].cells.map(MatrixRenderer.marked) == ["I11 I2!", "ok"])
    #expect(
      MatrixRenderer.text(matrix).contains(
        "    expectations NOT met under 6.14: unexpected violation I11\n"))
  }

  @Test("a bound hit before anything is found gives incomplete, with the bound in the notes")
  func incomplete() throws {
    var config = ExplorationConfig()
    config.maxStates = 5
    let scenario = try loadScenario("Scenarios/history/b16-mmap-whole-range-6.18.scenario")
    let matrix = try ProfileMatrix.compute([scenario], profiles: [.v6_18], exploration: config)
    #expect(matrix.rows[0].cells[0].outcome == .incomplete(bound: "states"))
    #expect(matrix.rows[0].cells[0].expectationsMet == false)
    #expect(MatrixRenderer.text(matrix).contains("incomplete under 6.18: hit the states bound"))
  }

  @Test("the JSON decodes to the matrix's cells")
  func json() throws {
    let matrix = try Self.history.get()
    let document = try JSONDecoder().decode(
      MatrixRenderer.Document.self, from: Data(MatrixRenderer.json(matrix).utf8))
    #expect(document == MatrixRenderer.document(matrix))
    #expect(document.profiles == matrix.profiles)
    #expect(document.scenarios.map(\.scenario) == matrix.rows.map(\.scenario))
    for (row, decoded) in zip(matrix.rows, document.scenarios) {
      #expect(decoded.cells.map(\.label) == row.cells.map(\.label))
      for (cell, d) in zip(row.cells, decoded.cells) {
        switch cell.outcome {
        case .ok: #expect(d.outcome == "ok" && d.found.isEmpty)
        case .found(let ids): #expect(d.outcome == "found" && d.found == ids)
        case .incomplete(let bound): #expect(d.outcome == "incomplete" && d.bound == bound)
        case .unresolved(let why): #expect(d.outcome == "unresolved" && d.reason == why)
        }
        #expect(d.expectationsMet == cell.expectationsMet)
      }
    }
  }

  @Test("the HTML page is self-contained and holds every cell")
  func html() throws {
    let matrix = try Self.history.get()
    let page = MatrixRenderer.html(matrix)
    #expect(page.hasPrefix("<!DOCTYPE html>"))
    for remote in ["http://", "https://", "<script", "<link", "src=", "@import", "url("] {
      #expect(!page.contains(remote), "\(remote)")
    }
    let cells = page.components(separatedBy: "<td class=\"cell ").count - 1
    #expect(cells == matrix.rows.count * matrix.profiles.count)
    for row in matrix.rows {
      let line = try #require(
        page.split(separator: "\n").first { $0.contains(">\(row.scenario)</td>") })
      let shown = line.components(separatedBy: "<td class=\"cell ").dropFirst().map {
        String($0[$0.range(of: "\">")!.upperBound...].prefix { $0 != "<" })
      }
      #expect(shown == row.cells.map(MatrixRenderer.marked), "\(row.scenario)")
    }
    #expect(page.contains("class=\"cell unresolved\""))
    #expect(page.contains("class=\"cell found own\""))
  }
}
