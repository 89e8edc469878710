import KernelModel
import Testing

@Suite("ElfLayout: what load_elf_binary reads and maps")
struct ElfLayoutTests {
  @Test("/bin/true: three header reads in page 0, then the whole PIE image and three segments")
  func binTrue() {
    let l = ElfLayout.binTrue
    #expect(
      l.headerReads.map { EventRange.pageAligned(pos: $0.pos, len: $0.len) }
        == Array(repeating: EventRange(offset: 0, count: 4096), count: 3))
    // Measured on 6.18: (0,40960), (8192,16384), (24576,8192), (28672,8192).
    #expect(
      l.mappings.map { EventRange.pageAligned(pos: $0.pos, len: $0.len) } == [
        EventRange(offset: 0, count: 40960), EventRange(offset: 8192, count: 16384),
        EventRange(offset: 24576, count: 8192), EventRange(offset: 28672, count: 8192),
      ])
  }

  @Test("ET_EXEC maps each segment with its own size; a segment without file bytes maps nothing")
  func staticBinary() {
    let l = ElfLayout(
      kind: .exec, programHeaders: ByteSpan(pos: 64, len: 168), interpreter: nil,
      loads: [
        .init(offset: 0, filesz: 0x1800, vaddr: 0x400000, memsz: 0x1800),
        .init(offset: 0x1f10, filesz: 0x80, vaddr: 0x402f10, memsz: 0x3000),
        .init(offset: 0, filesz: 0, vaddr: 0x500000, memsz: 0x1000),
      ])
    #expect(l.headerReads.count == 2)
    #expect(l.mappings == [ByteSpan(pos: 0, len: 0x1800), ByteSpan(pos: 0x1000, len: 0xf90)])
  }
}
