/// The syntax tree of one scenario file: its top-level statements, in source order.
public struct ScenarioSyntax: Hashable, Sendable {
  public var source: SourceFile
  public var statements: [Statement]

  public init(source: SourceFile, statements: [Statement]) {
    self.source = source
    self.statements = statements
  }
}
