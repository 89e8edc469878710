import Exploration
import KernelModel

/// Graphviz DOT: the wait-for graph of a blocked state, and the state graph of a small
/// scenario (`fanmc run --format dot`).
public enum DotRenderer {
  /// The largest state graph drawn: beyond it the picture is unreadable (and `dot` slow).
  public static let maxStates = 500

  /// The wait-for graph of `state`: one node per task (with the locks it holds), one edge per
  /// wait, labelled with the kernel function it sleeps in.
  public static func waitFor(_ state: KernelState, narrator: Narrator, name: String) -> String {
    let system = narrator.system
    let report = DeadlockReport(narrator: narrator)
    var out = ["digraph \"\(escape(name)) wait-for\" {", "  node [shape=box, fontname=monospace];"]
    for t in 0..<system.taskCount {
      // `\n` is a line break inside a DOT label.
      let label =
        escape(system.taskName(t) + report.role(t)) + "\\n"
        + escape("holds " + report.heldText(t, state))
      let blocked = report.wait(of: t, in: state) != nil
      out.append("  t\(t) [label=\"\(label)\"\(blocked ? ", style=bold" : "")];")
    }
    for t in 0..<system.taskCount {
      guard let w = report.wait(of: t, in: state) else { continue }
      for target in w.targets {
        out.append("  t\(t) -> t\(target) [label=\"\(escape(w.function))\"];")
      }
    }
    out.append("}")
    return out.joined(separator: "\n")
  }

  /// The reachable state graph (breadth-first, every transition), or nil above `maxStates`.
  /// States where a property is violated are red; blocked states with unfinished tasks are
  /// double octagons.
  public static func stateGraph(_ system: KernelSystem, name: String) -> String? {
    let narrator = Narrator(system: system)
    var edges: [String] = []
    let space = ReachableStates(system, maxStates: maxStates) { s, transition, from, to in
      let line = narrator.narrate(system.explain(transition, in: s))
      let label = "\(line.task): \(line.description)"
      edges.append("  s\(from) -> s\(to) [label=\"\(escape(short(label)))\"];")
    }
    guard space.complete else { return nil }
    var out = [
      "digraph \"\(escape(name)) states\" {", "  node [shape=circle, fontname=monospace];",
    ]
    for (i, s) in space.states.enumerated() {
      var attributes = ["label=\"\(i)\""]
      if system.properties.contains(where: { $0.kind != .sometimes && $0.isReported(in: s) }) {
        attributes.append("color=red")
      }
      if system.transitions(from: s).isEmpty && !system.unfinishedTasks(in: s).isEmpty {
        attributes.append("shape=doubleoctagon")
      }
      out.append("  s\(i) [\(attributes.joined(separator: ", "))];")
    }
    out += edges
    out.append("}")
    return out.joined(separator: "\n")
  }

  static func short(_ text: String) -> String {
    text.count <= 48 ? text : String(text.prefix(47)) + "…"
  }

  /// A DOT string's content: backslashes and quotes escaped.
  static func escape(_ text: String) -> String {
    text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
  }
}
