import Exploration
import Foundation
import ScenarioRunner

extension Command {
  /// `fanmc view FILE [--schedule S | --violation ID] [-o OUT] [--format html|json]`: the HTML
  /// step-through page of a path, or the data it is drawn from.
  static func view(_ args: Arguments) throws -> ExitStatus {
    let format = try args.choice("--format", ["html", "json"], default: "html")
    guard let shown = try shownPath(args) else { return .usage }
    let system = try ScenarioRun.makeSystem(shown.scenario)
    let model: ViewModel
    do {
      model = try ViewModel.build(
        shown.scenario, system: system, schedule: shown.schedule, title: shown.title,
        without: shown.without, leftOut: shown.leftOut)
    } catch {
      throw Arguments.UsageError(
        message: "the schedule does not fit the scenario at choice \(error.step): \(error.message)",
        command: "view")
    }
    let text = format == "json" ? model.json() : HTMLViewer.render(model)
    guard let out = args.options["--output"] else {
      print(text)
      return .ok
    }
    do {
      try Data((text + "\n").utf8).write(to: URL(fileURLWithPath: out))
    } catch {
      printError("Error: cannot write '\(out)': \(error.localizedDescription)")
      return .usage
    }
    return .ok
  }
}
