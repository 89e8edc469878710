/// One token of a statement line.
enum Token {
  case word(Word)
  /// `=`, which binds a name.
  case equals(SourceLocation)
  /// `->`, which introduces the expected result.
  case arrow(SourceLocation)
}
