/// The programs `fanmc hunt` enumerates exhaustively before it samples, in a fixed order
/// (Alloy's small-scope hypothesis: most bugs show in small instances, so try all of those
/// first):
///
/// 1. one task with one operation, for every listener, every layout of `data` (one stub page;
///    two stub pages; a local page then a stub page) and every operation of the alphabet;
/// 2. one task with two operations, for the first two listeners (the primary HSM behaviours:
///    by default one that fills and one that denies with EIO), every layout and every pair;
/// 3. two tasks on a one-page stub file, for every listener: one operation of the alphabet, and
///    a freezer (`freeze`, `thaw`), a reader, a mapper or a truncater beside it;
/// 4. one task with one operation on two stub pages, for the first two listeners, under the
///    other marks: directory (`FAN_EVENT_ON_CHILD`), mount, filesystem, and an inode mark that
///    also asks for `FAN_OPEN_PERM`.
///
/// Every program is a `HuntProgram`; `programs` lists them all, and their count is pinned by
/// the tests.
public enum HuntEnumeration {
  /// The layouts of `data` the enumeration tries.
  public static let layouts: [[String]] = [
    ["remote"], ["remote", "remote"], ["filled", "remote"],
  ]

  /// The operations of the alphabet for a file of `pages` pages: every syscall family with
  /// offsets and lengths at page and EOF boundaries.
  public static func alphabet(pages: Int) -> [HuntOp] {
    let size = pages * 4096
    var ops: [HuntOp] = [
      HuntOp(.read, 0, 100), HuntOp(.pread, 0, 100), HuntOp(.pread, 4000, 200),
      HuntOp(.readv, 0, 100), HuntOp(.write, 0, 100), HuntOp(.pwrite, 0, 100),
      HuntOp(.pwrite, size, 100), HuntOp(.ftruncate, 100, 0), HuntOp(.truncate, 0, 0),
      HuntOp(.punchHole, 0, 4096), HuntOp(.fadvise, 0, size), HuntOp(.readahead, 0, size),
      HuntOp(.mmapLoad, 0, size),
    ]
    if pages > 1 {
      ops += [HuntOp(.mmapLoad, 4096, 4096), HuntOp(.mmapLoadLast, 0, size)]
    }
    ops += [
      HuntOp(.mmapStore, 0, size), HuntOp(.mmapWillneed, 0, size),
      HuntOp(.mmapGrow, 0, size + 4096), HuntOp(.spliceToPipe, 0, 100),
      HuntOp(.sendfile, 0, 100), HuntOp(.copyRange, 0, 100), HuntOp(.pwriteFromMap, 0, 100),
      HuntOp(.openTrunc, 0, 0),
    ]
    return ops
  }

  /// The second tasks of phase 3.
  static let companions: [[HuntOp]] = [
    [HuntOp(.freezeThaw)], [HuntOp(.pread, 0, 100)], [HuntOp(.mmapLoad, 0, 4096)],
    [HuntOp(.truncate, 0, 0)],
  ]

  /// Every enumerated program for the listeners `listeners`, in enumeration order.
  public static func programs(listeners: [String]) -> [HuntProgram] {
    var out: [HuntProgram] = []
    for listener in listeners {
      for layout in layouts {
        for op in alphabet(pages: layout.count) {
          out.append(HuntProgram(layout: layout, listener: listener, tasks: [[op]]))
        }
      }
    }
    for listener in listeners.prefix(2) {
      for layout in layouts {
        let ops = alphabet(pages: layout.count)
        for first in ops {
          for second in ops {
            out.append(HuntProgram(layout: layout, listener: listener, tasks: [[first, second]]))
          }
        }
      }
    }
    for listener in listeners {
      for op in alphabet(pages: 1) {
        for companion in companions {
          out.append(HuntProgram(layout: ["remote"], listener: listener, tasks: [[op], companion]))
        }
      }
    }
    for listener in listeners.prefix(2) {
      for (kind, openPerm) in [
        ("directory", false), ("mount", false), ("filesystem", false), ("inode", true),
      ] {
        for op in alphabet(pages: 2) {
          var p = HuntProgram(layout: ["remote", "remote"], listener: listener, tasks: [[op]])
          p.markKind = kind
          p.openPerm = openPerm
          out.append(p)
        }
      }
    }
    return out
  }
}

/// Larger programs, sampled after the enumeration: mutations of the corpus (programs that
/// reached new coverage), or fresh programs when the corpus is empty. SplitMix64-seeded, so
/// the same seed and the same corpus give the same programs.
struct HuntSampler {
  var rng: HuntRandom
  let listeners: [String]

  init(seed: UInt64, listeners: [String]) {
    rng = HuntRandom(state: seed)
    self.listeners = listeners
  }

