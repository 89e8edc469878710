import Exploration
import KernelModel
import ListenerModels
import ScenarioRunner
import Testing

/// One 4-page stub file watched by a filling HSM, one task running `program` on 6.18.
private func mapper(dax: Bool, program: [Instruction]) throws -> KernelSystem {
  var file = FileSpec(name: "data", content: Array(repeating: .remote, count: 4))
  file.dax = dax
  return try KernelSystem(
    config: KernelConfig(
      profile: .v6_18, filesystem: Filesystem.named("ext4")!, files: [file],
      groups: [
        GroupSpec(name: "hsm", groupClass: .preContent, listener: ListenerLibrary.builtin("fill"))
      ],
      marks: [Mark(group: 0, object: .inode(file: 0), mask: .FAN_PRE_ACCESS)],
      tasks: [TaskSpec(name: "mapper", program: program, fdNames: ["fd"], mapNames: ["m"])]))
}

private let page = Fanotify.pageSize

@Suite("Huge faults: DAX ->huge_fault and wp_huge_pmd")
struct HugeFaultTests {
  @Test("a DAX load falls back from PUD order and maps the whole PMD in one step")
  func daxPMD() throws {
    let system = try mapper(
      dax: true,
      program: [
        Instruction(.open(file: 0, flags: [], slot: 0)),
        Instruction(.mmap(slot: 0, offset: 0, length: 4 * page, map: 0)),
        Instruction(.load(map: 0, offset: 0)),
      ])
    let (s, steps) = runDeterministically(system)
    let effects = steps.map(\.effect)
    let pud = effects.firstIndex(of: .hugeFallback(file: 0, page: 0, order: .pud, hsm: false))
    let pmd = effects.firstIndex(of: .pmdMapped(file: 0, first: 0, pages: 4))
    #expect(pud != nil && pmd != nil && pud! < pmd!)
    #expect(s.tasks[0].maps[0]!.pmds == 1)
    #expect(s.tasks[0].maps[0]!.ptes == 0b1111)
    #expect(returns(steps).allSatisfy { if case .value = $0 { true } else { false } })
  }

  @Test("a store to a read-only PMD splits it, keeps its PTEs and dirties one page")
  func storeSplits() throws {
    let system = try mapper(
      dax: false,
      program: [
        Instruction(.open(file: 0, flags: .O_RDWR, slot: 0)),
        Instruction(.mmap(slot: 0, offset: 0, length: 4 * page, map: 0)),
        Instruction(.madviseHugepage(map: 0)), Instruction(.load(map: 0, offset: 0)),
        Instruction(.store(map: 0, offset: page)),
      ])
    let (s, steps) = runDeterministically(system)
    #expect(
      steps.map(\.effect).contains(.hugePmdWriteFault(file: 0, first: 0, pages: 4, split: true)))
    #expect(
      steps.contains {
        $0.kernelFunction.contains("wp_huge_pmd → __split_huge_pmd")
      })
    #expect(s.tasks[0].maps[0]!.pmds == 0)
    #expect(s.tasks[0].maps[0]!.ptes == 0b1111)
    #expect(s.inodes[0].content.pageContents == [.filled, nil, .filled, .filled])
    #expect(s.inodes[0].content.byte(page) == .written)
  }
}
