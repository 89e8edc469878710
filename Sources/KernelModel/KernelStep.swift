/// A step label: which kernel function a task executes next.
///
/// The label says what to do; `KernelSystem.apply` does it. Labels of one task are equal in two
/// states exactly when the task would take the same step, which sleep sets rely on.
public enum KernelStep: Hashable, Sendable {
  // Application tasks.
  /// Syscall entry: instruction `pc` starts (open's mode decision, read's fd lookup, close…).
  case syscallEntry(pc: Int)
  /// `fsnotify() → fanotify_handle_event()`: queue the permission event to the next group.
  case fsnotifyQueue
  /// `fanotify_get_response()`: wake with the answer.
  case fanotifyGetResponse
  /// `filemap_read() → filemap_get_pages() → filemap_read_folio()`: bring a page into the cache.
  case filemapReadFolio(page: Int)
  /// `filemap_read() → copy_folio_to_iter()`: copy a cached page to the user buffer.
  case copyFolioToIter(page: Int)
  /// Return to user space.
  case syscallReturn

  // Listener tasks.
  /// `fanotify_read() → copy_event_to_user()`: take the oldest queued event, install its fd.
  case fanotifyRead
  /// `pwrite(event_fd) → generic_perform_write()`: fill one stub page from the source.
  case fillPage(page: Int)
  /// `fanotify_write() → process_access_response()`.
  case fanotifyWrite(response: UInt32)
  /// `close(event_fd)`.
  case closeEventFd
}
