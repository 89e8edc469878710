import ScenarioFormat
import TestSupport
import Testing

@Suite("The parser never crashes")
struct ParserRobustnessTests {
  enum Outcome: Equatable {
    case parsed
    case failed
  }

  /// Parses `text`; on failure, checks that the diagnostic points into the text.
  @discardableResult
  private static func check(_ text: String) -> Outcome {
    let source = SourceFile(path: "fuzz.scenario", text: text)
    do {
      let first = try ScenarioParser.parse(source)
      #expect(
        try ScenarioParser.parse(source) == first, "not deterministic: \(text.debugDescription)")
      return .parsed
    } catch {
      let lineCount = source.lines.count
      #expect((1...lineCount).contains(error.location.line), "\(error) in \(text.debugDescription)")
      let length = source.line(error.location.line).count
      #expect(
        (1...length + 1).contains(error.location.column), "\(error) in \(text.debugDescription)")
      #expect(error.path == "fuzz.scenario")
      let rendered = error.rendered(source: source)
      #expect(rendered.hasPrefix(error.description) && rendered.hasSuffix("^"))
      return .failed
    }
  }

  @Test("every prefix of the example, cut at any scalar, parses or fails inside the text")
  func prefixes() {
    for text in [Examples.readFilled, Examples.readFilled.replacing("\n", with: "\r\n")] {
      let scalars = Array(text.unicodeScalars)
      var outcomes: [Outcome] = []
      for end in 0...scalars.count {
        var prefix = String.UnicodeScalarView()
        prefix.append(contentsOf: scalars[..<end])
        outcomes.append(Self.check(String(prefix)))
      }
      #expect(outcomes.contains(.parsed))
      #expect(outcomes.contains(.failed))
      #expect(outcomes.last == .parsed)
    }
  }

  @Test("random byte mutations of the example parse or fail inside the text")
  func mutations() {
    let alphabet = Array("\"\\|=->#$ \t\n\r\u{0}aZ09p.x".utf8) + [0xC3, 0xA9, 0xFF, 0x80]
    var generator = SplitMix64(state: 0xFA40_7F1F)
    let original = Array(Examples.readFilled.utf8)
    var outcomes: [Outcome] = []
    for _ in 0..<400 {
      var bytes = original
      for _ in 0..<Int.random(in: 1...4, using: &generator) {
        let index = Int.random(in: 0..<bytes.count, using: &generator)
        let byte = alphabet.randomElement(using: &generator)!
        switch Int.random(in: 0..<3, using: &generator) {
        case 0: bytes[index] = byte
        case 1: bytes.insert(byte, at: index)
        default: bytes.remove(at: index)
        }
      }
      outcomes.append(Self.check(String(decoding: bytes, as: UTF8.self)))
    }
    // Both outcomes occur, so the test exercises both paths.
    #expect(outcomes.contains(.parsed))
    #expect(outcomes.contains(.failed))
  }
}
