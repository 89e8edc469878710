import Exploration
import Foundation
import KernelModel
import ScenarioFormat
import ScenarioRunner
import TestSupport
import Testing

/// Loads and resolves a scenario of the repository by relative path.
func loadScenario(_ path: String) throws -> Scenario {
  let text = try Repository.read(path)
  return try ScenarioResolver.resolve(SourceFile(path: path, text: text))
}

/// Resolves generated scenario text. A rejection is returned, never trapped on, and must point
/// inside the text (the fuzz tests' shared check on diagnostics).
func resolveGenerated(_ source: SourceFile) -> Result<Scenario, Diagnostic> {
  do {
    return .success(try ScenarioResolver.resolve(source))
  } catch {
    #expect(
      (1...max(1, source.lines.count)).contains(error.location.line),
      "diagnostic outside the text: \(error) in \(source.text.debugDescription)")
    return .failure(error)
  }
}

/// Every scenario of the repository.
let allScenarioPaths = Repository.scenarioPaths()

extension ExplorationConfig {
  static func with(_ change: (inout ExplorationConfig) -> Void) -> ExplorationConfig {
    var c = ExplorationConfig()
    change(&c)
    return c
  }
}
