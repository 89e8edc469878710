import Exploration
import Foundation
import ScenarioRunner

extension Command {
  /// `fanmc view FILE [--schedule S | --violation ID] [-o OUT] [--format html|json]`: the HTML
  /// step-through page of a path, or the data it is drawn from.
  static func view(_ args: Arguments) throws -> ExitStatus {
    guard args.positional.count == 1 else {
      throw Arguments.UsageError(message: "view takes exactly one FILE", command: "view")
    }
    let format = try args.choice("--format", ["html", "json"], default: "html")
    let scenario = try load(args.positional[0])
    let system = try ScenarioRun.makeSystem(scenario)
    var schedule: Schedule?
    var title: String?
    if let text = args.options["--schedule"] {
      do { schedule = try Schedule(parsing: text) } catch {
        throw Arguments.UsageError(message: error.message, command: "view")
      }
    }
    if let id = args.options["--violation"] {
      guard schedule == nil else {
        throw Arguments.UsageError(
          message: "--schedule and --violation exclude each other", command: "view")
      }
      switch try Counterexample.find(id, in: scenario) {
      case .success(let found):
        schedule = found.schedule
        title = found.title
      case .failure(let notFound):
        printError("Error: \(notFound)")
        return .usage
      }
    }
    let model: ViewModel
    do {
      model = try ViewModel.build(scenario, system: system, schedule: schedule, title: title)
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
