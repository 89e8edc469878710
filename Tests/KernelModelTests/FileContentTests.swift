import KernelModel
import Testing

extension FileContent {
  /// Per page below EOF, its one content, or nil when the page's bytes differ.
  var pageContents: [PageContent?] {
    (0..<((size + Fanotify.pageSize - 1) / Fanotify.pageSize)).map { uniformContent(ofPage: $0) }
  }

  /// What byte `b` holds (nil past EOF).
  func byte(_ b: Int) -> PageContent? { runs(in: b..<(b + 1)).first?.content }
}

@Suite("FileContent: byte-exact runs")
struct FileContentTests {
  let page = Fanotify.pageSize

  @Test("a whole-page file is one run per change of content, and a partial last page is cut at EOF")
  func wholePages() {
    let c = FileContent(size: 3 * page - 100, pages: [.remote, .remote, .filled])
    #expect(
      c.runs == [.init(start: 0, content: .remote), .init(start: 2 * page, content: .filled)])
    #expect(c.page(2) == (2 * page)..<(3 * page - 100))
    #expect(c.pageContents == [.remote, .remote, .filled])
  }

  @Test("set splits runs at exact bytes and merges neighbours that agree again")
  func setSplitsAndMerges() {
    var c = FileContent(pages: [.remote])
    c.set(100..<200, to: .written)
    #expect(c.runs.map(\.start) == [0, 100, 200])
    #expect(c.byte(99) == .remote && c.byte(100) == .written && c.byte(200) == .remote)
    #expect(c.pageContents == [nil])
    c.set(0..<100, to: .written)
    c.set(200..<page, to: .written)
    #expect(c == FileContent(pages: [.written]))
  }

  @Test("replace changes only the bytes holding the old content")
  func replaceOnlyStubs() {
    var c = FileContent(pages: [.remote])
    c.set(10..<20, to: .written)
    c.replace(.remote, with: .filled, in: 0..<page)
    #expect(c.runs(in: 0..<page).map(\.content) == [.filled, .written, .filled])
    #expect(!c.contains(.remote, in: 0..<page))
  }

  @Test("resize drops bytes past EOF and grows with a hole; the dropped bytes do not come back")
  func resize() {
    var c = FileContent(pages: [.remote, .remote])
    c.resize(to: 5000)
    #expect(c.size == 5000 && c.runs.count == 1)
    c.resize(to: 2 * page)
    #expect(c.byte(4999) == .remote && c.byte(5000) == .hole)
    c.resize(to: 0)
    #expect(c.runs.isEmpty && c.byte(0) == nil)
  }

  @Test("collapse removes bytes and moves the tail down; insert opens a hole and moves it up")
  func collapseAndInsert() {
    var c = FileContent(pages: [.filled, .remote, .written])
    c.collapse(page..<(2 * page))
    #expect(c == FileContent(pages: [.filled, .written]))
    c.insertHole(at: page, length: page)
    #expect(c == FileContent(pages: [.filled, .hole, .written]))
  }

  @Test("runs(in:) clips to the range and to EOF")
  func clipping() {
    let c = FileContent(size: 100, pages: [.remote])
    #expect(c.runs(in: 50..<5000).map(\.range) == [50..<100])
    #expect(c.runs(in: 100..<200).isEmpty)
    #expect(!c.contains(.remote, in: 100..<4096))
  }
}