  /// The next sampled program: a mutation of a corpus program (three times in four when there
  /// is a corpus, favouring the newest), else a fresh one.
  mutating func next(corpus: [HuntProgram]) -> HuntProgram {
    if !corpus.isEmpty && rng.below(4) != 0 {
      // Newer corpus entries reached coverage later: draw from the newest half more often.
      let i =
        rng.below(2) == 0
        ? corpus.count - 1 - rng.below((corpus.count + 1) / 2) : rng.below(corpus.count)
      var p = corpus[i]
      for _ in 0..<(1 + rng.below(3)) { mutate(&p) }
      return p
    }
    return fresh()
  }

  mutating func fresh() -> HuntProgram {
    let pages = 1 + rng.below(3)
    let layout = (0..<pages).map { _ in rng.pick(["remote", "remote", "filled", "written", "hole"])
    }
    var p = HuntProgram(layout: layout, listener: rng.pick(listeners), tasks: [])
    for _ in 0..<(1 + rng.below(2)) {
      p.tasks.append((0..<(1 + rng.below(3))).map { _ in op(size: p.size) })
    }
    if rng.below(3) == 0 { p.tasks.append([HuntOp(.freezeThaw)]) }
    decorate(&p)
    return p
  }

  /// Marks of other kinds, an open permission, notification events, a second (content)
  /// group, another filesystem, a DAX inode.
  mutating func decorate(_ p: inout HuntProgram) {
    if rng.below(4) == 0 { p.markKind = rng.pick(["directory", "mount", "filesystem"]) }
    if rng.below(5) == 0 { p.openPerm.toggle() }
    if rng.below(6) == 0 { p.notifications.toggle() }
    if rng.below(8) == 0 { p.contentGroup.toggle() }
    if rng.below(8) == 0 { p.filesystem = rng.pick(["ext4", "xfs", "btrfs"]) }
    if rng.below(10) == 0 { p.dax.toggle() }
    if p.filesystem == "btrfs" { p.dax = false }
  }

  /// An operation of any verb with offsets and lengths near page and EOF boundaries.
  mutating func op(size: Int) -> HuntOp {
    let verbs = HuntVerb.allCases.filter { !$0.isFreezer }
    let verb = rng.pick(verbs)
    return HuntOp(verb, number(size: size), max(1, number(size: size)))
  }

  mutating func number(size: Int) -> Int {
    rng.pick([0, 1, 100, 4000, 4095, 4096, 4097, 8192, size - 1, size, size + 1, size + 4096])
      .clamped(0, 6 * 4096)
  }

  mutating func mutate(_ p: inout HuntProgram) {
    let t = rng.below(p.tasks.count)
    // A freezer stays a freezer: only other mutations apply to it.
    let freezer = p.tasks[t].allSatisfy(\.verb.isFreezer)
    switch rng.below(8) {
    case 0...3 where freezer: decorate(&p)
    case 0 where p.tasks[t].count < 4:  // add an operation
      p.tasks[t].insert(op(size: p.size), at: rng.below(p.tasks[t].count + 1))
    case 1 where p.tasks[t].count > 1:  // drop one
      p.tasks[t].remove(at: rng.below(p.tasks[t].count))
    case 2:  // replace one
      let i = rng.below(p.tasks[t].count)
      if !p.tasks[t][i].verb.isFreezer { p.tasks[t][i] = op(size: p.size) }
    case 3:  // change an offset or a length
      let i = rng.below(p.tasks[t].count)
      if rng.below(2) == 0 {
        p.tasks[t][i].offset = number(size: p.size)
      } else {
        p.tasks[t][i].length = max(1, number(size: p.size))
      }
    case 4 where p.tasks.count < 3:  // add a task
      p.tasks.append(
        rng.below(3) == 0 ? [HuntOp(.freezeThaw)] : [op(size: p.size)])
    case 5:  // another layout
      if rng.below(2) == 0 && p.layout.count < 4 {
        p.layout.append(rng.pick(["remote", "filled"]))
      } else {
        p.layout[rng.below(p.layout.count)] = rng.pick(["remote", "filled", "written", "hole"])
      }
    case 6: p.listener = rng.pick(listeners)
    default: decorate(&p)
    }
  }
}

extension Int {
  fileprivate func clamped(_ lo: Int, _ hi: Int) -> Int { Swift.min(Swift.max(self, lo), hi) }
}

/// The hunt's random draws, from SplitMix64 (as `RandomScenario`'s): the same in every process.
struct HuntRandom {
  var splitMix: SplitMix

  init(state: UInt64) { splitMix = SplitMix(state: state) }

  mutating func next() -> UInt64 { splitMix.next() }
  mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(1, n))) }
  mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}
