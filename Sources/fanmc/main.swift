import CKernelProbe
import Foundation

// Line-buffered output, also into a file or a CI log: a long `conform --random` or search shows
// its progress as it goes, not at exit.
kp_line_buffered_stdout()
let status = Command.main(Array(CommandLine.arguments.dropFirst()))
exit(status.rawValue)
