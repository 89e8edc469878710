/// `fanmc matrix --format html`: one self-contained page (inline CSS, no script, nothing fetched).
extension MatrixRenderer {
  /// The page's style: a colour per outcome, the own profile's cell outlined.
  static let style = """
    body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #222; }
    h1 { font-size: 1.3em; }
    table { border-collapse: collapse; }
    th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; }
    th { background: #f3f3f3; }
    td.name { font-family: ui-monospace, monospace; }
    td.cell { font-family: ui-monospace, monospace; white-space: nowrap; }
    td.ok { background: #d9f2d9; }
    td.found { background: #f8d0d0; }
    td.incomplete { background: #fbe8b8; }
    td.unresolved { background: #e4e4e4; color: #666; }
    td.own { outline: 3px solid #225; outline-offset: -3px; font-weight: bold; }
    td.notmet { outline-color: #c00; }
    ul.notes li, ul.legend li { margin: 0.2em 0; }
    """

  /// The matrix as one HTML page: the table (each cell's tooltip says why), the notes and the
  /// legend.
  public static func html(_ m: ProfileMatrix) -> String {
    let labels = labels(m)
    var out = [
      "<!DOCTYPE html>", "<html lang=\"en\">", "<head>", "<meta charset=\"utf-8\">",
      "<title>fanmc matrix</title>", "<style>", style, "</style>", "</head>", "<body>",
      "<h1>fanmc matrix</h1>", "<p>\(escape(title(m)))</p>", "<table>",
      "<tr><th>scenario</th>" + m.profiles.map { "<th>\(escape($0))</th>" }.joined() + "</tr>",
    ]
    for (row, label) in zip(m.rows, labels) {
      var line =
        "<tr><td class=\"name\" title=\"\(escape(row.question))\">\(escape(label))</td>"
      for c in row.cells {
        var classes = ["cell", kind(c.outcome)]
        if c.isOwnProfile { classes.append("own") }
        if c.expectationsMet == false { classes.append("notmet") }
        line +=
          "<td class=\"\(classes.joined(separator: " "))\" title=\"\(escape(tooltip(c)))\">"
          + escape(marked(c)) + "</td>"
      }
      out.append(line + "</tr>")
    }
    out.append("</table>")
    let noted = zip(m.rows, labels).map { (label: $1, notes: notes($0)) }.filter {
      !$0.notes.isEmpty
    }
    if !noted.isEmpty {
      out.append("<h2>Notes</h2>")
      out.append("<ul class=\"notes\">")
      for (label, notes) in noted {
        out.append(
          "<li><code>\(escape(label))</code><ul>"
            + notes.map { "<li>\(escape($0))</li>" }.joined() + "</ul></li>")
      }
      out.append("</ul>")
    }
    out.append("<h2>Legend</h2>")
    out.append(
      "<ul class=\"legend\">" + legend.map { "<li>\(escape($0))</li>" }.joined() + "</ul>")
    out += ["</body>", "</html>"]
    return out.joined(separator: "\n")
  }

  /// The CSS class of an outcome (the JSON's `outcome` word).
  static func kind(_ o: ProfileMatrix.Outcome) -> String {
    switch o {
    case .ok: return "ok"
    case .found: return "found"
    case .incomplete: return "incomplete"
    case .unresolved: return "unresolved"
    }
  }

  /// A cell's tooltip: the profile, what was found or why not, the states explored.
  static func tooltip(_ c: ProfileMatrix.Cell) -> String {
    var text = c.profile + ": "
    switch c.outcome {
    case .ok: text += "nothing found"
    case .found(let ids): text += ids.joined(separator: ", ")
    case .incomplete(let bound): text += "hit the \(bound) bound"
    case .unresolved(let why): text += "does not resolve: \(why)"
    }
    if case .unresolved = c.outcome {} else { text += " (\(c.states) states)" }
    if let met = c.expectationsMet {
      text +=
        met
        ? "; own profile, expectations met"
        : "; own profile, expectations NOT met: " + c.expectationProblems.joined(separator: "; ")
    }
    return text
  }

  /// Text made safe for HTML content and attribute values.
  static func escape(_ s: String) -> String {
    var out = ""
    for ch in s {
      switch ch {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      default: out.append(ch)
      }
    }
    return out
  }
}
