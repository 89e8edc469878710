import Exploration
import Foundation

/// Renders a `ProfileMatrix` (`fanmc matrix`) as a text table, as JSON, and as one HTML page.
public enum MatrixRenderer {
  /// What the marks and words of a cell mean, one sentence each.
  static let legend = [
    "ok: exhaustive, nothing found",
    "I3, retry, …: the properties violated (a deadlock as I5 or I9), then the known gaps "
      + "reached (I2-gap, I4-gap)",
    "incomplete: a bound was hit before anything was found",
    "n/a: the scenario does not resolve under that profile (see the notes)",
    "*: the scenario's own profile, expectations met",
    "!: the scenario's own profile, expectations NOT met (see the notes)",
  ]

  /// The first line: how many scenarios and profiles, and how they were explored.
  static func title(_ m: ProfileMatrix) -> String {
    "\(m.rows.count) scenario(s) × \(m.profiles.count) profile(s), each explored with its "
      + "profile replaced (\(TextRenderer.searchDescription(m.exploration)))"
  }

  /// A cell's text with its mark: `*` for the own profile with expectations met, `!` without.
  public static func marked(_ c: ProfileMatrix.Cell) -> String {
    switch c.expectationsMet {
    case true?: return c.label + "*"
    case false?: return c.label + "!"
    case nil: return c.label
    }
  }

  /// The lines that explain a row's cells: switches it sets, why a cell is n/a or incomplete,
  /// which expectations fail. Cells with the same reason share a line.
  static func notes(_ row: ProfileMatrix.Row) -> [String] {
    var out: [String] = []
    if !row.switches.isEmpty {
      out.append("set \(row.switches.joined(separator: ", ")): applied under every profile")
    }
    var reasons: [(word: String, why: String, profiles: [String])] = []
    for c in row.cells {
      let (word, why): (String, String)
      switch c.outcome {
      case .unresolved(let message): (word, why) = ("n/a", message)
      case .incomplete(let bound): (word, why) = ("incomplete", "hit the \(bound) bound")
      case .ok, .found: continue
      }
      if let i = reasons.firstIndex(where: { $0.word == word && $0.why == why }) {
        reasons[i].profiles.append(c.profile)
      } else {
        reasons.append((word, why, [c.profile]))
      }
    }
    for r in reasons {
      out.append("\(r.word) under \(r.profiles.joined(separator: ", ")): \(r.why)")
    }
    for c in row.cells where c.expectationsMet == false {
      out.append(
        "expectations NOT met under \(c.profile): "
          + c.expectationProblems.joined(separator: "; "))
    }
    return out
  }

  /// Row labels: the scenario names, or the file paths when two scenarios share a name.
  static func labels(_ m: ProfileMatrix) -> [String] {
    let names = m.rows.map(\.scenario)
    return m.rows.map { row in
      names.filter { $0 == row.scenario }.count > 1 ? row.file : row.scenario
    }
  }

  // MARK: Text

