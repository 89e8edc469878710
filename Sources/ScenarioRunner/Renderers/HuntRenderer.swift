import Foundation

/// Renders a hunt's report: the findings by signature and the coverage, as text or as JSON
/// (`fanmc hunt --format json`, shaped so that several hunts' outputs can be merged: every
/// finding with its signature, scenario text, first program and count, the coverage sets and
/// the totals). Neither output has a clock reading in it: the same seed and number of programs
/// render to the same bytes.
public enum HuntRenderer {
  /// The summary table and the coverage report.
  public static func text(_ r: HuntReport, outDirectory: String? = nil) -> String {
    let c = r.config
    var out: [String] = []
    let sets = c.switches.map { " --set \($0.name)=\($0.value)" }.joined()
    out.append(
      "hunt --profile \(c.profile)\(sets) --seed \(c.seed), listeners "
        + c.listeners.joined(separator: ", "))
    out.append("")
    if r.findings.isEmpty {
      out.append("no findings")
    } else {
      let rows = r.findings.map { f -> [String] in
        let file = (outDirectory.map { $0 + "/" } ?? "") + f.name + ".scenario"
        return [
          f.signature.description, "\(f.programs)",
          "\(f.firstProgram)\(f.sampled ? " (sampled)" : "")",
          f.met ? file : file + " (not met: \(f.note ?? "?"))",
        ]
      }
      out += table(["signature", "programs", "first", "file"], rows)
    }
    out.append("")
    out.append(
      "programs: \(r.programs) (\(r.enumerated) enumerated of \(r.enumeratedSpace), "
        + "\(r.sampled) sampled), \(r.rejected) rejected by the resolver, \(r.bounded) bounded "
        + "(max \(c.maxStates) states: neither clean nor a finding)")
    out.append(
      "states: \(r.states); findings: \(r.findings.count) signatures; corpus: \(r.corpus) programs")
    let functions = r.hookFunctionsReached
    out.append(
      "hook functions reached: \(functions.count) of \(r.hookFunctionsInProfile.count) this "
        + "profile has (\(functions.joined(separator: ", ")))")
    let missing = r.hookFunctionsInProfile.filter { !functions.contains($0) }
    if !missing.isEmpty { out.append("  not reached: " + missing.joined(separator: ", ")) }
    out.append("hook sites reached: \(r.hookSites.count)")
    out += r.hookSites.sorted().map { "  " + $0 }
    let steps = HuntCoverage.modelSteps.filter(r.steps.contains)
    out.append(
      "kernel steps reached: \(r.steps.count) of \(HuntCoverage.modelSteps.count) the model has")
    let unreached = HuntCoverage.modelSteps.filter { !r.steps.contains($0) }
    if !unreached.isEmpty && steps.count > 0 {
      out.append("  not reached: " + unreached.joined(separator: ", "))
    }
    out.append("step kinds by syscall reached: \(r.stepSites.count)")
    return out.joined(separator: "\n")
  }

  /// Columns padded to their widest cell.
  static func table(_ head: [String], _ rows: [[String]]) -> [String] {
    let all = [head] + rows
    let widths = head.indices.map { i in all.map { $0[i].count }.max() ?? 0 }
    return all.map { row in
      row.enumerated().map { i, cell in
        i == row.count - 1 ? cell : cell.padding(toLength: widths[i], withPad: " ", startingAt: 0)
      }.joined(separator: "  ")
    }
  }

  struct FindingJSON: Codable {
    var signature: String
    var property: String
    var step: String
    var site: String
    var programs: Int
    var firstProgram: Int
    var sampled: Bool
    var file: String
    var expectations: [String]
    var met: Bool
    var note: String?
    var scenario: String
  }

  struct ReportJSON: Codable {
    var profile: String
    var switches: [String]
    var seed: UInt64
    var listeners: [String]
    var maxStates: Int
    var programs: Int
    var enumerated: Int
    var enumeratedSpace: Int
    var sampled: Int
    var rejected: Int
    var bounded: Int
    var states: Int
    var corpus: Int
    var findings: [FindingJSON]
    var steps: [String]
    var hookSites: [String]
    var stepSites: [String]
    var hookFunctions: [String]
    var hookFunctionsInProfile: [String]
    var modelSteps: [String]
  }

  /// The report as one JSON object with stable field names (README, Hunting).
  public static func json(_ r: HuntReport) -> String {
    let c = r.config
    let value = ReportJSON(
      profile: c.profile, switches: c.switches.map { "\($0.name)=\($0.value)" }, seed: c.seed,
      listeners: c.listeners, maxStates: c.maxStates, programs: r.programs,
      enumerated: r.enumerated, enumeratedSpace: r.enumeratedSpace, sampled: r.sampled,
      rejected: r.rejected, bounded: r.bounded, states: r.states, corpus: r.corpus,
      findings: r.findings.map {
        FindingJSON(
          signature: $0.signature.description, property: $0.signature.property,
          step: $0.signature.step, site: $0.signature.site, programs: $0.programs,
          firstProgram: $0.firstProgram, sampled: $0.sampled, file: $0.name + ".scenario",
          expectations: $0.expectations, met: $0.met, note: $0.note, scenario: $0.scenarioText)
      },
      steps: r.steps.sorted(), hookSites: r.hookSites.sorted(), stepSites: r.stepSites.sorted(),
      hookFunctions: r.hookFunctionsReached, hookFunctionsInProfile: r.hookFunctionsInProfile,
      modelSteps: HuntCoverage.modelSteps)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return String(decoding: (try? encoder.encode(value)) ?? Data(), as: UTF8.self)
  }
}
