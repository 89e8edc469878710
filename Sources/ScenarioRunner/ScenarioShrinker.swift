/// Shrinks a scenario that shows something (a disagreement with the live kernel) to a smaller
/// one that still shows it, by delta debugging its text: drop whole tasks, then single lines,
/// then single words and `|` flags, then make numbers smaller (0, 1, a page multiple, half, one
/// less), repeating until nothing more can go. The header (`scenario`, `question`, `expect`,
/// `profile`, `filesystem`) stays. Candidates are text: the predicate resolves each and says no
/// to an invalid one, so a candidate costs a parse unless it is valid. The same input and
/// predicate give the same result.
public enum ScenarioShrinker {
  public struct Result: Sendable {
    public var text: String
    /// How many candidates the predicate was asked about.
    public var tries: Int
  }

  /// The smallest text found for which `stillShows` holds (`text` itself when nothing smaller
  /// does), asking at most `maxTries` candidates.
  public static func shrink(
    _ text: String, maxTries: Int = 600, stillShows: (String) -> Bool
  ) -> Result {
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if lines.last == "" { lines.removeLast() }
    var tries = 0
    func attempt(_ candidate: [String]) -> Bool {
      guard tries < maxTries else { return false }
      tries += 1
      return stillShows(candidate.joined(separator: "\n") + "\n")
    }
    // Comments and blank lines carry nothing.
    lines.removeAll { $0.hasPrefix("#") || $0.allSatisfy { $0 == " " } }
    var changed = true
    while changed && tries < maxTries {
      changed = false
      // Whole tasks, last first.
      for start in lines.indices.reversed() where start < lines.count {
        guard lines[start].hasPrefix("task ") else { continue }
        var end = start + 1
        while end < lines.count && lines[end].hasPrefix(" ") { end += 1 }
        var candidate = lines
        candidate.removeSubrange(start..<end)
        if attempt(candidate) {
          lines = candidate
          changed = true
        }
      }
      // Single lines, last first.
      var i = lines.count - 1
      while i >= 0 {
        if i < lines.count && removable(lines[i]) {
          var candidate = lines
          candidate.remove(at: i)
          if attempt(candidate) {
            lines = candidate
            changed = true
          }
        }
        i -= 1
      }
      // Words and flags, then numbers, line by line.
      for i in lines.indices where removable(lines[i]) {
        for smaller in simpler(lines[i]) {
          var candidate = lines
          candidate[i] = smaller
          if attempt(candidate) {
            lines = candidate
            changed = true
            break
          }
        }
      }
    }
    return Result(text: lines.joined(separator: "\n") + "\n", tries: tries)
  }

  /// Lines the shrinker may drop or change: everything but the header.
  static func removable(_ line: String) -> Bool {
    let keep = ["scenario ", "question ", "expect ", "profile ", "filesystem "]
    return !keep.contains { line.hasPrefix($0) }
  }

  /// Simpler versions of one line, simplest first: two words dropped (a keyword and its
  /// value), a list of page contents cut to its first, one word dropped, a `|` flag dropped, a
  /// number made smaller. `max N` is the file's growth bound, never shrunk.
  static func simpler(_ line: String) -> [String] {
    let indent = String(line.prefix { $0 == " " })
    let words = line.split(separator: " ").map(String.init)
    func join(_ w: [String]) -> String { indent + w.joined(separator: " ") }
    var out: [String] = []
    for k in words.indices.dropFirst() where k + 1 < words.count && words.count > 3 {
      var w = words
      w.removeSubrange(k...(k + 1))
      out.append(join(w))
    }
    if let c = words.firstIndex(of: "content"), words.count > c + 2 {
      out.append(join(Array(words[...(c + 1)])))
    }
    for k in words.indices.dropFirst() where words.count > 2 {
      var w = words
      w.remove(at: k)
      out.append(join(w))
    }
    for (k, word) in words.enumerated() where word.contains("|") {
      let flags = word.split(separator: "|").map(String.init)
      for f in flags.indices {
        var w = words
        w[k] = flags.enumerated().filter { $0.offset != f }.map(\.element).joined(separator: "|")
        out.append(join(w))
      }
    }
    for (k, word) in words.enumerated() {
      guard let n = Int(word), n > 0, k == 0 || words[k - 1] != "max" else { continue }
      var smaller: [Int] = [0, 1, n / 4096 * 4096, n / 2, n - 1].filter { $0 < n }
      smaller = smaller.enumerated().filter { !smaller.prefix($0.offset).contains($0.element) }
        .map(\.element)
      for m in smaller {
        var w = words
        w[k] = String(m)
        out.append(join(w))
      }
    }
    return out
  }
}
