import Exploration

/// A task's remaining kernel path: a list of steps, held as the number of its first node in a
/// process-wide table of path nodes (`nodes`).
///
/// Equal lists have equal numbers (every node is interned), so a path is four bytes of plain
/// state: copying a task copies no reference, and comparing two paths compares two numbers.
/// Taking a step (`removeFirst`) moves to the next node; a path spliced in front (`prepend`,
/// `+`) interns nodes before the shared rest. Each node keeps the fingerprint of its step and
/// every step after it, computed once when it is first interned, so a task's path enters the
/// state's fingerprint as two words, however long it is (incremental fingerprints).
public struct StepList: Sequence, Hashable, Sendable, Codable, ExpressibleByArrayLiteral {
  /// A node is its step and the node after it (`StepList.head`, 0 at the end)…
  struct Link: Hashable, Sendable {
    let step: PathStep
    let next: UInt32
  }

  /// … and what is derived from them once, when the node is first interned.
  struct Node: Sendable {
    let step: PathStep
    let next: StepList
    let count: Int
    /// The fingerprint of `step` followed by `next`'s.
    let fingerprint: Fingerprint

    init(_ link: Link) {
      step = link.step
      next = StepList(head: link.next)
      count = next.count + 1
      fingerprint = Self.fingerprint(of: step, before: next.fingerprint)
    }

    static func fingerprint(of step: PathStep, before rest: Fingerprint) -> Fingerprint {
      var e = StateEncoder()
      e.append(rest)
      step.encode(into: &e)
      return e.fingerprint
    }
  }

  /// Every path node searches have made.
  static let nodes = InternTable<Link, Node>()
  static let emptyFingerprint = Fingerprint(high: 0x5354_4550_4C49_5354, low: 0)

  /// The first node's number in `nodes` plus one; 0 for the empty list.
  private var head: UInt32 = 0

  private var node: Node? { head == 0 ? nil : Self.nodes[head - 1] }

  public init() {}

  private init(head: UInt32) { self.head = head }

  public init<S: Sequence>(_ steps: S) where S.Element == PathStep {
    for step in Array(steps).reversed() { prepend(step) }
  }

  /// Every whole path a syscall's entry made (`KernelSystem.path(for:task:in:)`), by its
  /// fingerprint: one lookup instead of one per step, and no comparison of steps. It is the
  /// fingerprint the path's first node carries, which is all a task's key knows of its path, so
  /// this table trusts fingerprints no further than the visited set does.
  static let paths = InternTable<Fingerprint, StepList>()

  /// The list of `steps`, interned whole.
  public init(_ steps: [PathStep]) {
    var fingerprint = Self.emptyFingerprint
    for step in steps.reversed() { fingerprint = Node.fingerprint(of: step, before: fingerprint) }
    self = Self.paths[Self.paths.number(of: fingerprint) { _ in StepList(steps[...]) }]
    assert(elementsEqual(steps), "two paths share a fingerprint")
  }

  public init(arrayLiteral steps: PathStep...) { self.init(steps) }

  /// The next step.
  public var first: PathStep? { node?.step }
  public var isEmpty: Bool { head == 0 }
  public var count: Int { node?.count ?? 0 }
  /// The fingerprint of the steps, in order.
  public var fingerprint: Fingerprint { node?.fingerprint ?? Self.emptyFingerprint }

  @discardableResult
  public mutating func removeFirst() -> PathStep {
    let node = self.node!
    self = node.next
    return node.step
  }

  /// Puts `step` in front.
  public mutating func prepend(_ step: PathStep) {
    head = Self.nodes.number(of: Link(step: step, next: head), make: Node.init) + 1
  }

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
    var rest: StepList
    public mutating func next() -> PathStep? { rest.isEmpty ? nil : rest.removeFirst() }
  }

  public func makeIterator() -> Iterator { Iterator(rest: self) }
  public var underestimatedCount: Int { count }

  public static func == (a: StepList, b: StepList) -> Bool { a.head == b.head }

  public func hash(into hasher: inout Hasher) { hasher.combine(head) }

  public init(from decoder: any Decoder) throws {
    self.init(try [PathStep](from: decoder))
  }

  public func encode(to encoder: any Encoder) throws {
    try Array(self).encode(to: encoder)
  }
}
