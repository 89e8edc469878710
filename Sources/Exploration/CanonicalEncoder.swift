/// Appends any `Encodable` value's canonical encoding to a `StateEncoder`.
///
/// Synthesized `Codable` visits stored properties in declaration order, so a state type that is
/// `Encodable` gets a complete canonical encoding for free: no field can be forgotten. Structure
/// is made unambiguous with markers: every container and every element starts with a tag word,
/// enum cases contribute their case name, and absent optionals are encoded explicitly.
public enum CanonicalEncoding {
  public static func append<T: Encodable>(_ value: T, to encoder: inout StateEncoder) {
    let sink = Sink(encoder)
    try? value.encode(to: CanonicalEncoderImpl(sink: sink))
    encoder = sink.encoder
  }
}

extension TransitionSystem where State: Encodable {
  /// The default encoding of an `Encodable` state.
  public func encode(_ state: State, into encoder: inout StateEncoder) {
    CanonicalEncoding.append(state, to: &encoder)
  }
}

private final class Sink {
  var encoder: StateEncoder
  init(_ encoder: StateEncoder) { self.encoder = encoder }

  static let keyedTag: UInt64 = 0x4B45_5945_4400_0001
  static let unkeyedTag: UInt64 = 0x554E_4B45_5900_0002
  static let elementTag: UInt64 = 0x454C_454D_0000_0003
  static let nilTag: UInt64 = 0x4E49_4C00_0000_0004
  static let someTag: UInt64 = 0x534F_4D45_0000_0005

  func word(_ w: UInt64) { encoder.append(w) }

  func string(_ s: String) {
    var h: UInt64 = 0xCBF2_9CE4_8422_2325
    for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
    encoder.append(UInt64(s.utf8.count))
    encoder.append(h)
  }
}

private struct CanonicalEncoderImpl: Encoder {
  let sink: Sink
  var codingPath: [any CodingKey] { [] }
  var userInfo: [CodingUserInfoKey: Any] { [:] }

  func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
    sink.word(Sink.keyedTag)
    return KeyedEncodingContainer(Keyed<Key>(sink: sink))
  }

  func unkeyedContainer() -> any UnkeyedEncodingContainer {
    sink.word(Sink.unkeyedTag)
    return Unkeyed(sink: sink)
  }

  func singleValueContainer() -> any SingleValueEncodingContainer { Single(sink: sink) }
}

private struct Single: SingleValueEncodingContainer {
  let sink: Sink
  var codingPath: [any CodingKey] { [] }
  mutating func encodeNil() { sink.word(Sink.nilTag) }
  mutating func encode(_ value: Bool) { sink.word(value ? 1 : 0) }
  mutating func encode(_ value: String) { sink.string(value) }
  mutating func encode(_ value: Double) { sink.word(value.bitPattern) }
  mutating func encode(_ value: Float) { sink.word(UInt64(value.bitPattern)) }
  mutating func encode(_ value: Int) { sink.word(UInt64(bitPattern: Int64(value))) }
  mutating func encode(_ value: Int8) { sink.word(UInt64(bitPattern: Int64(value))) }
  mutating func encode(_ value: Int16) { sink.word(UInt64(bitPattern: Int64(value))) }
  mutating func encode(_ value: Int32) { sink.word(UInt64(bitPattern: Int64(value))) }
  mutating func encode(_ value: Int64) { sink.word(UInt64(bitPattern: value)) }
  mutating func encode(_ value: UInt) { sink.word(UInt64(value)) }
  mutating func encode(_ value: UInt8) { sink.word(UInt64(value)) }
  mutating func encode(_ value: UInt16) { sink.word(UInt64(value)) }
  mutating func encode(_ value: UInt32) { sink.word(UInt64(value)) }
  mutating func encode(_ value: UInt64) { sink.word(value) }
  mutating func encode<T: Encodable>(_ value: T) throws {
    try value.encode(to: CanonicalEncoderImpl(sink: sink))
  }
}

private struct Unkeyed: UnkeyedEncodingContainer {
  let sink: Sink
  var codingPath: [any CodingKey] { [] }
  var count = 0

  private mutating func element() -> Single {
    count += 1
    sink.word(Sink.elementTag)
    return Single(sink: sink)
  }

  mutating func encodeNil() {
    var s = element()
    s.encodeNil()
  }
  mutating func encode<T: Encodable>(_ value: T) throws {
    var s = element()
    try s.encode(value)
  }
  mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
    -> KeyedEncodingContainer<NestedKey>
  {
    _ = element()
    return CanonicalEncoderImpl(sink: sink).container(keyedBy: keyType)
  }
  mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
    _ = element()
    return CanonicalEncoderImpl(sink: sink).unkeyedContainer()
  }
  mutating func superEncoder() -> any Encoder {
    _ = element()
    return CanonicalEncoderImpl(sink: sink)
  }
}

private struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
  let sink: Sink
  var codingPath: [any CodingKey] { [] }

  /// Struct fields come in declaration order, so their keys add nothing; enum cases are told
  /// apart by the key of their nested container, which is hashed.
  mutating func encodeNil(forKey key: Key) { sink.word(Sink.nilTag) }
  mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
    var s = Single(sink: sink)
    try s.encode(value)
  }
  mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws {
    guard let value else { return sink.word(Sink.nilTag) }
    sink.word(Sink.someTag)
    try encode(value, forKey: key)
  }
  mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws {
    try encodeIfPresent(value.map { $0 ? 1 : 0 } as Int?, forKey: key)
  }
  mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws {
    guard let value else { return sink.word(Sink.nilTag) }
    sink.word(Sink.someTag)
    sink.string(value)
  }
  mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws {
    guard let value else { return sink.word(Sink.nilTag) }
    sink.word(Sink.someTag)
    sink.word(UInt64(bitPattern: Int64(value)))
  }
  mutating func encodeIfPresent(_ value: UInt32?, forKey key: Key) throws {
    try encodeIfPresent(value.map { Int($0) }, forKey: key)
  }
  mutating func encodeIfPresent(_ value: UInt64?, forKey key: Key) throws {
    guard let value else { return sink.word(Sink.nilTag) }
    sink.word(Sink.someTag)
    sink.word(value)
  }
  mutating func nestedContainer<NestedKey: CodingKey>(
    keyedBy keyType: NestedKey.Type, forKey key: Key
  ) -> KeyedEncodingContainer<NestedKey> {
    sink.string(key.stringValue)
    return CanonicalEncoderImpl(sink: sink).container(keyedBy: keyType)
  }
  mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
    sink.string(key.stringValue)
    return CanonicalEncoderImpl(sink: sink).unkeyedContainer()
  }
  mutating func superEncoder() -> any Encoder { CanonicalEncoderImpl(sink: sink) }
  mutating func superEncoder(forKey key: Key) -> any Encoder {
    sink.string(key.stringValue)
    return CanonicalEncoderImpl(sink: sink)
  }
}
