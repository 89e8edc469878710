import Foundation
import KernelModel
import ScenarioRunner

#if canImport(Glibc)
  import Glibc
#endif

/// `fanmc matrix PATH… [--profiles LIST|all] [--format text|json|html]`: the verdict of every
/// scenario under every profile, as one table (`ProfileMatrix`).
extension Command {
  static func matrix(_ args: Arguments) throws -> ExitStatus {
    guard !args.positional.isEmpty else {
      throw Arguments.UsageError(message: "missing PATH", command: "matrix")
    }
    let format = try args.choice("--format", ["text", "json", "html"], default: "text")
    let profiles = try matrixProfiles(args.options["--profiles"] ?? "all")
    let config = try explorationConfig(args)
    var scenarios: [Scenario] = []
    var failure: ExitStatus?
    for path in try scenarioFiles(args.positional) {
      do { scenarios.append(try load(path)) } catch {
        printError(error.message)
        if failure != .invalidScenario { failure = error.status }
      }
    }
    let matrix = try ProfileMatrix.compute(scenarios, profiles: profiles, exploration: config)
    switch format {
    case "json": print(MatrixRenderer.json(matrix))
    case "html": print(MatrixRenderer.html(matrix))
    default: print(MatrixRenderer.text(matrix, width: terminalWidth()))
    }
    return failure ?? .ok
  }

  /// The width of the terminal that standard output is, or nil when it is none (a pipe or a file
  /// gets one line per scenario).
  static func terminalWidth() -> Int? {
    guard isatty(1) != 0 else { return nil }
    var size = winsize()
    if ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
    return Int(ProcessInfo.processInfo.environment["COLUMNS"] ?? "") ?? 80
  }

  /// `--profiles`: `all`, or preset names separated by commas, kept in preset order.
  static func matrixProfiles(_ list: String) throws(Arguments.UsageError) -> [Profile] {
    if list == "all" { return Profile.presets }
    let names = list.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    for name in names where Profile.preset(named: name) == nil {
      let known = Profile.presets.map(\.name).joined(separator: ", ")
      throw Arguments.UsageError(
        message: "unknown profile '\(name)' in '--profiles' (known: \(known), or all)",
        command: "matrix")
    }
    return Profile.presets.filter { names.contains($0.name) }
  }
}
