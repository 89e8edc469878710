/// A file's bytes `[0, size)` as runs of content with exact byte boundaries (design §3.2).
///
/// Runs are split only where a write, fill, truncate or punch splits them and merged again when
/// neighbours hold the same content, so the value is canonical: two files with the same bytes are
/// equal, and a whole-page file holds at most one run per page. Bytes at or past `size` do not
/// exist (a later extension reads them as a hole).
public struct FileContent: Hashable, Sendable, Codable {
  /// One run: `content` from `start` to the next run's start (or `size`).
  public struct Run: Hashable, Sendable, Codable {
    public var start: Int
    public var content: PageContent

    public init(start: Int, content: PageContent) {
      self.start = start
      self.content = content
    }
  }

  /// `i_size` in bytes.
  public private(set) var size: Int
  /// Strictly increasing starts, the first at 0 when `size > 0`; neighbours differ in content.
  public private(set) var runs: [Run]

  /// A file of `size` bytes whose page `p` holds `pages[p]` (pages past the list hold the last
  /// value; bytes past `size` are cut off).
  public init(size: Int, pages: [PageContent]) {
    self.size = size
    runs = []
    for (p, c) in pages.enumerated() where p * Fanotify.pageSize < size {
      append(start: p * Fanotify.pageSize, c)
    }
  }

  /// A whole-page file of `pages`.
  public init(pages: [PageContent]) {
    self.init(size: pages.count * Fanotify.pageSize, pages: pages)
  }

  private mutating func append(start: Int, _ c: PageContent) {
    if runs.last?.content != c { runs.append(Run(start: start, content: c)) }
  }

  private func end(ofRun i: Int) -> Int { i + 1 < runs.count ? runs[i + 1].start : size }

  /// The runs overlapping `range`, clipped to it and to `[0, size)`, in order.
  public func runs(in range: Range<Int>) -> [(range: Range<Int>, content: PageContent)] {
    let lo = max(0, range.lowerBound)
    let hi = min(size, range.upperBound)
    guard lo < hi else { return [] }
    var out: [(range: Range<Int>, content: PageContent)] = []
    for i in runs.indices {
      let a = max(lo, runs[i].start)
      let b = min(hi, end(ofRun: i))
      if a < b { out.append((a..<b, runs[i].content)) }
      if end(ofRun: i) >= hi { break }
    }
    return out
  }

  /// Whether any byte of `range` (within the file) holds `content`.
  public func contains(_ content: PageContent, in range: Range<Int>) -> Bool {
    runs(in: range).contains { $0.content == content }
  }

  /// The bytes of page `p` within the file (empty for a page at or past EOF).
  public func page(_ p: Int) -> Range<Int> {
    let start = p * Fanotify.pageSize
    return start..<max(start, min(size, start + Fanotify.pageSize))
  }

  /// What page `p` holds: one content when all its bytes agree, nil when it is split or past EOF.
  public func uniformContent(ofPage p: Int) -> PageContent? {
    let parts = runs(in: page(p))
    return parts.count == 1 ? parts[0].content : nil
  }

  /// Rebuilds the runs from a list of (start, content) pieces covering `[0, size)`.
  private mutating func rebuild(_ pieces: [(Int, PageContent)]) {
    runs = []
    for (start, c) in pieces where start < size { append(start: start, c) }
  }

  /// The bytes of `range` (clipped to the file) now hold `content`.
  public mutating func set(_ range: Range<Int>, to content: PageContent) {
    let lo = max(0, range.lowerBound)
    let hi = min(size, range.upperBound)
    guard lo < hi else { return }
    var pieces: [(Int, PageContent)] = []
    for part in runs(in: 0..<lo) { pieces.append((part.range.lowerBound, part.content)) }
    pieces.append((lo, content))
    for part in runs(in: hi..<size) { pieces.append((part.range.lowerBound, part.content)) }
    rebuild(pieces)
  }

  /// The bytes of `range` that hold `old` now hold `new`; the others keep their content.
  public mutating func replace(_ old: PageContent, with new: PageContent, in range: Range<Int>) {
    for part in runs(in: range) where part.content == old { set(part.range, to: new) }
  }

  /// `i_size` becomes `newSize`: a shrink drops the bytes past it, a growth adds a hole.
  public mutating func resize(to newSize: Int) {
    precondition(newSize >= 0, "negative size")
    if newSize > size {
      let start = size
      size = newSize
      append(start: start, .hole)
    } else {
      size = newSize
      while let last = runs.last, last.start >= size { runs.removeLast() }
    }
  }
}

extension FileContent {
  /// The same bytes in a buffer of their own (see `KernelSystem.unshared`).
  public func unshared() -> FileContent {
    var c = self
    c.runs = runs.map { $0 }
    return c
  }

  /// `FALLOC_FL_COLLAPSE_RANGE`: the bytes of `range` disappear and the rest moves down.
  public mutating func collapse(_ range: Range<Int>) {
    let tail = runs(in: range.upperBound..<size)
    let newSize = size - range.count
    resize(to: range.lowerBound)
    resize(to: newSize)
    for part in tail {
      set(
        part.range.lowerBound - range.count..<part.range.upperBound - range.count, to: part.content)
    }
  }

  /// `FALLOC_FL_INSERT_RANGE`: a hole of `length` bytes appears at `offset`, the rest moves up.
  public mutating func insertHole(at offset: Int, length: Int) {
    let tail = runs(in: offset..<size)
    let newSize = size + length
    resize(to: offset)
    resize(to: newSize)
    for part in tail {
      set(part.range.lowerBound + length..<part.range.upperBound + length, to: part.content)
    }
  }
}

/// A file as seen from outside after a run: its size and each page's class as a read of the
/// whole page classifies its bytes (the probe's `classify_page`): `written` when any byte was
/// written, else `filled` when any was filled, else `remote` when any is still a stub, else
/// `hole`. `fanmc conform` compares the model's final files with the live kernel's this way.
public struct FileSnapshot: Hashable, Sendable {
  public var size: Int
  public var pages: [PageContent]

  public init(size: Int, pages: [PageContent]) {
    self.size = size
    self.pages = pages
  }
}

extension FileContent {
  /// This content as `FileSnapshot` classifies it.
  public var snapshot: FileSnapshot {
    let count = (size + Fanotify.pageSize - 1) / Fanotify.pageSize
    let order: [PageContent] = [.written, .filled, .remote, .hole]
    let pages = (0..<count).map { p in
      let kinds = Set(runs(in: page(p)).map(\.content))
      return order.first { kinds.contains($0) } ?? .hole
    }
    return FileSnapshot(size: size, pages: pages)
  }
}
