/// Byte-exact file content seen page by page: the questions steps ask of `FileContent`.
extension KernelSystem {
  /// Pages holding bytes of file `f` now: `ceil(i_size / PAGE_SIZE)`, the `max_pgoff` of
  /// faults and readahead.
  func pagesBelowEOF(_ f: Int, in s: KernelState) -> Int {
    (s.inodes[f].size + Fanotify.pageSize - 1) / Fanotify.pageSize
  }

  /// Whether page `p` of file `f` holds any stub byte below EOF.
  public func hasStub(_ f: Int, page p: Int, in s: KernelState) -> Bool {
    s.inodes[f].content.contains(.remote, in: s.inodes[f].content.page(p))
  }

  /// The pages of file `f` that bytes `range` touch, within the pages it may ever span.
  func pageRange(_ range: Range<Int>, file f: Int) -> Range<Int> {
    let page = Fanotify.pageSize
    let first = min(max(0, range.lowerBound) / page, config.files[f].pageCapacity)
    let end = min((max(0, range.upperBound) + page - 1) / page, config.files[f].pageCapacity)
    return first..<max(first, end)
  }

  /// The syscall application task `t` is running (its instruction until it returns), if any.
  func currentSyscall(task t: Int, in s: KernelState) -> Syscall? {
    guard t < appTaskCount, s.tasks[t].pc < config.tasks[t].program.count else { return nil }
    return config.tasks[t].program[s.tasks[t].pc].choices[s.tasks[t].choice]
  }

  /// The byte a user store writes through mapping `m` into page `p` of its file (the store's
  /// own offset; the start of the page when no store is running), now `written`.
  func writeStoredByte(_ m: Mapping, page p: Int, task t: Int, in s: inout KernelState) {
    var byte = p * Fanotify.pageSize
    if case .store(_, let offset) = currentSyscall(task: t, in: s) { byte = m.offset + offset }
    s.inodes[m.file].content.set(byte..<(byte + 1), to: .written)
  }
}
