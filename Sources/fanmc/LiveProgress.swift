import Dispatch
import Exploration
import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// Ctrl-C and progress for `run` and `check`: the first SIGINT stops the search at its next
/// clock check and the report says `interrupted` with what was explored (exit 13), a second
/// one kills as usual; searches longer than a second report states, states/s, depth, frontier,
/// memory and time on stderr: one updating line on a terminal, a line every
/// `--progress-every` seconds (default 10) otherwise, nothing with `--quiet`.
enum LiveProgress {
  nonisolated(unsafe) static var source: DispatchSourceSignal?
  static let onTerminal = isatty(2) != 0
  static let lineShown = Atomic<Bool>(false)

  static func install(_ args: Arguments) throws {
    signal(SIGINT, SIG_IGN)
    let s = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
    s.setEventHandler {
      SearchControl.interrupt()
      signal(SIGINT, SIG_DFL)
    }
    s.resume()
    source = s
    if args.flags.contains("--quiet") {
      SearchControl.setProgress(every: 10, nil)
      return
    }
    var every = onTerminal ? 0.5 : 10
    if let text = args.options["--progress-every"] {
      guard let s = Double(text), s > 0, s <= 3600 else {
        throw Arguments.UsageError(
          message: "--progress-every takes seconds (more than 0, at most 3600)",
          command: args.command)
      }
      every = s
    }
    SearchControl.setProgress(every: every) { p in
      let line =
        "\(p.states) states · \(Int(p.statesPerSecond)) states/s · depth \(p.depth) · "
        + "frontier \(p.frontier) · \(p.peakMemoryBytes / 1_048_576) MiB · "
        + String(format: "%.1f s", p.seconds)
      if onTerminal {
        lineShown.store(true, ordering: .relaxed)
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8))
      } else {
        FileHandle.standardError.write(Data(("progress: " + line + "\n").utf8))
      }
    }
  }

  /// Clears the updating line before the report prints.
  static func clear() {
    if onTerminal && lineShown.exchange(false, ordering: .relaxed) {
      FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
  }
}
