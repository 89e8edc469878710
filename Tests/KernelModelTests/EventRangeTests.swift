import KernelModel
import Testing

@Suite("Range records (kernel-semantics §1.2)")
struct EventRangeTests {
  @Test(
    "page-aligned arithmetic rounds pos down and pos+len up, before clamping to EOF",
    arguments: [
      (0, 4096, 0, 4096),
      (4000, 200, 0, 8192),
      (4096, 0, 4096, 0),  // len 0 at an aligned pos: count 0
      (100, 0, 0, 4096),  // len 0 at an unaligned pos: one page
      (8192, 1, 8192, 4096),
      (409_600, 8192, 409_600, 8192),  // LTP fanotify24's mmap of 2 pages at page 100
    ])
  func pageAligned(pos: Int, len: Int, offset: Int, count: Int) {
    #expect(EventRange.pageAligned(pos: pos, len: len) == EventRange(offset: offset, count: count))
  }

  @Test("a range covers the pages it overlaps")
  func pages() {
    #expect(EventRange(offset: 0, count: 8192).pages == 0..<2)
    #expect(EventRange(offset: 4096, count: 0).pages == 1..<1)
  }
}
