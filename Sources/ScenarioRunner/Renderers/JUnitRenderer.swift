/// JUnit XML, the report CI systems read (`fanmc check --format junit`, `fanmc merge --format
/// junit`): a test suite per folder, a test case per scenario file named after the scenario, a
/// `failure` for unmet expectations (the problems as its text) and an `error` for an invalid
/// file (the diagnostic). Times are the searches' own.
public enum JUnitRenderer {
  public static func render(_ report: CheckReport) -> String {
    var folders: [String] = []
    var byFolder: [String: [CheckOutcome]] = [:]
    for o in report.outcomes {
      let folder = o.file.split(separator: "/").dropLast().joined(separator: "/")
      if byFolder[folder] == nil { folders.append(folder) }
      byFolder[folder, default: []].append(o)
    }
    func counts(_ os: [CheckOutcome]) -> String {
      let failures = os.filter { $0.run != nil && !$0.expectationsMet }.count
      let errors = os.filter { $0.invalid != nil }.count
      let time = os.reduce(0.0) { $0 + ($1.run?.stats.seconds ?? 0) }
      return "tests=\"\(os.count)\" failures=\"\(failures)\" errors=\"\(errors)\" "
        + "time=\"\(seconds(time))\""
    }
    var out = [
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
      "<testsuites name=\"fanmc check\" \(counts(report.outcomes))>",
    ]
    for folder in folders {
      let os = byFolder[folder]!
      out.append("  <testsuite name=\"\(escape(folder.isEmpty ? "." : folder))\" \(counts(os))>")
      for o in os {
        let name = o.run?.scenario ?? o.file
        let classname = folder.replacingOccurrences(of: "/", with: ".")
        let time = seconds(o.run?.stats.seconds ?? 0)
        let head =
          "    <testcase classname=\"\(escape(classname))\" name=\"\(escape(name))\" "
          + "file=\"\(escape(o.file))\" time=\"\(time)\""
        if let invalid = o.invalid {
          out.append(head + ">")
          out.append(
            "      <error message=\"invalid scenario\" type=\"invalid\">\(escape(invalid))</error>")
          out.append("    </testcase>")
        } else if let run = o.run, !run.expectationsMet {
          out.append(head + ">")
          out.append(
            "      <failure message=\"expectations not met (\(escape(run.verdict)))\" "
              + "type=\"expectation\">"
              + escape(run.expectationProblems.joined(separator: "\n")) + "</failure>")
          out.append("    </testcase>")
        } else {
          out.append(head + "/>")
        }
      }
      out.append("  </testsuite>")
    }
    out.append("</testsuites>")
    return out.joined(separator: "\n")
  }

  static func seconds(_ s: Double) -> String {
    let ms = Int((s * 1000).rounded())
    let frac = "\(ms % 1000)"
    return "\(ms / 1000)." + String(repeating: "0", count: 3 - frac.count) + frac
  }

  /// XML text and attribute escaping; control characters XML 1.0 forbids become spaces.
  static func escape(_ s: String) -> String {
    var out = ""
    for ch in s.unicodeScalars {
      switch ch {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "\n", "\t": out.unicodeScalars.append(ch)
      default:
        if ch.value < 0x20 { out += " " } else { out.unicodeScalars.append(ch) }
      }
    }
    return out
  }
}
