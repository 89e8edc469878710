/// Accumulates a state's canonical encoding into a 128-bit fingerprint.
///
/// Systems append small integers in a canonical order; the encoder folds each into two
/// independent 64-bit lanes with one multiply each (an invertible step, so sequences that differ
/// in one word always differ) and mixes both lanes fully only when the fingerprint is taken. The
/// mix is fixed (not seeded per process), so fingerprints are identical across runs. `append` is
/// inlinable: it runs for every word of every state, so a call per word would cost a third of a
/// search.
@frozen
public struct StateEncoder: Sendable {
  @usableFromInline var a: UInt64 = 0x243F_6A88_85A3_08D3
  @usableFromInline var b: UInt64 = 0x1319_8A2E_0370_7344
  @usableFromInline var count: UInt64 = 0

  @inlinable
  public init() {}

  @inlinable
  public mutating func append(_ value: UInt64) {
    count &+= 1
    a = (a ^ value) &* 0x9E37_79B9_7F4A_7C15
    a ^= a >> 29
    b = (b &+ (value ^ 0xC2B2_AE3D_27D4_EB4F)) &* 0xFF51_AFD7_ED55_8CCD
    b ^= b >> 31
  }

  @inlinable
  public mutating func append(_ value: Int) { append(UInt64(bitPattern: Int64(value))) }
  @inlinable
  public mutating func append(_ value: Bool) { append(value ? UInt64(1) : 0) }
  @inlinable
  public mutating func append(_ value: UInt8) { append(UInt64(value)) }

  /// The fingerprint of everything appended so far.
  @inlinable
  public var fingerprint: Fingerprint {
    Fingerprint(high: Self.mix(a ^ count), low: Self.mix(b &+ count &* 0x9E37_79B9_7F4A_7C15))
  }

  @inlinable @inline(__always)
  static func mix(_ x0: UInt64) -> UInt64 {
    var x = x0
    x ^= x >> 33
    x &*= 0xFF51_AFD7_ED55_8CCD
    x ^= x >> 33
    x &*= 0xC4CE_B9FE_1A85_EC53
    x ^= x >> 33
    return x
  }
}

/// A 128-bit state fingerprint.
@frozen
public struct Fingerprint: Hashable, Sendable, Comparable {
  public var high: UInt64
  public var low: UInt64

  @inlinable
  public init(high: UInt64, low: UInt64) {
    self.high = high
    self.low = low
  }

  @inlinable
  public static func < (x: Fingerprint, y: Fingerprint) -> Bool {
    (x.high, x.low) < (y.high, y.low)
  }

  @inlinable
  public func hash(into hasher: inout Hasher) {
    hasher.combine(high)
    hasher.combine(low)
  }

  /// A fingerprint is already a uniform hash: sets and dictionaries of fingerprints (the search
  /// stack's, the parallel search's open states) use its low word, mixed with their seed,
  /// instead of running SipHash over it.
  @inlinable
  public func _rawHashValue(seed: Int) -> Int {
    Int(truncatingIfNeeded: low ^ UInt64(truncatingIfNeeded: seed))
  }
}

extension TransitionSystem {
  /// The fingerprint of `state`'s canonical encoding.
  public func fingerprint(of state: State) -> Fingerprint {
    var encoder = StateEncoder()
    encode(state, into: &encoder)
    return encoder.fingerprint
  }

  /// The fingerprint of `state`, or with `symmetry` of its representative, and the permutation
  /// that maps `state` to the representative (nil for none).
  @inlinable
  public func fingerprint(of state: State, symmetry: Bool) -> (Fingerprint, [Int]?) {
    guard symmetry else { return (fingerprint(of: state), nil) }
    var encoder = StateEncoder()
    let permutation = encodeRepresentative(state, into: &encoder)
    return (encoder.fingerprint, permutation)
  }
}
