import Exploration

/// A task's remaining kernel path: an immutable linked list of steps that states share.
///
/// Taking a step (`removeFirst`) moves to the next node and copies nothing; a path spliced in
/// front (`prepend`, `+`) adds nodes before the shared rest. Each node keeps the fingerprint of
/// its step and every step after it, computed once when the node is made, so a task's path
/// enters the state's fingerprint as two words, however long it is (incremental fingerprints).
/// The value semantics are an array's: equality and hashing are by the steps.
public struct StepList: Sequence, Hashable, Sendable, Codable, ExpressibleByArrayLiteral {
  final class Node: Sendable {
    let step: PathStep
    let next: Node?
    let count: Int
    /// The fingerprint of `step` followed by `next`'s.
    let fingerprint: Fingerprint

    init(_ step: PathStep, next: Node?) {
      self.step = step
      self.next = next
      count = (next?.count ?? 0) + 1
      var e = StateEncoder()
      e.append(next?.fingerprint ?? StepList.emptyFingerprint)
      step.encode(into: &e)
      fingerprint = e.fingerprint
    }
  }

  static let emptyFingerprint = Fingerprint(high: 0x5354_4550_4C49_5354, low: 0)

  private var head: Node?

  public init() {}

  public init<S: Sequence>(_ steps: S) where S.Element == PathStep {
    for step in Array(steps).reversed() { head = Node(step, next: head) }
  }

  public init(arrayLiteral steps: PathStep...) { self.init(steps) }

  /// The next step.
  public var first: PathStep? { head?.step }
  public var isEmpty: Bool { head == nil }
  public var count: Int { head?.count ?? 0 }
  /// The fingerprint of the steps, in order.
  public var fingerprint: Fingerprint { head?.fingerprint ?? Self.emptyFingerprint }

  @discardableResult
  public mutating func removeFirst() -> PathStep {
    let node = head!
    head = node.next
    return node.step
  }

  /// Puts `step` in front.
  public mutating func prepend(_ step: PathStep) { head = Node(step, next: head) }

  /// `steps` in front of `rest`.
  public static func + (steps: [PathStep], rest: StepList) -> StepList {
    var list = rest
    for step in steps.reversed() { list.prepend(step) }
    return list
  }

  public mutating func removeAll(where drop: (PathStep) -> Bool) {
    if contains(where: drop) { self = StepList(filter { !drop($0) }) }
  }

  public struct Iterator: IteratorProtocol {
    var node: Node?
    public mutating func next() -> PathStep? {
      defer { node = node?.next }
      return node?.step
    }
  }

  public func makeIterator() -> Iterator { Iterator(node: head) }
  public var underestimatedCount: Int { count }

  public static func == (a: StepList, b: StepList) -> Bool {
    a.head === b.head
      || (a.count == b.count && a.fingerprint == b.fingerprint && a.elementsEqual(b))
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(count)
    hasher.combine(fingerprint.high)
    hasher.combine(fingerprint.low)
  }

  public init(from decoder: any Decoder) throws {
    self.init(try [PathStep](from: decoder))
  }

  public func encode(to encoder: any Encoder) throws {
    try Array(self).encode(to: encoder)
  }
}
