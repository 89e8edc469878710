import Foundation
import Testing

@testable import Exploration

/// The building blocks of a flat state: inline lists and interned numbers.
@Suite("Flat state")
struct FlatStateTests {
  typealias List = InlineList<3, Int>

  @Test("An inline list behaves as an array within its capacity")
  func inlineListIsAnArray() throws {
    var list: List = [5, 1]
    var array = [5, 1]
    list.append(7)
    array.append(7)
    #expect(Array(list) == array && list.count == 3 && List.limit == 3)
    #expect(list.remove(at: 0) == array.remove(at: 0))
    list[1] = 9
    array[1] = 9
    #expect(Array(list) == array)
    list.insert(4, at: 1)
    array.insert(4, at: 1)
    #expect(Array(list) == array)
    list.removeAll { $0 > 3 }
    array.removeAll { $0 > 3 }
    #expect(Array(list) == array && list == [1])
    #expect(List(repeating: 2, count: 3) == [2, 2, 2])
  }

  @Test("Equality, hashing and JSON are by the elements, whatever was stored before")
  func inlineListValueSemantics() throws {
    var a: List = [1, 2, 3]
    a.removeLast()
    let b: List = [1, 2]
    #expect(a == b && a.hashValue == b.hashValue)
    let json = try JSONEncoder().encode(a)
    #expect(String(decoding: json, as: UTF8.self) == "[1,2]")
    #expect(try JSONDecoder().decode(List.self, from: json) == b)
    #expect(throws: DecodingError.self) {
      try JSONDecoder().decode(List.self, from: Data("[1,2,3,4]".utf8))
    }
  }

  @Test("A list of plain elements is plain bits: copying it counts no reference")
  func inlineListIsPlain() {
    #expect(_isPOD(InlineList<4, Int?>.self))
    #expect(!_isPOD(InlineList<4, String>.self))
  }

  @Test("Equal keys get one number, from any thread, and numbers read their values back")
  func internTable() async {
    let table = InternTable<Int, String>()
    let numbers = await withTaskGroup(of: [UInt32].self) { group in
      for _ in 0..<2 {
        group.addTask { (0..<5000).map { table.number(of: $0 % 4500) { "v\($0)" } } }
      }
      return await group.reduce(into: []) { $0.append($1) }
    }
    #expect(numbers[0] == numbers[1])
    #expect(table.count == 4500)
    #expect(Set(numbers[0]).count == 4500)
    #expect(numbers[0].enumerated().allSatisfy { i, n in table[n] == "v\(i % 4500)" })
  }
}
