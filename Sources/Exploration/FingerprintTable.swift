/// The visited set: an open-addressing hash table from 128-bit fingerprints to a 64-bit payload.
///
/// Linear probing on the fingerprint's low word (already well mixed by `StateEncoder`), load kept
/// under 5/8. The all-zero fingerprint marks an empty slot, so a state whose fingerprint is all zero
/// is stored as `(0, 1)`; two states are conflated only if their fingerprints collide, which is the
/// usual hash-compaction risk (about n²/2¹²⁹ for n states).
@usableFromInline
struct FingerprintTable {
  private struct Slot {
    var high: UInt64
    var low: UInt64
    var payload: UInt64
  }

  /// The outcome of `insert(_:limit:)`.
  @usableFromInline
  enum Insertion: Equatable {
    /// The fingerprint was already stored, at this slot (-1 for tables without payloads).
    case found(Int)
    /// The fingerprint was new and is now stored, at this slot, with payload 0 (-1 for tables
    /// without payloads).
    case inserted(Int)
    /// The fingerprint was new but the table already holds `limit` entries.
    case full
  }

  private var slots: [Slot]
  private var mask: Int
  /// The number of stored fingerprints.
  @usableFromInline
  private(set) var count = 0

  /// Bytes of one slot (two fingerprint words and the payload).
  @usableFromInline
  static var slotBytes: Int { MemoryLayout<Slot>.stride }

  /// Bytes of the slot array, empty slots included.
  @usableFromInline
  var allocatedBytes: Int { slots.count * Self.slotBytes }

  @usableFromInline
  init(minimumCapacity: Int = 1 << 12) {
    var capacity = 16
    while capacity < minimumCapacity { capacity <<= 1 }
    slots = Array(repeating: Slot(high: 0, low: 0, payload: 0), count: capacity)
    mask = capacity - 1
  }

  /// Finds `fingerprint`, or stores it when the table holds fewer than `limit` entries.
  @usableFromInline
  mutating func insert(_ fingerprint: Fingerprint, limit: Int) -> Insertion {
    let high = fingerprint.high
    let low = fingerprint.high == 0 && fingerprint.low == 0 ? 1 : fingerprint.low
    var slot = probe(high: high, low: low)
    if slots[slot].high == high && slots[slot].low == low { return .found(slot) }
    guard count < limit else { return .full }
    if (count + 1) * 8 > slots.count * 5 {
      grow()
      slot = probe(high: high, low: low)
    }
    count += 1
    slots[slot] = Slot(high: high, low: low, payload: 0)
    return .inserted(slot)
  }

  /// The slot holding the key, or the empty slot where it would go.
  private func probe(high: UInt64, low: UInt64) -> Int {
    slots.withUnsafeBufferPointer { buffer in
      var i = Int(truncatingIfNeeded: low) & mask
      while true {
        let slot = buffer[i]
        if (slot.high == high && slot.low == low) || (slot.high == 0 && slot.low == 0) {
          return i
        }
        i = (i + 1) & mask
      }
    }
  }

  /// The payload stored with the fingerprint at `slot` (valid until the next insertion).
  @usableFromInline
  subscript(payload slot: Int) -> UInt64 {
    get { slots[slot].payload }
    set { slots[slot].payload = newValue }
  }

  private mutating func grow() {
    let old = slots
    let capacity = old.count * 2
    slots = Array(repeating: Slot(high: 0, low: 0, payload: 0), count: capacity)
    mask = capacity - 1
    let m = mask
    slots.withUnsafeMutableBufferPointer { buffer in
      for slot in old where slot.high != 0 || slot.low != 0 {
        var i = Int(truncatingIfNeeded: slot.low) & m
        while buffer[i].high != 0 || buffer[i].low != 0 { i = (i + 1) & m }
        buffer[i] = slot
      }
    }
  }
}
