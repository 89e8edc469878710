import Foundation
import TestSupport

/// Runs the built `fanmc` executable and captures what it prints.
struct FanmcProcess {
  var status: Int32
  var stdout: String
  var stderr: String

  /// The `fanmc` binary beside the test bundle (the same build folder).
  static let executable: URL = {
    let candidates =
      [URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()]
      + Bundle.allBundles.map { $0.bundleURL.deletingLastPathComponent() }
    for dir in candidates {
      let url = dir.appendingPathComponent("fanmc")
      if FileManager.default.isExecutableFile(atPath: url.path) { return url }
    }
    return Repository.root.appendingPathComponent(".build/debug/fanmc")
  }()

  /// Runs `fanmc arguments…` in the repository root.
  static func run(_ arguments: [String]) throws -> FanmcProcess {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.currentDirectoryURL = Repository.root
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return FanmcProcess(
      status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
      stderr: String(decoding: errData, as: UTF8.self))
  }
}
