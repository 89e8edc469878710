/// A visited set that stores keys and nothing else, kept dense: an open-addressing table that
/// grows by a quarter once 85% full, so after its first growth it is always between 68% and 85%
/// full. Exact 128-bit fingerprints then take 16 / 0.68 ≈ 23.5 bytes per state at most, and
/// hash-compact 64-bit keys 11.8. (`FingerprintTable`, with a payload per state for sleep sets,
/// stays under 5/8 full with 24-byte slots: 38 to 77 bytes per state.)
///
/// Linear probing from a home slot chosen by multiplying the key's spread word by the table
/// size (any size works, not only powers of two). The empty key marks an empty slot, so a key
/// equal to it is stored as its `substitute`.
@usableFromInline
struct DenseKeyTable<Key: DenseKey> {
  private var slots: [Key]
  /// The number of stored keys.
  @usableFromInline
  private(set) var count = 0

  @usableFromInline
  init(minimumCapacity: Int = 1 << 12) {
    slots = Array(repeating: Key.empty, count: max(16, minimumCapacity))
  }

  /// Bytes of the slot array, empty slots included.
  @usableFromInline
  var allocatedBytes: Int { slots.count * MemoryLayout<Key>.stride }

  /// Finds `key`, or stores it when the table holds fewer than `limit` keys. Slots are not
  /// reported (-1): the table has no payloads.
  @usableFromInline
  mutating func insert(_ original: Key, limit: Int) -> FingerprintTable.Insertion {
    let key = original == Key.empty ? Key.substitute : original
    var slot = probe(key)
    if slots[slot] == key { return .found(-1) }
    guard count < limit else { return .full }
    if (count + 1) * 20 > slots.count * 17 {
      grow()
      slot = probe(key)
    }
    count += 1
    slots[slot] = key
    return .inserted(-1)
  }

  /// The slot holding `key`, or the empty slot where it would go.
  private func probe(_ key: Key) -> Int {
    slots.withUnsafeBufferPointer { buffer in
      var i = Self.home(key, buffer.count)
      while buffer[i] != key && buffer[i] != Key.empty {
        i += 1
        if i == buffer.count { i = 0 }
      }
      return i
    }
  }

  @inline(__always)
  private static func home(_ key: Key, _ size: Int) -> Int {
    Int(truncatingIfNeeded: key.spread.multipliedFullWidth(by: UInt64(size)).high)
  }

  private mutating func grow() {
    let old = slots
    let size = old.count + old.count / 4
    slots = Array(repeating: Key.empty, count: size)
    slots.withUnsafeMutableBufferPointer { buffer in
      for key in old where key != Key.empty {
        var i = Self.home(key, size)
        while buffer[i] != Key.empty {
          i += 1
          if i == size { i = 0 }
        }
        buffer[i] = key
      }
    }
  }
}

/// A key of a `DenseKeyTable`.
@usableFromInline
protocol DenseKey: Equatable {
  /// The key that marks an empty slot, and the one stored in its place.
  static var empty: Self { get }
  static var substitute: Self { get }
  /// A well-mixed word that chooses the home slot.
  var spread: UInt64 { get }
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
}

/// The fingerprint's high word (hash compaction).
extension UInt64: DenseKey {
  @usableFromInline static var empty: UInt64 { 0 }
  @usableFromInline static var substitute: UInt64 { 1 }
  @usableFromInline var spread: UInt64 { self }
}