  /// The table: a header of profile names, one line per scenario; then the notes and the legend.
  ///
  /// Without `width`, every row is one line (what a pipe to grep wants). With it, the widest
  /// profile columns are narrowed, one character at a time, until the table fits in `width`
  /// characters or every column is as narrow as its longest word; a cell too long for its
  /// column wraps at spaces onto continuation lines, and notes and legend wrap too.
  public static func text(_ m: ProfileMatrix, width: Int? = nil) -> String {
    let labels = labels(m)
    let first = max("scenario".count, labels.map(\.count).max() ?? 0)
    var widths = m.profiles.indices.map { i in
      max(m.profiles[i].count, m.rows.map { marked($0.cells[i]).count }.max() ?? 0)
    }
    if let width {
      let floors = m.profiles.indices.map { i in
        m.rows.flatMap { marked($0.cells[i]).split(separator: " ").map(\.count) }
          .reduce(m.profiles[i].count, max)
      }
      while first + widths.reduce(0, { $0 + 2 + $1 }) > width,
        let i = widths.indices.filter({ widths[$0] > floors[$0] }).max(by: {
          widths[$0] < widths[$1]
        })
      {
        widths[i] -= 1
      }
    }
    func lines(_ head: String, _ cells: [String]) -> [String] {
      let wrapped = zip(cells, widths).map { TextRenderer.wrap($0, width: $1) }
      let height = wrapped.map(\.count).max() ?? 1
      return (0..<height).map { k in
        var s = (k == 0 ? head : "").rightPadded(to: first)
        for (cell, w) in zip(wrapped, widths) {
          s += "  " + (k < cell.count ? cell[k] : "").rightPadded(to: w)
        }
        return s.trimmingTrailingSpaces()
      }
    }
    let limit = width ?? Int.max
    var out = TextRenderer.wrap(title(m), width: limit) + [""] + lines("scenario", m.profiles)
    for (row, label) in zip(m.rows, labels) {
      out += lines(label, row.cells.map(marked))
    }
    let noted = zip(m.rows, labels).map { (label: $1, notes: notes($0)) }.filter {
      !$0.notes.isEmpty
    }
    if !noted.isEmpty {
      out += ["", "notes:"]
      for (label, notes) in noted {
        out.append("  \(label):")
        out += notes.flatMap {
          TextRenderer.wrap($0, width: limit - 6).enumerated().map {
            $0 == 0 ? "    " + $1 : "      " + $1
          }
        }
      }
    }
    out +=
      ["", "legend:"] + legend.flatMap { TextRenderer.wrap($0, width: limit - 2).map { "  " + $0 } }
    return out.joined(separator: "\n")
  }

  // MARK: JSON

  /// The JSON document of `fanmc matrix --format json`.
  public struct Document: Codable, Hashable, Sendable {
    public var profiles: [String]
    /// The search strategy and reductions, as in the text's title.
    public var search: String
    public var scenarios: [Row]
  }

  /// One scenario in the JSON document.
  public struct Row: Codable, Hashable, Sendable {
    public var scenario: String
    public var file: String
    public var question: String
    public var ownProfile: String
    /// `set` switches as `SWITCH VALUE`, applied under every profile.
    public var switches: [String]
    public var cells: [Cell]
  }

  /// One cell in the JSON document.
  public struct Cell: Codable, Hashable, Sendable {
    public var profile: String
    /// `ok`, `found`, `incomplete` or `unresolved`.
    public var outcome: String
    /// The text shown in the table, without its mark (`ok`, `I3 I5`, `incomplete`, `n/a`).
    public var label: String
    /// With `found`: the violated ids, then the known gaps reached.
    public var found: [String]
    /// With `incomplete`: the bound that was hit.
    public var bound: String?
    /// With `unresolved`: why the scenario does not resolve under this profile.
    public var reason: String?
    public var ownProfile: Bool
    /// Only in the own profile's cell.
    public var expectationsMet: Bool?
    public var expectationProblems: [String]
    public var states: Int
  }

  /// The matrix as a `Document`.
  public static func document(_ m: ProfileMatrix) -> Document {
    Document(
      profiles: m.profiles, search: TextRenderer.searchDescription(m.exploration),
      scenarios: m.rows.map { row in
        Row(
          scenario: row.scenario, file: row.file, question: row.question,
          ownProfile: row.ownProfile, switches: row.switches,
          cells: row.cells.map { c in
            var cell = Cell(
              profile: c.profile, outcome: "ok", label: c.label, found: [], bound: nil,
              reason: nil, ownProfile: c.isOwnProfile, expectationsMet: c.expectationsMet,
              expectationProblems: c.expectationProblems, states: c.states)
            switch c.outcome {
            case .ok: break
            case .found(let ids):
              cell.outcome = "found"
              cell.found = ids
            case .incomplete(let bound):
              cell.outcome = "incomplete"
              cell.bound = bound
            case .unresolved(let why):
              cell.outcome = "unresolved"
              cell.reason = why
            }
            return cell
          })
      })
  }

  /// The JSON of `fanmc matrix --format json`.
  public static func json(_ m: ProfileMatrix) -> String {
    JSONRenderer.encode(document(m))
  }
}
