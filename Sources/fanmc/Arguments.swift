/// A parsed command line: the command, its positional arguments and its options.
struct Arguments {
  var command: String
  var positional: [String] = []
  var options: [String: String] = [:]
  /// Every value of each option, in order, for options that may repeat (`hunt --set`).
  var repeated: [String: [String]] = [:]
  /// Options that take no value (`--vs-spin`).
  var flags: Set<String> = []
  var help = false

  /// Options without a value, per command.
  static let flagOptions: [String: Set<String>] = [
    "bench": ["--vs-spin"], "run": ["--quiet", "--no-minimize"], "check": ["--quiet"],
    "explain": ["--no-minimize", "--details"], "view": ["--no-minimize"], "hunt": ["--quiet"],
  ]

  /// Options that take a value, per command.
  static let valueOptions: [String: Set<String>] = [
    "run": [
      "--strategy", "--max-states", "--max-depth", "--timeout", "--format", "--seed", "--walks",
      "--walk-depth", "--storage", "--workers", "--reduce", "--progress-every", "--shard",
    ],
    "check": [
      "--strategy", "--max-states", "--max-depth", "--timeout", "--format", "--seed", "--walks",
      "--walk-depth", "--storage", "--workers", "--reduce", "--progress-every", "--shard",
    ],
    "merge": ["--format", "--out", "--workers"],
    "matrix": [
      "--profiles", "--strategy", "--max-states", "--max-depth", "--timeout", "--format", "--seed",
      "--walks", "--walk-depth", "--storage", "--workers", "--reduce",
    ],
    "replay": ["--schedule", "--format", "--without"],
    "trace": ["--format"],
    "lockdep": ["--format", "--max-states"],
    "explain": ["--schedule", "--violation", "--format", "--without"],
    "view": ["--schedule", "--violation", "--format", "--output", "--without"],
    "conform": ["--op-timeout", "--random", "--seed", "--out", "--profile-subset"],
    "fuzz": ["--count", "--seed", "--workers", "--out"],
    "hunt": [
      "--profile", "--set", "--listener", "--budget", "--programs", "--seed", "--out", "--workers",
      "--max-states", "--format", "--shard",
    ],
    "profiles": ["--format"],
    "listeners": [],
    "bench": ["--format", "--family", "--max-states", "--timeout", "--workers"],
    "diff-profiles": ["--format"],
  ]

  /// Short spellings of value options, per command (`-o OUT` for `--output OUT`).
  static let shortOptions: [String: [String: String]] = [
    "view": ["-o": "--output"]
  ]

  /// A usage error: the message, and the command whose usage to print.
  struct UsageError: Error {
    var message: String
    var command: String?
  }

  static func parse(_ argv: [String]) throws(UsageError) -> Arguments {
    guard let first = argv.first else {
      throw UsageError(message: "missing command", command: nil)
    }
    if first == "--help" || first == "-h" || first == "help" {
      var a = Arguments(command: argv.count > 1 ? argv[1] : "")
      a.help = true
      return a
    }
    guard let allowed = valueOptions[first] else {
      throw UsageError(message: "unknown command '\(first)'", command: nil)
    }
    var a = Arguments(command: first)
    var i = 1
    while i < argv.count {
      let arg = argv[i]
      i += 1
      if arg == "--help" || arg == "-h" {
        a.help = true
      } else if flagOptions[first]?.contains(arg) == true {
        a.flags.insert(arg)
      } else if let long = shortOptions[first]?[arg] {
        guard i < argv.count else {
          throw UsageError(message: "missing value for '\(arg)'", command: first)
        }
        a.options[long] = argv[i]
        i += 1
      } else if arg.hasPrefix("--") {
        var name = arg
        var value: String?
        if let eq = arg.firstIndex(of: "=") {
          name = String(arg[..<eq])
          value = String(arg[arg.index(after: eq)...])
        }
        guard allowed.contains(name) else {
          throw UsageError(message: "unknown option '\(name)'", command: first)
        }
        if value == nil {
          guard i < argv.count else {
            throw UsageError(message: "missing value for '\(name)'", command: first)
          }
          value = argv[i]
          i += 1
        }
        a.options[name] = value
        a.repeated[name, default: []].append(value!)
      } else {
        a.positional.append(arg)
      }
    }
    return a
  }

  func integer(_ name: String) throws(UsageError) -> Int? {
    guard let text = options[name] else { return nil }
    guard let v = Int(text), v > 0 else {
      throw UsageError(
        message: "'\(name)' takes a positive integer, not '\(text)'", command: command)
    }
    return v
  }

  func seconds(_ name: String) throws(UsageError) -> Double? {
    guard let text = options[name] else { return nil }
    guard let v = Double(text), v > 0 else {
      throw UsageError(message: "'\(name)' takes a positive number of seconds", command: command)
    }
    return v
  }

  func choice(_ name: String, _ allowed: [String], default d: String) throws(UsageError) -> String {
    guard let v = options[name] else { return d }
    guard allowed.contains(v) else {
      throw UsageError(
        message: "'\(name)' takes \(allowed.joined(separator: " or ")), not '\(v)'",
        command: command)
    }
    return v
  }
}
