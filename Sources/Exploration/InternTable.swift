import Synchronization

/// Values numbered once for the life of the process, by key: equal keys get the same number, and
/// a number reads its value back without taking a lock. The value is made from the key once,
/// when the key is first numbered (it may carry what is costly to derive from the key).
///
/// A state that holds numbers instead of references is plain bits: copying it is a memcpy, with
/// no reference counting (a flat, fixed-layout state). Nothing is ever removed, so a table holds
/// the distinct values searches made (kernel paths: a few thousand), never one per state.
///
/// Threads may read any number they were handed: a number reaches another thread only through
/// a lock (a work queue, or this table's own lock when that thread interns the same value),
/// which orders the value's write before the read.
public final class InternTable<Key: Hashable & Sendable, Value: Sendable>: @unchecked Sendable {
  @inlinable internal static var chunkShift: Int { 12 }
  @inlinable internal static var chunkSize: Int { 1 << chunkShift }
  @inlinable internal static var chunkLimit: Int { 1 << 16 }
  /// Chunks of `chunkSize` values, allocated as the table grows and never moved.
  @usableFromInline internal let chunks: UnsafeMutablePointer<UnsafeMutablePointer<Value>?>
  @usableFromInline internal let numbers = Mutex<[Key: UInt32]>([:])

  @inlinable public init() {
    chunks = .allocate(capacity: Self.chunkLimit)
    chunks.initialize(repeating: nil, count: Self.chunkLimit)
  }

  deinit {
    let count = numbers.withLock { $0.count }
    for c in 0..<Self.chunkLimit {
      guard let chunk = chunks[c] else { break }
      chunk.deinitialize(count: min(Self.chunkSize, count - c * Self.chunkSize))
      chunk.deallocate()
    }
    chunks.deallocate()
  }

  /// The number of `key`, numbering it (with the value `make` makes of it) if it is new.
  @inlinable public func number(of key: Key, make: (Key) -> Value) -> UInt32 {
    numbers.withLock { table in
      if let n = table[key] { return n }
      let n = table.count
      let c = n >> Self.chunkShift
      precondition(c < Self.chunkLimit, "InternTable: more than 2^28 distinct values")
      if chunks[c] == nil { chunks[c] = .allocate(capacity: Self.chunkSize) }
      (chunks[c].unsafelyUnwrapped + (n & (Self.chunkSize - 1))).initialize(to: make(key))
      table[key] = UInt32(n)
      return UInt32(n)
    }
  }

  /// The value numbered `n`.
  @inlinable public subscript(n: UInt32) -> Value {
    _read {
      let i = Int(n)
      yield chunks[i >> Self.chunkShift].unsafelyUnwrapped[i & (Self.chunkSize - 1)]
    }
  }

  /// How many values are numbered.
  @inlinable public var count: Int { numbers.withLock { $0.count } }
}
