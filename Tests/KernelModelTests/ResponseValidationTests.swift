import KernelModel
import Testing

@Suite("process_access_response validation (kernel-semantics §1.3)")
struct ResponseValidationTests {
  typealias Outcome = ResponseValidation.Outcome

  @Test(
    "each row of the validation table",
    arguments: [
      // 1: unknown bits
      (UInt32(0x100) | Fanotify.FAN_ALLOW, GroupClass.preContent, Outcome.reject(.EINVAL)),
      // 2: neither or both of ALLOW / DENY
      (UInt32(0), .preContent, .reject(.EINVAL)),
      (Fanotify.FAN_ALLOW | Fanotify.FAN_DENY, .preContent, .reject(.EINVAL)),
      // 3: ALLOW with an errno
      (Fanotify.FAN_ALLOW | (5 << 24), .preContent, .reject(.EINVAL)),
      // 4: custom errno from a non-PRE_CONTENT group
      (Fanotify.FAN_DENY_ERRNO(.EIO), .content, .reject(.EINVAL)),
      // 5: errno outside the allowed list
      (Fanotify.FAN_DENY_ERRNO(.EINVAL), .preContent, .reject(.EINVAL)),
      // 6: AUDIT without FAN_ENABLE_AUDIT
      (Fanotify.FAN_ALLOW | Fanotify.FAN_AUDIT, .preContent, .reject(.EINVAL)),
      // accepted
      (Fanotify.FAN_ALLOW, .preContent, .accept(.allow)),
      (Fanotify.FAN_DENY, .content, .accept(.deny(.EPERM))),
      (Fanotify.FAN_DENY_ERRNO(.EIO), .preContent, .accept(.deny(.EIO))),
      (Fanotify.FAN_DENY_ERRNO(.EDQUOT), .preContent, .accept(.deny(.EDQUOT))),
    ])
  func row(response: UInt32, groupClass: GroupClass, outcome: Outcome) {
    #expect(
      ResponseValidation.validate(response: response, fd: 4, groupClass: groupClass) == outcome)
  }

  @Test("a negative fd is EINVAL (row 8)")
  func negativeFd() {
    #expect(
      ResponseValidation.validate(response: Fanotify.FAN_ALLOW, fd: -1, groupClass: .preContent)
        == .reject(.EINVAL))
  }

  @Test(
    "every allowed deny errno is accepted from a PRE_CONTENT group",
    arguments: Fanotify.allowedDenyErrnos)
  func allowedErrnos(errno: Errno) {
    #expect(
      ResponseValidation.validate(
        response: Fanotify.FAN_DENY_ERRNO(errno), fd: 4, groupClass: .preContent)
        == .accept(.deny(errno)))
  }

  @Test("responses render as the uapi spells them")
  func describe() {
    #expect(ResponseValidation.describe(Fanotify.FAN_ALLOW) == "FAN_ALLOW")
    #expect(ResponseValidation.describe(Fanotify.FAN_DENY) == "FAN_DENY")
    #expect(ResponseValidation.describe(Fanotify.FAN_DENY_ERRNO(.EIO)) == "FAN_DENY_ERRNO(EIO)")
  }
}
