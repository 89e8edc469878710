/// A visited set that stores keys and nothing else, kept dense: bucketized cuckoo hashing
/// (Fan, Andersen, Kaminsky and Mitzenmacher's layout, as in cuckoo filters), four keys to a
/// bucket and two candidate buckets per key.
///
/// The table grows once 90% full: it doubles up to 2^20 slots (16 MiB of exact keys: below that
/// the time to rehash matters more than the bytes), then grows by a third, so past 2^20 slots it
/// is always between 67.5% and 90% full: exact 128-bit fingerprints take 16 / 0.675 ≈ 23.7
/// bytes per state at most, and hash-compact 64-bit keys 11.9. (`FingerprintTable`, with a payload per state for sleep
/// sets, stays under 5/8 full with 24-byte slots: 38 to 77 bytes per state.) Any number of
/// buckets works: a bucket is chosen by multiplying a key word by the bucket count.
///
/// A lookup reads the key's first bucket and stops there when the bucket has an empty slot: a
/// bucket never loses a key (an eviction refills the slot at once), and a key goes to its second
/// bucket only while its first is full, so a first bucket with room means the key is in neither
/// or in it. Insertion into two full buckets evicts a key to its other bucket, repeatedly, with
/// the victims chosen by a fixed rule, so the same insertions give the same table in every run.
/// The empty key marks an empty slot, so a key equal to it is stored as its `substitute`.
@usableFromInline
struct DenseKeyTable<Key: DenseKey> {
  @inlinable static var bucketSize: Int { 4 }
  /// Evictions tried before the table grows instead.
  @inlinable static var maxKicks: Int { 256 }
  /// Below this many buckets (2^20 slots by default) the table doubles.
  @usableFromInline let doublingBuckets: Int

  @usableFromInline var slots: [Key]
  @usableFromInline var buckets: Int
  /// The number of stored keys.
  @usableFromInline
  private(set) var count = 0

  @inlinable
  init(minimumCapacity: Int = 1 << 12, doublingBuckets: Int = 1 << 18) {
    self.doublingBuckets = doublingBuckets
    buckets = max(4, minimumCapacity / Self.bucketSize)
    slots = Array(repeating: Key.empty, count: buckets * Self.bucketSize)
  }

  /// Bytes of the slot array, empty slots included.
  @inlinable
  var allocatedBytes: Int { slots.count * MemoryLayout<Key>.stride }

  /// Finds `key`, or stores it when the table holds fewer than `limit` keys. Slots are not
  /// reported (-1): the table has no payloads.
  @inlinable
  mutating func insert(_ original: Key, limit: Int) -> FingerprintTable.Insertion {
    let key = original == Key.empty ? Key.substitute : original
    let first = Self.bucket(key.spread, buckets)
    // An empty slot of the first bucket, else of the second; nil when both are full.
    var free = find(key, in: first)
    if free == nil { free = find(key, in: Self.other(key, first, buckets)) }
    if free == -1 { return .found(-1) }
    guard count < limit else { return .full }
    if needsGrowth { return growAndInsert(key) }
    count += 1
    if let free {
      slots[free] = key
    } else if let homeless = Self.place(key, evictingFrom: first, in: &slots, buckets) {
      grow(adding: homeless)
    }
    return .inserted(-1)
  }

  @inlinable var needsGrowth: Bool { (count + 1) * 10 > slots.count * 9 }

  /// -1 if `bucket` holds `key`; the first empty slot if it does not and has one; nil if full
  /// without it.
  @inlinable func find(_ key: Key, in bucket: Int) -> Int? {
    slots.withUnsafeBufferPointer { buffer in
      let start = bucket * Self.bucketSize
      for i in start..<(start + Self.bucketSize) {
        if buffer[i] == key { return -1 }
        if buffer[i] == Key.empty { return i }
      }
      return nil
    }
  }

  @inlinable @inline(__always)
  static func bucket(_ word: UInt64, _ buckets: Int) -> Int {
    Int(truncatingIfNeeded: word.multipliedFullWidth(by: UInt64(buckets)).high)
  }

