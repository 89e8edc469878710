/// A list of at most `capacity` elements kept inside the value itself: copying it copies its
/// bytes, with no allocation and, for plain elements, no reference counting (a flat,
/// fixed-layout state). It behaves as an array that traps past its capacity, so a user gives
/// every list a capacity its inputs are checked against (the kernel model's `FdSlots`,
/// `MapSlots`, `EventFds` and `HeldLocks`).
///
/// Equality, hashing and coding are an array's: by the elements, in order.
@frozen
public struct InlineList<let capacity: Int, Element>: RandomAccessCollection, MutableCollection,
  RangeReplaceableCollection, ExpressibleByArrayLiteral
{
  @usableFromInline internal var storage: InlineArray<capacity, Element?>
  @usableFromInline internal var length: UInt8

  @inlinable public init() {
    storage = InlineArray(repeating: nil)
    length = 0
  }

  @inlinable public init(arrayLiteral elements: Element...) {
    self.init()
    append(contentsOf: elements)
  }

  /// The most elements it holds.
  @inlinable public static var limit: Int { capacity }

  @inlinable public var startIndex: Int { 0 }
  @inlinable public var endIndex: Int { Int(length) }
  @inlinable public var count: Int { Int(length) }
  @inlinable public var isEmpty: Bool { length == 0 }

  @inlinable public subscript(i: Int) -> Element {
    get {
      precondition(i >= 0 && i < Int(length), "InlineList index out of range")
      return storage[i].unsafelyUnwrapped
    }
    set {
      precondition(i >= 0 && i < Int(length), "InlineList index out of range")
      storage[i] = newValue
    }
  }

  @inlinable public mutating func append(_ element: Element) {
    precondition(Int(length) < capacity, "InlineList is full (capacity \(capacity))")
    storage[Int(length)] = element
    length += 1
  }

  @inlinable @discardableResult
  public mutating func remove(at i: Int) -> Element {
    let element = self[i]
    for j in i..<(Int(length) - 1) { storage[j] = storage[j + 1] }
    length -= 1
    storage[Int(length)] = nil
    return element
  }

  @inlinable @discardableResult
  public mutating func removeLast() -> Element { remove(at: Int(length) - 1) }

  @inlinable public mutating func removeAll(where drop: (Element) throws -> Bool) rethrows {
    var kept = 0
    for i in 0..<Int(length) where !(try drop(storage[i].unsafelyUnwrapped)) {
      storage[kept] = storage[i]
      kept += 1
    }
    for i in kept..<Int(length) { storage[i] = nil }
    length = UInt8(kept)
  }

  @inlinable public mutating func replaceSubrange<C: Collection>(_ range: Range<Int>, with new: C)
  where C.Element == Element {
    var elements = Array(self)
    elements.replaceSubrange(range, with: new)
    precondition(elements.count <= capacity, "InlineList is full (capacity \(capacity))")
    self = InlineList()
    for element in elements {
      storage[Int(length)] = element
      length += 1
    }
  }
}

extension InlineList: Equatable where Element: Equatable {
  @inlinable public static func == (a: Self, b: Self) -> Bool { a.elementsEqual(b) }
}

extension InlineList: Hashable where Element: Hashable {
  @inlinable public func hash(into hasher: inout Hasher) {
    hasher.combine(count)
    for element in self { hasher.combine(element) }
  }
}

extension InlineList: Sendable where Element: Sendable {}
extension InlineList: BitwiseCopyable where Element: BitwiseCopyable {}

extension InlineList: Codable where Element: Codable {
  @inlinable public init(from decoder: any Decoder) throws {
    let elements = try [Element](from: decoder)
    guard elements.count <= capacity else {
      throw DecodingError.dataCorrupted(
        .init(codingPath: decoder.codingPath, debugDescription: "more than \(capacity) elements"))
    }
    self.init()
    append(contentsOf: elements)
  }

  @inlinable public func encode(to encoder: any Encoder) throws {
    try Array(self).encode(to: encoder)
  }
}
