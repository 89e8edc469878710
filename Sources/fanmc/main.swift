import Foundation

let status = Command.main(Array(CommandLine.arguments.dropFirst()))
exit(status.rawValue)