  /// The key's bucket other than `bucket`.
  @inlinable @inline(__always)
  static func other(_ key: Key, _ bucket: Int, _ buckets: Int) -> Int {
    let first = Self.bucket(key.spread, buckets)
    guard bucket == first else { return first }
    let second = Self.bucket(key.alternate, buckets)
    return second != first ? second : (first + 1) % buckets
  }

  /// Puts `key`, whose two buckets are full, into `bucket`, evicting a key to its other bucket,
  /// and so on. Returns the key left without a slot after `maxKicks` evictions, if any.
  @inlinable
  static func place(
    _ key: Key, evictingFrom bucket: Int, in slots: inout [Key], _ buckets: Int
  ) -> Key? {
    var key = key
    var bucket = bucket
    for kick in 0..<maxKicks {
      let victim =
        bucket * bucketSize + (Int(truncatingIfNeeded: key.alternate &+ UInt64(kick)) & 3)
      swap(&key, &slots[victim])
      bucket = other(key, bucket, buckets)
      if store(key, in: bucket, &slots) { return nil }
    }
    return key
  }

  @usableFromInline
  mutating func growAndInsert(_ key: Key) -> FingerprintTable.Insertion {
    count += 1
    grow(adding: key)
    return .inserted(-1)
  }

  /// Rebuilds the table a quarter larger (larger again if a key finds no slot), with `extra`.
  @usableFromInline
  mutating func grow(adding extra: Key) {
    // Doubled while small (growing costs a rehash; a small table's bytes do not matter), then
    // by a third.
    var size = buckets < doublingBuckets ? 2 * buckets : buckets + buckets / 3
    while true {
      var fresh = [Key](repeating: Key.empty, count: size * Self.bucketSize)
      var failed = false
      for key in slots + [extra] where key != Key.empty {
        let first = Self.bucket(key.spread, size)
        if Self.store(key, in: first, &fresh) { continue }
        if Self.store(key, in: Self.other(key, first, size), &fresh) { continue }
        if Self.place(key, evictingFrom: first, in: &fresh, size) != nil {
          failed = true
          break
        }
      }
      if !failed {
        slots = fresh
        buckets = size
        return
      }
      size += max(1, size / 3)  // a key found no slot: larger again
    }
  }

  @usableFromInline
  static func store(_ key: Key, in bucket: Int, _ slots: inout [Key]) -> Bool {
    let start = bucket * bucketSize
    for i in start..<(start + bucketSize) where slots[i] == Key.empty {
      slots[i] = key
      return true
    }
    return false
  }
}

/// A key of a `DenseKeyTable`.
@usableFromInline
protocol DenseKey: Equatable {
  /// The key that marks an empty slot, and the one stored in its place.
  static var empty: Self { get }
  static var substitute: Self { get }
  /// Well-mixed words that choose the key's two buckets.
  var spread: UInt64 { get }
  var alternate: UInt64 { get }
}

/// A whole 128-bit fingerprint (exact storage).
@usableFromInline
struct ExactKey: DenseKey {
  @usableFromInline var high: UInt64
  @usableFromInline var low: UInt64

  @usableFromInline
  init(_ f: Fingerprint) {
    high = f.high
    low = f.low
  }

  @usableFromInline
  init(high: UInt64, low: UInt64) {
    self.high = high
    self.low = low
  }

  @usableFromInline static var empty: ExactKey { ExactKey(high: 0, low: 0) }
  @usableFromInline static var substitute: ExactKey { ExactKey(high: 0, low: 1) }
  @usableFromInline var spread: UInt64 { low }
  @usableFromInline var alternate: UInt64 { high }
}

/// The fingerprint's high word (hash compaction).
extension UInt64: DenseKey {
  @usableFromInline static var empty: UInt64 { 0 }
  @usableFromInline static var substitute: UInt64 { 1 }
  @usableFromInline var spread: UInt64 { self }
  /// The key's bytes reversed and scrambled: independent enough of `spread`'s high bits.
  @usableFromInline var alternate: UInt64 { (self &* 0x9E37_79B9_7F4A_7C15).byteSwapped }
}
