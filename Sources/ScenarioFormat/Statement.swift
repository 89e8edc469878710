/// One line of a scenario: `[NAME =] WORD... [-> WORD]`, with the indented lines under it.
public struct Statement: Hashable, Sendable {
  /// The name before `=`, if any: `fd` in `fd = open data O_RDONLY`.
  public var assignee: Word?
  /// The words between the optional `NAME =` and the optional `-> WORD`; never empty.
  public var words: [Word]
  /// The word after `->`, if any: `EIO` in `pread fd 1p 100 -> EIO`.
  public var result: Word?
  /// Where the statement's first character is.
  public var location: SourceLocation
  /// The indented statements that follow this one.
  public var body: [Statement]

  public init(
    assignee: Word? = nil, words: [Word], result: Word? = nil, location: SourceLocation,
    body: [Statement] = []
  ) {
    self.assignee = assignee
    self.words = words
    self.result = result
    self.location = location
    self.body = body
  }

  /// The first word, when it is an identifier: what the statement is (`task`, `read`, `mark`).
  public var keyword: String? { words.first?.identifier }
}
