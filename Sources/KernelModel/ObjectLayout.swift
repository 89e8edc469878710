import Exploration

/// Numbers every shared object a step may read or write, for footprints.
///
/// Objects: the mark list, each group's queue and access list, each application task's pending
/// event, each page (content and cache) of each file. Task-private state (fd slots, phase,
/// position) is never shared and needs no object.
struct ObjectLayout: Sendable {
  let marks = 0
  private let groupBase: Int
  private let eventBase: Int
  private let pageBase: [Int]

  init?(config: KernelConfig) {
    groupBase = 1
    eventBase = groupBase + config.groups.count
    var next = eventBase + config.tasks.count
    var bases: [Int] = []
    for f in config.files {
      bases.append(next)
      next += f.pageCount
    }
    pageBase = bases
    if next > ObjectSet.capacity { return nil }
  }

  func group(_ g: Int) -> Int { groupBase + g }
  func event(ofTask t: Int) -> Int { eventBase + t }
  func page(file: Int, _ p: Int) -> Int { pageBase[file] + p }
}

extension Footprint {
  init(reading reads: [Int], writing writes: [Int] = []) {
    self.init(reads: ObjectSet(reads), writes: ObjectSet(writes))
  }

  init(writing writes: [Int]) {
    self.init(reads: ObjectSet(), writes: ObjectSet(writes))
  }
}
