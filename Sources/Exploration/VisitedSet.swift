#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The visited set of a search, in the representation `ExplorationConfig.storage` chose.
///
/// All three tables are fields (the unused two stay tiny) rather than payloads of an enum, so
/// that inserting mutates a table in place instead of copying it out of the enum.
@usableFromInline
struct VisitedSet {
  @usableFromInline
  let storage: ExplorationConfig.Storage
  @usableFromInline
  var exact: FingerprintTable
  @usableFromInline
  var compact: CompactFingerprintTable
  @usableFromInline
  var bits: BitstateArray

  @usableFromInline
  init(storage: ExplorationConfig.Storage) {
    self.storage = storage
    switch storage {
    case .exact:
      exact = FingerprintTable()
      compact = CompactFingerprintTable(minimumCapacity: 16)
      bits = BitstateArray(log2Bits: 6)
    case .hashCompact:
      exact = FingerprintTable(minimumCapacity: 16)
      compact = CompactFingerprintTable()
      bits = BitstateArray(log2Bits: 6)
    case .bitstate(let log2Bits):
      exact = FingerprintTable(minimumCapacity: 16)
      compact = CompactFingerprintTable(minimumCapacity: 16)
      bits = BitstateArray(log2Bits: log2Bits)
    }
  }

  /// Finds `fingerprint`, or stores it when fewer than `limit` states are stored. Only the exact
  /// table has slots with payloads; the other modes report slot -1.
  @inlinable
  mutating func insert(_ fingerprint: Fingerprint, limit: Int) -> FingerprintTable.Insertion {
    switch storage {
    case .exact: return exact.insert(fingerprint, limit: limit)
    case .hashCompact: return compact.insert(fingerprint, limit: limit)
    case .bitstate: return bits.insert(fingerprint, limit: limit)
    }
  }

  /// The number of states stored (for bitstate: insertions that set at least one new bit).
  @usableFromInline
  var count: Int {
    switch storage {
    case .exact: exact.count
    case .hashCompact: compact.count
    case .bitstate: bits.count
    }
  }

  /// Bytes allocated by the structure in use: slots × slot size (empty slots included), or the
  /// bit array's bytes. The exact table's stored sleep sets are not counted.
  @usableFromInline
  var allocatedBytes: Int {
    switch storage {
    case .exact: exact.allocatedBytes
    case .hashCompact: compact.allocatedBytes
    case .bitstate: bits.allocatedBytes
    }
  }

  /// Bytes one stored state occupies in its slot (24 exact, 8 hash-compact), or for bitstate the
  /// k = 2 bits it sets (0.25 bytes).
  @usableFromInline
  var bytesPerEntry: Double {
    switch storage {
    case .exact: Double(FingerprintTable.slotBytes)
    case .hashCompact: Double(MemoryLayout<UInt64>.stride)
    case .bitstate: Double(BitstateArray.hashCount) / 8
    }
  }

  /// The probability that the structure made the search miss a state; nil for `.exact`.
  ///
  /// - `.hashCompact`, n stored 64-bit keys: the probability that two distinct states share a key
  ///   is at most n(n − 1)/2 pairs × 2⁻⁶⁴ = n(n − 1)/2⁶⁵ (≈ n²/2⁶⁵, the birthday bound; capped
  ///   at 1). A collision conflates two states, so the second is never expanded.
  /// - `.bitstate`, m bits, k = 2 hashes: a state not yet visited is wrongly considered visited
  ///   when both its bits are already set, which has probability f^k for the fraction f of set
  ///   bits. After n insertions the expected f is 1 − e^(−kn/m), hence (1 − e^(−kn/m))^k; the
  ///   engine uses the measured f, which stays honest when n undercounts (saturated arrays).
  @usableFromInline
  var omissionProbability: Double? {
    switch storage {
    case .exact:
      return nil
    case .hashCompact:
      let n = Double(compact.count)
      return min(1, n * max(0, n - 1) / 0x1p65)
    case .bitstate:
      let f = Double(bits.setBits) / Double(bits.bitCount)
      return pow(f, Double(BitstateArray.hashCount))
    }
  }

  /// The payload of the exact table's `slot` (valid until the next insertion).
  @inlinable
  subscript(payload slot: Int) -> UInt64 {
    get { exact[payload: slot] }
    set { exact[payload: slot] = newValue }
  }

  /// Fills in the storage figures of `stats` (`visitedBytes`, `bytesPerState`, `bytesPerEntry`).
  @usableFromInline
  func report(into stats: inout Statistics) {
    stats.visitedBytes = allocatedBytes
    stats.bytesPerState = count == 0 ? 0 : Double(allocatedBytes) / Double(count)
    stats.bytesPerEntry = bytesPerEntry
  }
}

