import Exploration
import KernelModel

/// The text and JSON of `fanmc explain`, from its report value.
extension Explanation {
  /// The text of `r`: one line per step where it fits (the innermost kernel function), or with
  /// `details` each step's whole kernel function chain on a line of its own.
  public static func text(_ r: Report, details: Bool = false) -> String {
    var out = [
      "\(r.scenario) (profile \(r.profile)): \(r.question)",
      "\(r.title) \(r.schedule), step by step.", "", "setup:",
    ]
    out += r.setup.map { "  " + $0 }
    if !r.leftOut.isEmpty {
      out.append(
        "left out of the scenario (replay with --without \(Counterexample.lineList(r.without))):")
      out += r.leftOut.map { "  " + $0 }
    }
    out.append("")
    let lines = TextRenderer.compactSteps(
      r.steps.map { ($0.task, $0.description, $0.kernelFunction, $0.locksHeld) },
      details: details)
    let indent = String(
      repeating: " ", count: String(r.steps.count).count + (r.tasks.map(\.count).max() ?? 0) + 6)
    for (step, text) in zip(r.steps, lines) {
      out += text
      out += step.pages.map { indent + "→ " + $0 }
    }
    out.append("")
    out.append("outcome: \(r.outcome)")
    if !r.violated.isEmpty {
      out.append("violated on this path: " + r.violated.joined(separator: ", "))
    }
    if let w = r.waitFor {
      out.append("")
      out.append(w)
    }
    return out.joined(separator: "\n")
  }

  /// The JSON of `fanmc explain --format json`.
  public static func json(_ r: Report) -> String { JSONRenderer.encode(r) }
}
