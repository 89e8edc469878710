#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The visited set of a search, in the representation `ExplorationConfig.storage` chose.
///
/// Exact storage keeps a payload per state only when the search needs one (sleep sets):
/// otherwise the fingerprints go to a dense table of keys alone (`DenseKeyTable`, at most
/// 23.7 bytes per state). All the tables are fields (the unused ones stay tiny) rather than
/// payloads of an enum, so that inserting mutates a table in place instead of copying it out of
/// the enum.
@usableFromInline
struct VisitedSet {
  @usableFromInline
  let storage: ExplorationConfig.Storage
  /// Exact storage with a payload per state (`subscript(payload:)`).
  @usableFromInline
  let payloads: Bool
  @usableFromInline
  var exact: FingerprintTable
  @usableFromInline
  var dense: DenseKeyTable<ExactKey>
  @usableFromInline
  var compact: DenseKeyTable<UInt64>
  @usableFromInline
  var bits: BitstateArray

  @usableFromInline
  init(storage: ExplorationConfig.Storage, payloads: Bool = true) {
    self.storage = storage
    self.payloads = payloads
    let exactTable = storage == .exact && payloads
    exact = FingerprintTable(minimumCapacity: exactTable ? 1 << 12 : 16)
    dense = DenseKeyTable(minimumCapacity: storage == .exact && !payloads ? 1 << 12 : 16)
    compact = DenseKeyTable(minimumCapacity: storage == .hashCompact ? 1 << 12 : 16)
    if case .bitstate(let log2Bits) = storage {
      bits = BitstateArray(log2Bits: log2Bits)
    } else {
      bits = BitstateArray(log2Bits: 6)
    }
  }

  /// Finds `fingerprint`, or stores it when fewer than `limit` states are stored. Only the exact
  /// table has slots with payloads; the other modes report slot -1.
  @inlinable
  mutating func insert(_ fingerprint: Fingerprint, limit: Int) -> FingerprintTable.Insertion {
    switch storage {
    case .exact:
      return payloads
        ? exact.insert(fingerprint, limit: limit)
        : dense.insert(ExactKey(fingerprint), limit: limit)
    case .hashCompact: return compact.insert(fingerprint.high, limit: limit)
    case .bitstate: return bits.insert(fingerprint, limit: limit)
    }
  }

  /// The number of states stored (for bitstate: insertions that set at least one new bit).
  @usableFromInline
  var count: Int {
    switch storage {
    case .exact: payloads ? exact.count : dense.count
    case .hashCompact: compact.count
    case .bitstate: bits.count
    }
  }

  /// Bytes allocated by the structure in use: slots × slot size (empty slots included), or the
  /// bit array's bytes. The exact table's stored sleep sets are not counted.
  @usableFromInline
  var allocatedBytes: Int {
    switch storage {
    case .exact: payloads ? exact.allocatedBytes : dense.allocatedBytes
    case .hashCompact: compact.allocatedBytes
    case .bitstate: bits.allocatedBytes
    }
  }

  /// Bytes one stored state occupies in its slot (24 exact with a payload, 16 without, 8
  /// hash-compact), or for bitstate the k = 2 bits it sets (0.25 bytes).
  @usableFromInline
  var bytesPerEntry: Double {
    switch storage {
    case .exact:
      payloads
        ? Double(FingerprintTable.slotBytes) : Double(MemoryLayout<ExactKey>.stride)
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
