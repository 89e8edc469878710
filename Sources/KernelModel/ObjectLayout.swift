import Exploration

/// Numbers every shared object a step may read or write, for footprints.
///
/// Objects: the mark list; each group's queue and access list; each task's pending event; the
/// superblock (`sb_writers` and freeze); per file its size, `i_rwsem`, `invalidate_lock` and each
/// page (content and cache). Task-private state (fd slots, path, position) needs no object.
struct ObjectLayout: Sendable {
  let marks = 0
  let superblock = 1
  private let groupBase: Int
  private let eventBase: Int
  private let fileBase: [Int]
  /// The superblock, every group and every file's objects: what any task may touch.
  let sharedObjects: ObjectSet

  /// Objects per file before its pages: size, i_rwsem, invalidate_lock.
  private static let perFile = 3

  init?(config: KernelConfig, taskCount: Int) {
    groupBase = 2
    eventBase = groupBase + config.groups.count
    var next = eventBase + taskCount
    var bases: [Int] = []
    for f in config.files {
      bases.append(next)
      next += Self.perFile + f.pageCapacity
    }
    fileBase = bases
    if next > ObjectSet.capacity { return nil }
    sharedObjects = ObjectSet(
      [superblock] + (groupBase..<eventBase) + ((eventBase + taskCount)..<next))
  }

  func group(_ g: Int) -> Int { groupBase + g }
  func event(ofTask t: Int) -> Int { eventBase + t }
  func size(file: Int) -> Int { fileBase[file] }
  func iRwsem(file: Int) -> Int { fileBase[file] + 1 }
  func invalidateLock(file: Int) -> Int { fileBase[file] + 2 }
  func page(file: Int, _ p: Int) -> Int { fileBase[file] + Self.perFile + p }
}

extension ObjectLayout {
  /// Pages `range` of `file`.
  func pages(file: Int, _ range: Range<Int>) -> ObjectSet {
    range.isEmpty
      ? ObjectSet()
      : ObjectSet(page(file: file, range.lowerBound)..<page(file: file, range.upperBound))
  }
}

extension Footprint {
  init(reading reads: ObjectSet, writing writes: ObjectSet = ObjectSet()) {
    self.init(reads: reads, writes: writes)
  }

  init(writing writes: ObjectSet) {
    self.init(reads: ObjectSet(), writes: writes)
  }
}
