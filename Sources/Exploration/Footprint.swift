/// A set of object ids in `0..<ObjectSet.capacity`, as a fixed-size bitset.
public struct ObjectSet: Hashable, Sendable {
  /// The largest number of distinct objects a system may name.
  public static let capacity = 256
  @usableFromInline var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

  @inlinable
  public init() {}

  public init(_ ids: [Int]) {
    for id in ids { insert(id) }
  }

  // One, two or three ids, and ranges: footprints are built on every step, without an array.
  @inlinable
  public init(_ a: Int) { insert(a) }

  @inlinable
  public init(_ a: Int, _ b: Int) {
    insert(a)
    insert(b)
  }

  @inlinable
  public init(_ a: Int, _ b: Int, _ c: Int) {
    insert(a)
    insert(b)
    insert(c)
  }

  /// The ids `range`.
  @inlinable
  public init(_ range: Range<Int>) {
    for id in range { insert(id) }
  }

  /// The union.
  @inlinable
  public static func + (a: ObjectSet, b: ObjectSet) -> ObjectSet { a.union(b) }

  public static func == (a: ObjectSet, b: ObjectSet) -> Bool {
    a.words == b.words
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(words.0)
    hasher.combine(words.1)
    hasher.combine(words.2)
    hasher.combine(words.3)
  }

  @inlinable
  public mutating func insert(_ id: Int) {
    precondition(id >= 0 && id < Self.capacity, "object id \(id) out of range")
    let bit = UInt64(1) << UInt64(id & 63)
    switch id >> 6 {
    case 0: words.0 |= bit
    case 1: words.1 |= bit
    case 2: words.2 |= bit
    default: words.3 |= bit
    }
  }

  @inlinable
  public func contains(_ id: Int) -> Bool {
    guard id >= 0 && id < Self.capacity else { return false }
    let bit = UInt64(1) << UInt64(id & 63)
    switch id >> 6 {
    case 0: return words.0 & bit != 0
    case 1: return words.1 & bit != 0
    case 2: return words.2 & bit != 0
    default: return words.3 & bit != 0
    }
  }

  @inlinable
  public var isEmpty: Bool { words == (0, 0, 0, 0) }

  @inlinable
  public func union(_ other: ObjectSet) -> ObjectSet {
    var r = self
    r.words = (
      words.0 | other.words.0, words.1 | other.words.1, words.2 | other.words.2,
      words.3 | other.words.3
    )
    return r
  }

  @inlinable
  public func intersects(_ other: ObjectSet) -> Bool {
    (words.0 & other.words.0) | (words.1 & other.words.1) | (words.2 & other.words.2)
      | (words.3 & other.words.3) != 0
  }

  /// The ids in ascending order.
  public var elements: [Int] {
    (0..<Self.capacity).filter { contains($0) }
  }
}

/// What a step reads and writes. Taking or releasing a lock writes the lock's object; waiting on
/// something reads it. Two steps of different tasks are independent when neither writes what the
/// other reads or writes.
public struct Footprint: Hashable, Sendable {
  public var reads: ObjectSet
  public var writes: ObjectSet

  public init(reads: ObjectSet = ObjectSet(), writes: ObjectSet = ObjectSet()) {
    self.reads = reads
    self.writes = writes
  }

  /// True when the two steps commute and neither enables or disables the other.
  public func isIndependent(of other: Footprint) -> Bool {
    !writes.intersects(other.reads.union(other.writes)) && !other.writes.intersects(reads)
  }
}