/// Hash compaction: an open-addressing table of 64-bit fingerprint keys and nothing else.
///
/// The key is the fingerprint's high word; 0 marks an empty slot, so the key 0 is stored as 1.
/// Linear probing, load kept under 5/8 like `FingerprintTable`. Two states are conflated when
/// their keys collide (see `VisitedSet.omissionProbability`).
@usableFromInline
struct CompactFingerprintTable {
  private var slots: [UInt64]
  private var mask: Int
  @usableFromInline
  private(set) var count = 0

  @usableFromInline
  init(minimumCapacity: Int = 1 << 12) {
    var capacity = 16
    while capacity < minimumCapacity { capacity <<= 1 }
    slots = Array(repeating: 0, count: capacity)
    mask = capacity - 1
  }

  /// Bytes of the slot array.
  @usableFromInline
  var allocatedBytes: Int { slots.count * MemoryLayout<UInt64>.stride }

  /// Finds the key of `fingerprint`, or stores it when fewer than `limit` keys are stored.
  @usableFromInline
  mutating func insert(
    _ fingerprint: Fingerprint, limit: Int
  ) -> FingerprintTable.Insertion {
    let key = fingerprint.high == 0 ? 1 : fingerprint.high
    var slot = probe(key)
    if slots[slot] == key { return .found(-1) }
    guard count < limit else { return .full }
    if (count + 1) * 8 > slots.count * 5 {
      grow()
      slot = probe(key)
    }
    count += 1
    slots[slot] = key
    return .inserted(-1)
  }

  private func probe(_ key: UInt64) -> Int {
    slots.withUnsafeBufferPointer { buffer in
      var i = Int(truncatingIfNeeded: key) & mask
      while buffer[i] != key && buffer[i] != 0 { i = (i + 1) & mask }
      return i
    }
  }

  private mutating func grow() {
    let old = slots
    let capacity = old.count * 2
    slots = Array(repeating: 0, count: capacity)
    mask = capacity - 1
    let m = mask
    slots.withUnsafeMutableBufferPointer { buffer in
      for key in old where key != 0 {
        var i = Int(truncatingIfNeeded: key) & m
        while buffer[i] != 0 { i = (i + 1) & m }
        buffer[i] = key
      }
    }
  }
}

/// Bitstate hashing (Holzmann's supertrace, SPIN's `-DBITSTATE`): 2^k bits and two hash
/// functions, the fingerprint's low and high words reduced modulo 2^k.
///
/// A state counts as visited when both its bits are set, so a new state whose bits were set by
/// others is wrongly skipped (see `VisitedSet.omissionProbability`); nothing per state is kept.
@usableFromInline
struct BitstateArray {
  /// The number of hash functions (bits set per state).
  @usableFromInline
  static var hashCount: Int { 2 }

  private var words: [UInt64]
  private let mask: UInt64
  /// Insertions that set at least one new bit.
  @usableFromInline
  private(set) var count = 0
  /// Bits set so far.
  @usableFromInline
  private(set) var setBits = 0

  /// An array of 2^`log2Bits` bits (at least 64).
  @usableFromInline
  init(log2Bits: Int) {
    let log2 = max(6, log2Bits)
    words = Array(repeating: 0, count: 1 << (log2 - 6))
    mask = UInt64(1) << UInt64(log2) &- 1
  }

  @usableFromInline
  var bitCount: Int { words.count * 64 }

  @usableFromInline
  var allocatedBytes: Int { words.count * MemoryLayout<UInt64>.stride }

  /// Sets both bits of `fingerprint`; it was new when one of them was clear. When `limit`
  /// states are stored, a new state is refused and nothing is set.
  @usableFromInline
  mutating func insert(
    _ fingerprint: Fingerprint, limit: Int
  ) -> FingerprintTable.Insertion {
    let first = fingerprint.low & mask
    let second = fingerprint.high & mask
    let isNew = !isSet(first) || !isSet(second)
    guard isNew else { return .found(-1) }
    guard count < limit else { return .full }
    set(first)
    set(second)
    count += 1
    return .inserted(-1)
  }

  private func isSet(_ bit: UInt64) -> Bool {
    words[Int(bit >> 6)] & (1 << (bit & 63)) != 0
  }

  private mutating func set(_ bit: UInt64) {
    let word = Int(bit >> 6)
    let one = UInt64(1) << (bit & 63)
    if words[word] & one == 0 {
      words[word] |= one
      setBits += 1
    }
  }
}
