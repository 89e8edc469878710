import Exploration
import KernelModel
import ListenerModels
import ScenarioRunner
import Testing

/// The representative that symmetry reduction stores must not depend on which of two identical
/// tasks is which, and must tell apart states that are not renamings of each other.
@Suite("Symmetry between identical tasks")
struct SymmetryTests {
  /// Two identical readers-or-writers of a stub file, a filling HSM and a freezer.
  static func system() throws -> KernelSystem {
    let page = Fanotify.pageSize
    let choice = Instruction(
      .pread(slot: 0, offset: 0, count: 100), or: [.pwrite(slot: 0, offset: page, count: 10)])
    let app = TaskSpec(
      name: "app", program: [Instruction(.open(file: 0, flags: .O_RDWR, slot: 0)), choice],
      fdNames: ["fd"])
    var second = app
    second.name = "app2"
    let freezer = TaskSpec(
      name: "freezer", program: [Instruction(.freeze), Instruction(.thaw)], fdNames: [])
    return try KernelSystem(
      config: KernelConfig(
        profile: .v6_18, filesystem: Filesystem.named("ext4")!,
        files: [FileSpec(name: "data", content: [.remote, .remote])],
        groups: [
          GroupSpec(name: "hsm", groupClass: .preContent, listener: ListenerLibrary.builtin("fill"))
        ],
        marks: [Mark(group: 0, object: .inode(file: 0), mask: .FAN_PRE_ACCESS)],
        tasks: [app, second, freezer]))
  }

  @Test("identical applications form one class; the freezer is alone")
  func classes() throws {
    #expect(try Self.system().symmetryClasses == [[0, 1]])
  }

  @Test("swapping the two applications keeps the representative, in every reachable state")
  func swapInvariant() throws {
    let system = try Self.system()
    var seen = Set<Fingerprint>()
    var frontier = system.initialStates()
    var checked = 0
    var distinctKeys = 0
    var renamed = 0
    while let state = frontier.popLast() {
      guard seen.insert(system.fingerprint(of: state)).inserted else { continue }
      let swapped = state.renamingTasks(by: [1, 0, 2, 3])
      let (a, p) = system.fingerprint(of: state, symmetry: true)
      let (b, _) = system.fingerprint(of: swapped, symmetry: true)
      if state.tasks[0] != state.tasks[1] {
        distinctKeys += 1
        #expect(a == b)
      }
      // A renaming by the representative's own permutation (nil: the identity) is the
      // representative itself, already in order.
      let (c, q) = system.fingerprint(
        of: state.renamingTasks(by: p ?? [0, 1, 2, 3]), symmetry: true)
      #expect(c == a)
      #expect(q == nil)
      if p != nil { renamed += 1 }
      checked += 1
      frontier += system.transitions(from: state).map { system.apply($0, to: state) }
    }
    #expect(checked > 1000)
    #expect(distinctKeys > 500)
    #expect(renamed > 500)
  }

  @Test("states that are no renaming of each other keep distinct representatives")
  func distinct() throws {
    let system = try Self.system()
    var byRepresentative: [Fingerprint: KernelState] = [:]
    var seen = Set<Fingerprint>()
    var frontier = system.initialStates()
    while let state = frontier.popLast() {
      guard seen.insert(system.fingerprint(of: state)).inserted else { continue }
      let (key, p) = system.fingerprint(of: state, symmetry: true)
      let canonical = p.map { state.renamingTasks(by: $0) } ?? state
      if let earlier = byRepresentative[key] {
        #expect(earlier == canonical || earlier.renamingTasks(by: [1, 0, 2, 3]) == canonical)
      } else {
        byRepresentative[key] = canonical
      }
      frontier += system.transitions(from: state).map { system.apply($0, to: state) }
    }
    #expect(byRepresentative.count < seen.count)
  }
}
