import Foundation

/// Where the kernel functions a profile's steps name can be read: a mainline release on Elixir
/// for the 6.x profiles, the mailing-list posting for v2, v7 and v9.
public struct SourceLinks: Sendable, Hashable {
  /// What the links point into, for a reader: "Linux v6.14-rc1 on elixir.bootlin.com".
  public var tree: String
  /// The address of the source of `function`: a placeholder `{}` stands for the name.
  var pattern: String

  /// The source tree of profile `name`, or nil for a profile this table does not know.
  public init?(profile name: String) {
    switch name {
    case "6.14-rc1", "6.14", "6.17", "6.18":
      tree = "Linux v\(name) on elixir.bootlin.com"
      pattern = "https://elixir.bootlin.com/linux/v\(name)/A/ident/{}"
    case "v2", "v7", "v9":
      // The postings of "fanotify: add pre-content hooks" (whose fault patch is "fsnotify:
      // generate pre-content permission event on page fault"): v2 by Josef Bacik on 8 Aug 2024,
      // v7 by Josef Bacik on 12 Nov 2024, v9 by Jan Kara on 21 Nov 2024 (kernel-semantics §6 and
      // Profile.swift). Their exact lore message ids are not recorded in the project's documents,
      // so a function links to a lore search of linux-fsdevel for that version's patches, on its
      // posting dates, mentioning the function.
      let dates = [
        "v2": "20240808..20240810", "v7": "20241112..20241114", "v9": "20241121..20241123",
      ]
      tree = "the \(name) posting of \"fanotify: add pre-content hooks\" (lore search)"
      let query = "s:\"PATCH \(name)\" d:\(dates[name]!) {}"
      pattern = "https://lore.kernel.org/linux-fsdevel/?q=" + Self.queryEscaped(query)
    default:
      return nil
    }
  }

  /// The address of `function`'s source.
  public func url(_ function: String) -> String {
    pattern.replacingOccurrences(of: "{}", with: Self.queryEscaped(function))
  }

  /// One piece of a kernel function chain: text, with the address of its source when it names a
  /// kernel function.
  public struct Segment: Sendable, Hashable, Codable {
    public var text: String
    public var url: String?
  }

  /// `chain` cut into pieces, every kernel function name in it linked to its source:
  /// identifiers with an underscore (or `fsnotify`, `fput`), except ALL_CAPS constants,
  /// `->member` operations and user-space `pthread_*` calls.
  public func segments(_ chain: String) -> [Segment] {
    var out: [Segment] = []
    var plain = ""
    var i = chain.startIndex
    func isStart(_ c: Character) -> Bool { c == "_" || (c.isASCII && c.isLetter) }
    func isBody(_ c: Character) -> Bool { isStart(c) || (c.isASCII && c.isNumber) }
    while i < chain.endIndex {
      let c = chain[i]
      guard isStart(c) else {
        plain.append(c)
        i = chain.index(after: i)
        continue
      }
      var j = i
      while j < chain.endIndex, isBody(chain[j]) { j = chain.index(after: j) }
      let word = String(chain[i..<j])
      let member = plain.hasSuffix("->") || plain.hasSuffix(".")
      if !member && Self.isKernelFunction(word) {
        if !plain.isEmpty { out.append(Segment(text: plain, url: nil)) }
        plain = ""
        out.append(Segment(text: word, url: url(word)))
      } else {
        plain += word
      }
      i = j
    }
    if !plain.isEmpty { out.append(Segment(text: plain, url: nil)) }
    return out
  }

  static func isKernelFunction(_ word: String) -> Bool {
    if ["fsnotify", "fput"].contains(word) { return true }
    guard word.contains("_"), !word.hasPrefix("pthread_") else { return false }
    return word != word.uppercased()
  }

  /// `text` for a URL's query: everything but unreserved characters percent-encoded.
  static func queryEscaped(_ text: String) -> String {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~{}")
    return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
  }
}
