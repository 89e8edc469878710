import Exploration
import Foundation
import KernelModel
import ScenarioFormat
import ScenarioRunner
import TestSupport

/// Loads and resolves a scenario of the repository by relative path.
func loadScenario(_ path: String) throws -> Scenario {
  let text = try Repository.read(path)
  return try ScenarioResolver.resolve(SourceFile(path: path, text: text))
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
