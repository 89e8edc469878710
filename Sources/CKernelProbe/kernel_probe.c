/*
 * kernel_probe.c — runs a fanmc scenario's deterministic schedule on the live kernel.
 * See include/kernel_probe.h for the contract. Process layout:
 *
 *   caller (kp_run)            makes the private fs + files, forks the supervisor, waits (bounded),
 *                              assembles the result from shared memory, cleans up.
 *   supervisor (own pgrp)      fanotify groups, setup marks, one listener thread per group,
 *                              runs task children one after another, tears down.
 *   task children              one per task; close every inherited fd, run the instructions,
 *                              then sleep until killed (their fds and mappings stay alive).
 *   exec grandchildren         one per exec instruction, forked by the task child; execve the
 *                              binary (events they cause are attributed to the task).
 *
 * All cross-process state lives in one anonymous MAP_SHARED region (struct kp_shared).
 */
#include "kernel_probe.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/fs.h>
#include <linux/loop.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ---- uapi constants (system headers may predate pre-content events) ---- */
#define KP_FAN_CLOEXEC 0x00000001
#define KP_FAN_NONBLOCK 0x00000002
#define KP_FAN_UNLIMITED_QUEUE 0x00000010
#define KP_FIFREEZE _IOWR('X', 119, int)
#define KP_FITHAW _IOWR('X', 120, int)
#define KP_MAX_QUEUED_SYSCTL "/proc/sys/fs/fanotify/max_queued_events"
#define KP_FAN_MARK_ADD 0x00000001
#define KP_FAN_MARK_MOUNT 0x00000010
#define KP_FAN_MARK_FILESYSTEM 0x00000100
#define KP_FAN_OPEN_PERM 0x00010000ULL
#define KP_FAN_ACCESS_PERM 0x00020000ULL
#define KP_FAN_OPEN_EXEC_PERM 0x00040000ULL
#define KP_FAN_PRE_ACCESS 0x00100000ULL
#define KP_FAN_Q_OVERFLOW 0x00004000ULL
#define KP_FAN_NOFD (-1)
#define KP_FAN_REPORT_FID_BITS 0x00000e00 /* FAN_REPORT_FID|FAN_REPORT_DIR_FID|FAN_REPORT_NAME */
#define KP_FAN_REPORT_FD_ERROR 0x00002000
#define KP_FAN_METADATA_VERSION 3
#define KP_FAN_EVENT_INFO_TYPE_RANGE 6
#define KP_FAN_EVENT_INFO_TYPE_PIDFD 4
#define KP_EXT4_SUPER_MAGIC 0xEF53
#define KP_FALLOC_FL_KEEP_SIZE 0x01
#define KP_FALLOC_FL_PUNCH_HOLE 0x02
#define KP_FALLOC_FL_COLLAPSE_RANGE 0x08
#define KP_FALLOC_FL_ZERO_RANGE 0x10
#define KP_FALLOC_FL_INSERT_RANGE 0x20
#define KP_IMAGE_BYTES (64LL * 1024 * 1024)

struct kp_fan_metadata {
  uint32_t event_len;
  uint8_t vers;
  uint8_t reserved;
  uint16_t metadata_len;
  uint64_t mask;
  int32_t fd;
  int32_t pid;
};

struct kp_fan_info_header {
  uint8_t info_type;
  uint8_t pad;
  uint16_t len;
};

struct kp_fan_info_range {
  struct kp_fan_info_header hdr;
  uint32_t pad;
  uint64_t offset;
  uint64_t count;
};

struct kp_fan_info_pidfd {
  struct kp_fan_info_header hdr;
  int32_t pidfd;
};

struct kp_fan_response {
  int32_t fd;
  uint32_t response;
};

_Static_assert(sizeof(struct kp_fan_metadata) == 24, "fanotify_event_metadata is 24 bytes");
_Static_assert(sizeof(struct kp_fan_info_range) == 24, "fanotify_event_info_range is 24 bytes");

/* ---- shared state ---- */

enum task_state {
  TS_PENDING = 0,
  TS_RUNNING = 1,
  TS_FINISHED = 2,
  TS_BLOCKED = 3,
  TS_DIED = 4,
  TS_SKIPPED = 5,
};

struct raw_call {
  _Atomic int32_t done;
  int64_t ret;
  int32_t err;
  int32_t mixed; /* some observed page held mixed or foreign bytes */
  int32_t in_teardown; /* it returned only once teardown had begun (thaw, group close) */
  int32_t killed;      /* exec: the new image died of this signal (the task died) */
  int32_t observed_count;
  int32_t observed_first_page;
  uint8_t observed[KP_MAX_OBSERVED];
};

struct kp_shared {
  struct kp_plan plan;
  char dir[PATH_MAX];
  char paths[KP_MAX_FILES][PATH_MAX];
  uint64_t inodes[KP_MAX_FILES];
  uint64_t dev;
  double op_timeout;
  double scenario_timeout;

  pid_t supervisor;
  _Atomic int32_t group_fd[KP_MAX_GROUPS];
  /* Per group: its listener thread runs and reads (not stopped), and it is between read() and
   * having recorded what it read (see the header's "Draining"). */
  _Atomic int32_t listening[KP_MAX_GROUPS];
  _Atomic int32_t reading[KP_MAX_GROUPS];
  /* What each byte of the current file holds where its data cannot tell (see the header's
   * "Sizes"): KP_BYTE_STUB (an unfilled stub), KP_BYTE_WRITTEN (a task wrote it, maybe zeros
   * copied from a hole) or 0. Written by the caller at creation, then by the listener's fill
   * action and by the task child after a call that writes, cuts, punches or shifts bytes; the
   * drain handshake orders the two. */
  uint8_t kind[KP_MAX_FILES][KP_MAX_PAGES * KP_PAGE_SIZE];
  /* The page whose source pattern the page at this index holds (or is filled with): its own
   * index until COLLAPSE_RANGE or INSERT_RANGE moves pages; kept like `stub`. */
  _Atomic int32_t origin[KP_MAX_FILES][KP_MAX_PAGES];
  _Atomic int32_t task_pid[KP_MAX_TASKS];
  _Atomic int32_t current_instr[KP_MAX_TASKS];
  _Atomic int32_t progress[KP_MAX_TASKS]; /* instructions completed */
  _Atomic int32_t released[KP_MAX_TASKS]; /* instructions after which the queues were drained */
  _Atomic int32_t dead[KP_MAX_TASKS];     /* the task died with its exec image: runs no more */
  _Atomic int32_t task_state[KP_MAX_TASKS];
  _Atomic int32_t blocked_at[KP_MAX_TASKS];
  _Atomic int32_t killed_early[KP_MAX_TASKS]; /* killed by another task before it started */
  _Atomic int32_t exec_pid[KP_MAX_TASKS];  /* last exec grandchild's pid (event attribution) */
  _Atomic int32_t exec_live[KP_MAX_TASKS]; /* that grandchild until its parent reaps it, else -1 */
  int32_t exec_target[KP_MAX_FILES];       /* the file is the target of some exec instruction */
  struct raw_call raw[KP_MAX_TASKS][KP_MAX_INSTRUCTIONS];
  /* Per group without a running listener: the bytes queued (FIONREAD) after each instruction
   * returned, 0 before it was measured. Teardown reads those queues; an event's place in the
   * queue tells which instruction queued it (tasks run one after another). */
  int32_t queued_after[KP_MAX_GROUPS][KP_MAX_TASKS][KP_MAX_INSTRUCTIONS];
  int32_t queue_measured[KP_MAX_GROUPS][KP_MAX_TASKS][KP_MAX_INSTRUCTIONS];
  _Atomic int32_t stop;
  int32_t uses_freeze;
  _Atomic int32_t supervisor_done;
  /* The deadlock schedule (kp_plan.hold_listeners): listeners wait for the gate to open. */
  _Atomic int32_t gate;
  _Atomic int32_t recovering; /* responses from now on come after the recovery's SIGKILLs */
  _Atomic int32_t listener_tid[KP_MAX_GROUPS];
  _Atomic int64_t action_since_ms[KP_MAX_GROUPS]; /* handling an event since then; 0: idle */

  pthread_mutex_t lock; /* events + notes, supervisor threads only */
  struct kp_result result;
};

#define KP_BYTE_STUB 1
#define KP_BYTE_WRITTEN 2
#define KP_FILE_BYTES ((int64_t)KP_MAX_PAGES * KP_PAGE_SIZE)

/* Sets the kind of bytes [lo, hi) of file f (clipped to the bookkeeping). */
static void set_kind(struct kp_shared *S, int f, int64_t lo, int64_t hi, uint8_t k) {
  if (f < 0 || f >= KP_MAX_FILES) return;
  if (lo < 0) lo = 0;
  if (hi > KP_FILE_BYTES) hi = KP_FILE_BYTES;
  if (lo < hi) memset(&S->kind[f][lo], k, (size_t)(hi - lo));
}

/* After a task's call wrote `n` bytes at `lo` of file f: they are its data now. */
static void mark_written(struct kp_shared *S, int f, int64_t lo, int64_t n) {
  if (n > 0) set_kind(S, f, lo, lo + n, KP_BYTE_WRITTEN);
}

/* Where a write through `fd` that moved the file position (or appended) put its `n` bytes. */
static int64_t written_at(int fd, int64_t n) {
  return (int64_t)lseek(fd, 0, SEEK_CUR) - n;
}

/* Where a pwrite of `n` bytes at `offset` went: the end of the file with O_APPEND. */
static int64_t pwritten_at(int fd, int64_t offset, int64_t n) {
  struct stat st;
  if ((fcntl(fd, F_GETFL) & O_APPEND) && fstat(fd, &st) == 0) return (int64_t)st.st_size - n;
  return offset;
}

/* ---- small helpers ---- */

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_ms(int ms) {
  struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
  }
}

static void set_err(char *err, size_t len, const char *fmt, ...) {
  if (err == NULL || len == 0) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, len, fmt, ap);
  va_end(ap);
}

/* Appends a note; caller-side (single-threaded) or supervisor-side (locked) */
static void add_note_unlocked(struct kp_result *r, const char *fmt, va_list ap) {
  if (r->note_count >= KP_MAX_NOTES) return;
  vsnprintf(r->notes[r->note_count], KP_NOTE_LEN, fmt, ap);
  r->note_count++;
}

static void note(struct kp_shared *S, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  pthread_mutex_lock(&S->lock);
  add_note_unlocked(&S->result, fmt, ap);
  pthread_mutex_unlock(&S->lock);
  va_end(ap);
}

static void caller_note(struct kp_result *r, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  add_note_unlocked(r, fmt, ap);
  va_end(ap);
}

static int sys_pidfd_open(pid_t pid) { return (int)syscall(SYS_pidfd_open, pid, 0); }
static int sys_pidfd_getfd(int pidfd, int fd) {
  return (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);
}
static void close_from(unsigned int first) {
  if (syscall(SYS_close_range, first, ~0U, 0) == 0) return;
  long max = sysconf(_SC_OPEN_MAX);
  if (max < 0 || max > 65536) max = 65536;
  for (long fd = (long)first; fd < max; fd++) close((int)fd);
}

static int fan_init(unsigned int flags, unsigned int event_f_flags) {
  return (int)syscall(SYS_fanotify_init, flags, event_f_flags);
}
static int fan_mark(int fd, unsigned int flags, uint64_t mask, int dirfd, const char *path) {
  return (int)syscall(SYS_fanotify_mark, fd, flags, mask, dirfd, path);
}

/* The listener's action list for an event: a permission kind, KP_KIND_NOTIFY for notification
 * events, -1 for a queue overflow (nothing to do). */
static int kind_of(uint64_t mask) {
  if (mask & KP_FAN_PRE_ACCESS) return KP_KIND_PRE_ACCESS;
  if (mask & KP_FAN_OPEN_PERM) return KP_KIND_OPEN_PERM;
  if (mask & KP_FAN_OPEN_EXEC_PERM) return KP_KIND_OPEN_EXEC_PERM;
  if (mask & KP_FAN_ACCESS_PERM) return KP_KIND_ACCESS_PERM;
  if (mask & KP_FAN_Q_OVERFLOW) return -1;
  return KP_KIND_NOTIFY;
}

static const char *mark_path(const struct kp_shared *S, const struct kp_mark *m) {
  if (m->object == KP_OBJ_INODE) return S->paths[m->file];
  return S->dir;
}

static unsigned int mark_flags(const struct kp_mark *m) {
  unsigned int flags = (m->flags & KP_FAN_MARK_REMOVE) ? KP_FAN_MARK_REMOVE : KP_FAN_MARK_ADD;
  flags |= m->flags & (KP_FAN_MARK_IGNORED_MASK | KP_FAN_MARK_IGNORED_SURV_MODIFY |
                       KP_FAN_MARK_IGNORE);
  if (m->object == KP_OBJ_MOUNT) flags |= KP_FAN_MARK_MOUNT;
  if (m->object == KP_OBJ_FILESYSTEM) flags |= KP_FAN_MARK_FILESYSTEM;
  return flags;
}

static int file_of_fd(const struct kp_shared *S, int fd) {
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0) return -1;
  for (int f = 0; f < S->plan.file_count; f++)
    if ((uint64_t)st.st_ino == S->inodes[f] && (uint64_t)st.st_dev == S->dev) return f;
  return -1;
}

/* Thaws the private filesystem until it is no longer frozen (freeze nests per FIFREEZE). */
static void thaw_all(const char *dir) {
  int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) return;
  for (int i = 0; i < 64 && ioctl(dfd, KP_FITHAW, 0) == 0; i++) {
  }
  close(dfd);
}

/* ======================================================================================
 * Task children
 * ====================================================================================== */

/* The class of bytes [pos, pos + n) of page `page` of file f, as a read sees them: a byte a
 * task wrote is written whatever it holds (a copy may put zeros or this page's own source
 * bytes there); otherwise the data tells written (0xEE, or bytes of another page) and filled
 * (this page's source pattern) apart, and zeros are a stub or a hole by the byte's kind. The class is
 * the first of written, filled, remote that any byte has, else hole; *mixed when bytes differ. */
static int classify_page(const struct kp_shared *S, int f, int64_t page, int64_t pos,
                         const uint8_t *bytes, size_t n, int *mixed) {
  size_t count[4] = {0, 0, 0, 0}; /* indexed by enum kp_page */
  int known = f >= 0 && page >= 0 && page < KP_MAX_PAGES;
  int64_t from = known ? atomic_load(&S->origin[f][page]) : page;
  uint8_t src = known ? KP_SOURCE_BYTE(f, (int)from) : 0;
  for (size_t i = 0; i < n; i++) {
    int64_t at = pos + (int64_t)i;
    uint8_t k = (known && at >= 0 && at < KP_FILE_BYTES) ? S->kind[f][at] : 0;
    if (k == KP_BYTE_WRITTEN) count[KP_PAGE_WRITTEN]++; /* even source bytes copied in place */
    else if (bytes[i] == 0) count[k == KP_BYTE_STUB ? KP_PAGE_REMOTE : KP_PAGE_HOLE]++;
    else if (known && bytes[i] == src) count[KP_PAGE_FILLED]++;
    else count[KP_PAGE_WRITTEN]++; /* the written pattern, or foreign bytes a copy put here */
  }
  int kinds = 0;
  for (int c = 0; c < 4; c++) kinds += count[c] > 0;
  if (kinds > 1) *mixed = 1;
  if (count[KP_PAGE_WRITTEN]) return KP_PAGE_WRITTEN;
  if (count[KP_PAGE_FILLED]) return KP_PAGE_FILLED;
  if (count[KP_PAGE_REMOTE]) return KP_PAGE_REMOTE;
  return KP_PAGE_HOLE;
}

static void observe(const struct kp_shared *S, struct raw_call *rc, int f, int64_t pos,
                    const uint8_t *buf, int64_t n) {
  rc->observed_count = -1;
  if (n <= 0 || pos < 0) return;
  int64_t first = pos / KP_PAGE_SIZE, last = (pos + n - 1) / KP_PAGE_SIZE;
  rc->observed_first_page = (int32_t)first;
  int count = 0;
  for (int64_t p = first; p <= last && count < KP_MAX_OBSERVED; p++) {
    int64_t start = p * KP_PAGE_SIZE > pos ? p * KP_PAGE_SIZE : pos;
    int64_t end = (p + 1) * KP_PAGE_SIZE < pos + n ? (p + 1) * KP_PAGE_SIZE : pos + n;
    int mixed = 0;
    rc->observed[count++] =
        (uint8_t)classify_page(S, f, p, start, buf + (start - pos), (size_t)(end - start), &mixed);
    if (mixed) rc->mixed = 1;
  }
  rc->observed_count = count;
}

static void build_iov(struct iovec *iov, const struct kp_instruction *in, uint8_t *buf) {
  size_t off = 0;
  for (int i = 0; i < in->iov_count; i++) {
    iov[i].iov_base = buf + off;
    iov[i].iov_len = (size_t)in->iov[i];
    off += (size_t)in->iov[i];
  }
}

/* Closes every fd >= 3 except `keep`. */
static void close_all_but(int keep) {
  if (keep < 3) {
    close_from(3);
    return;
  }
  if (keep > 3 && syscall(SYS_close_range, 3U, (unsigned int)keep - 1, 0) != 0)
    for (int fd = 3; fd < keep; fd++) close(fd);
  close_from((unsigned int)keep + 1);
}

/*
 * execve(path) in a forked grandchild (see the header's "exec"). Returns -1 with errno = execve's
 * errno; 0 when execve succeeded (the grandchild stopped with SIGTRAP before running the new
 * image, and stays so until teardown), or exited 0; -1 with rc->killed = the signal when the
 * new image died of one; else its exit status (with a note). Waits for the grandchild by
 * polling; never returns while it runs (the supervisor calls the instruction blocked after the
 * per-op timeout and kills it at teardown), bounded by the scenario timeout.
 */
static int64_t run_exec(struct kp_shared *S, int t, int k, const struct kp_instruction *in,
                        struct raw_call *rc) {
  int p[2];
  if (pipe2(p, O_CLOEXEC) != 0) return -1;
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) {
    int saved = errno;
    close(p[0]);
    close(p[1]);
    errno = saved;
    return -1;
  }
  if (pid == 0) {
    /* Publish our pid before execve can emit an event (the listener maps pid -> task). */
    atomic_store(&S->exec_pid[t], getpid());
    atomic_store(&S->exec_live[t], getpid());
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(126);
    close(p[0]);
    close_all_but(p[1]); /* the task's fds stay open in the task child only */
    struct rlimit none = {0, 0};
    setrlimit(RLIMIT_CORE, &none); /* a forced SIGSEGV leaves no core file behind */
    signal(SIGBUS, SIG_DFL);
    signal(SIGSEGV, SIG_DFL);
    /* Stop at the SIGTRAP a traced execve sends on success: the image stays loaded. */
    int traced = ptrace(PTRACE_TRACEME, 0, NULL, NULL) == 0;
    char *argv[] = {"fanmc-exec", NULL};
    char *envp[] = {"PATH=/usr/bin:/bin", NULL};
    if (!traced) {
      int e = -errno; /* negative: ptrace failed, not execve */
      ssize_t w = write(p[1], &e, sizeof e);
      (void)w;
    }
    execve(S->paths[in->file], argv, envp);
    int e = errno;
    ssize_t w = write(p[1], &e, sizeof e);
    (void)w;
    _exit(127);
  }
  atomic_store(&S->exec_pid[t], pid);
  atomic_store(&S->exec_live[t], pid);
  close(p[1]);
  double hard = now_seconds() + S->scenario_timeout + 5.0;
  siginfo_t info;
  int seen = 0;
  for (;;) {
    memset(&info, 0, sizeof info);
    /* WNOWAIT: the zombie keeps its pid until exec_live no longer names it. A ptrace stop is
     * reported to us (the tracer) whatever the flags. */
    int r = waitid(P_PID, (id_t)pid, &info, WEXITED | WSTOPPED | WNOHANG | WNOWAIT);
    if (r == 0 && info.si_pid == pid && info.si_code == CLD_TRAPPED && info.si_status != SIGTRAP) {
      /* A signal stopped the tracee (a forced SIGSEGV after the point of no return): pass it
       * on, as an untraced process would take it. */
      int st;
      waitpid(pid, &st, WNOHANG);
      ptrace(PTRACE_CONT, pid, NULL, (void *)(intptr_t)info.si_status);
      continue;
    }
    if (r == 0 && info.si_pid == pid) {
      seen = 1;
      break;
    }
    if (r != 0 && errno != EINTR) break;
    if (now_seconds() > hard) break;
    sleep_ms(1);
  }
  if (!seen) {
    note(S, "task %d instruction %d: exec grandchild %d not finished; left for teardown", t, k,
         (int)pid);
    close(p[0]);
    for (;;) pause(); /* unreported: the supervisor sees no progress (blocked) */
  }
  /* What the grandchild wrote before execve (a ptrace failure, negative) or after it failed. */
  int e = 0, ptrace_failed = 0;
  ssize_t n;
  fcntl(p[0], F_SETFL, O_NONBLOCK); /* a grandchild stopped before execve holds the write end */
  for (;;) {
    n = read(p[0], &e, sizeof e);
    if (n == (ssize_t)sizeof e && e < 0) {
      ptrace_failed = -e;
      continue;
    }
    break;
  }
  close(p[0]);
  if (ptrace_failed)
    note(S, "task %d instruction %d: PTRACE_TRACEME failed (%s); the image ran to its end", t, k,
         strerror(ptrace_failed));
  if (info.si_code == CLD_TRAPPED || info.si_code == CLD_STOPPED) {
    /* Stopped after a successful execve: leave it loaded (exec_live names it for teardown). */
    return 0;
  }
  atomic_store(&S->exec_live[t], -1);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (n == (ssize_t)sizeof e) {
    errno = e;
    return -1;
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return 0;
  if (WIFSIGNALED(status)) {
    rc->killed = WTERMSIG(status);
    errno = 0;
    return -1;
  }
  note(S, "task %d instruction %d: execve succeeded but the program exited %d", t, k,
       WEXITSTATUS(status));
  return WEXITSTATUS(status);
}

/*
 * splice between the file and a pipe of the task's own (see the header's "splice"). Returns
 * splice's result (-1 with errno on failure, or when the pipe setup failed, with a note).
 */
static int64_t run_splice(struct kp_shared *S, int t, int k, const struct kp_instruction *in,
                          int fd, int f, const uint8_t *wbuf, struct raw_call *rc) {
  int to_pipe = in->op == KP_OP_SPLICE_TO_PIPE;
  int p[2];
  if (pipe2(p, O_CLOEXEC) != 0) {
    int saved = errno;
    note(S, "task %d instruction %d: pipe2 for splice failed (%s)", t, k, strerror(saved));
    errno = saved;
    return -1;
  }
  /* The pages the transfer spans (a file->pipe splice takes one pipe slot per page). */
  int64_t lead = (to_pipe && in->offset > 0) ? in->offset % KP_PAGE_SIZE : 0;
  int64_t need = (lead + in->count + KP_PAGE_SIZE - 1) / KP_PAGE_SIZE * KP_PAGE_SIZE;
  if (need > KP_MAX_PIPE) need = KP_MAX_PIPE;
  int cap = fcntl(p[0], F_GETPIPE_SZ);
  if (cap >= 0 && need > cap) {
    int set = fcntl(p[0], F_SETPIPE_SZ, (int)need);
    if (set >= 0) cap = set;
  }
  if (cap < 0 || (!to_pipe && cap < in->count)) {
    int saved = cap < 0 ? errno : ENOSPC;
    note(S, "task %d instruction %d: pipe capacity %d for splice of %lld bytes (%s)", t, k, cap,
         (long long)in->count, strerror(saved));
    close(p[0]);
    close(p[1]);
    errno = saved;
    return -1;
  }
  loff_t off = (loff_t)in->offset;
  int64_t r;
  if (to_pipe) {
    if (in->count > cap)
      note(S, "task %d instruction %d: splice count %lld exceeds the pipe capacity %d", t, k,
           (long long)in->count, cap);
    r = splice(fd, &off, p[1], NULL, (size_t)in->count, 0);
    int saved = errno;
    if (r > 0) {
      /* Drain what the splice moved and classify it like a read. */
      uint8_t *b = mmap(NULL, (size_t)cap, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                        -1, 0);
      int64_t got = 0;
      if (b != MAP_FAILED && fcntl(p[0], F_SETFL, O_NONBLOCK) == 0) {
        while (got < r && got < cap) {
          ssize_t n = read(p[0], b + got, (size_t)(cap - got));
          if (n > 0) got += n;
          else if (n < 0 && errno == EINTR) continue;
          else break;
        }
        if (got != r)
          note(S, "task %d instruction %d: drained %lld of %lld spliced bytes", t, k,
               (long long)got, (long long)r);
        observe(S, rc, f, in->offset, b, got);
      }
      if (b != MAP_FAILED) munmap(b, (size_t)cap);
    }
    errno = saved;
  } else {
    int64_t put = 0;
    errno = 0;
    if (fcntl(p[1], F_SETFL, O_NONBLOCK) == 0) {
      while (put < in->count) {
        int64_t chunk = in->count - put;
        if (chunk > KP_MAX_IO) chunk = KP_MAX_IO;
        ssize_t n = write(p[1], wbuf, (size_t)chunk);
        if (n > 0) put += n;
        else if (n < 0 && errno == EINTR) continue;
        else break;
      }
    }
    if (put != in->count) {
      int saved = errno ? errno : ENOSPC;
      note(S, "task %d instruction %d: filled the pipe with %lld of %lld bytes (%s)", t, k,
           (long long)put, (long long)in->count, strerror(saved));
      close(p[0]);
      close(p[1]);
      errno = saved;
      return -1;
    }
    r = splice(p[0], NULL, fd, &off, (size_t)in->count, 0);
    if (r > 0) mark_written(S, f, in->offset, r);
  }
  int saved = errno;
  close(p[0]);
  close(p[1]);
  errno = saved;
  return r;
}

/* Faults through mappings (task children only; one thread each). */
static sigjmp_buf fault_jmp;
static volatile sig_atomic_t fault_armed;
static int map_file[KP_MAX_SLOTS];
static int64_t map_offset[KP_MAX_SLOTS], map_length[KP_MAX_SLOTS];

static void fault_signal(int sig) {
  if (fault_armed) siglongjmp(fault_jmp, sig);
  signal(sig, SIG_DFL);
  raise(sig);
}

/*
 * One byte loaded from (store = 0) or stored to a mapping. Outside the VMA (round_up(length)),
 * or when the slot's mmap failed, -1 with errno 128 + SIGSEGV, without touching memory; inside,
 * a caught signal is -1 with errno 128 + the signal (SIGBUS past EOF, SIGSEGV for a store
 * without PROT_WRITE).
 */
static int64_t touch_mapping(struct kp_shared *S, const struct kp_instruction *in, void **maps,
                             int store, struct raw_call *rc) {
  int m = in->map;
  if (m < 0 || m >= KP_MAX_SLOTS) {
    errno = EFAULT;
    return -1;
  }
  /* No VMA there (the slot's mmap failed, or the offset is outside it): bad_area, SIGSEGV. */
  int64_t vma = (map_length[m] + KP_PAGE_SIZE - 1) / KP_PAGE_SIZE * KP_PAGE_SIZE;
  if (maps[m] == NULL || in->offset < 0 || in->offset >= vma) {
    errno = 128 + SIGSEGV;
    return -1;
  }
  volatile uint8_t *p = (volatile uint8_t *)maps[m] + in->offset;
  uint8_t byte = 0;
  int sig = sigsetjmp(fault_jmp, 1);
  if (sig != 0) {
    fault_armed = 0;
    errno = 128 + sig;
    return -1;
  }
  fault_armed = 1;
  if (store) *p = KP_WRITTEN_BYTE;
  else byte = *p;
  fault_armed = 0;
  if (store) mark_written(S, map_file[m], map_offset[m] + in->offset, 1);
  if (!store) observe(S, rc, map_file[m], map_offset[m] + in->offset, &byte, 1);
  return 0;
}

/* The byte bookkeeping after a truncate to `length` bytes: bytes past it are gone (a later
 * growth brings holes back). */
static void stub_cut(struct kp_shared *S, int f, int64_t length) {
  if (length >= 0) set_kind(S, f, length, KP_FILE_BYTES, 0);
}

/* The byte bookkeeping after a successful fallocate: PUNCH_HOLE and ZERO_RANGE make the bytes
 * they cover holes; COLLAPSE_RANGE and INSERT_RANGE (block aligned, or they fail) shift the
 * bytes from `offset` on down or up by `length`, inserted bytes being holes; pages keep their
 * source pattern's page (`origin`) as they move. */
static void stub_fallocate(struct kp_shared *S, int f, uint32_t mode, int64_t offset,
                           int64_t length) {
  if (f < 0 || offset < 0 || length <= 0) return;
  if (mode & (KP_FALLOC_FL_PUNCH_HOLE | KP_FALLOC_FL_ZERO_RANGE)) {
    set_kind(S, f, offset, offset + length, 0);
  } else if (mode & KP_FALLOC_FL_COLLAPSE_RANGE) {
    if (offset + length < KP_FILE_BYTES)
      memmove(&S->kind[f][offset], &S->kind[f][offset + length],
              (size_t)(KP_FILE_BYTES - offset - length));
    set_kind(S, f, KP_FILE_BYTES - length, KP_FILE_BYTES, 0);
    int64_t n = length / KP_PAGE_SIZE;
    for (int64_t p = offset / KP_PAGE_SIZE; p < KP_MAX_PAGES; p++) {
      int in = p + n < KP_MAX_PAGES;
      atomic_store(&S->origin[f][p], in ? atomic_load(&S->origin[f][p + n]) : (int32_t)p);
    }
  } else if (mode & KP_FALLOC_FL_INSERT_RANGE) {
    if (offset + length < KP_FILE_BYTES)
      memmove(&S->kind[f][offset + length], &S->kind[f][offset],
              (size_t)(KP_FILE_BYTES - offset - length));
    set_kind(S, f, offset, offset + length, 0);
    int64_t n = length / KP_PAGE_SIZE, at = offset / KP_PAGE_SIZE;
    for (int64_t p = KP_MAX_PAGES - 1; p >= at; p--) {
      int moved = p - n >= at;
      atomic_store(&S->origin[f][p], moved ? atomic_load(&S->origin[f][p - n]) : (int32_t)p);
    }
  }
}

static int64_t run_instruction(struct kp_shared *S, int t, const struct kp_instruction *in,
                               int *fds, int *fd_file, void **maps, uint8_t *buf,
                               uint8_t *wbuf, int *supervisor_pidfd, struct raw_call *rc) {
  int fd = (in->slot >= 0 && in->slot < KP_MAX_SLOTS) ? fds[in->slot] : -1;
  int f = (in->slot >= 0 && in->slot < KP_MAX_SLOTS) ? fd_file[in->slot] : -1;
  struct iovec iov[KP_MAX_IOV];
  int64_t r = -1, pos = -1;
  switch (in->op) {
  case KP_OP_OPEN:
    r = open(S->paths[in->file], (int)in->flags, 0644);
    if (r >= 0 && (in->flags & O_TRUNC)) stub_cut(S, in->file, 0); /* even with O_RDONLY */
    if (r >= 0) {
      if (fds[in->slot] >= 0) close(fds[in->slot]); /* a slot re-open leaks nothing */
      fds[in->slot] = (int)r;
      fd_file[in->slot] = in->file;
    }
    return r;
  case KP_OP_READ:
    pos = lseek(fd, 0, SEEK_CUR);
    errno = 0;
    r = read(fd, buf, (size_t)in->count);
    if (r > 0) observe(S, rc, f, pos, buf, r);
    return r;
  case KP_OP_PREAD:
    r = pread(fd, buf, (size_t)in->count, (off_t)in->offset);
    if (r > 0) observe(S, rc, f, in->offset, buf, r);
    return r;
  case KP_OP_READV:
    pos = lseek(fd, 0, SEEK_CUR);
    build_iov(iov, in, buf);
    errno = 0;
    r = readv(fd, iov, in->iov_count);
    if (r > 0) observe(S, rc, f, pos, buf, r);
    return r;
  case KP_OP_PREADV:
    build_iov(iov, in, buf);
    r = preadv(fd, iov, in->iov_count, (off_t)in->offset);
    if (r > 0) observe(S, rc, f, in->offset, buf, r);
    return r;
  case KP_OP_WRITE:
    r = write(fd, wbuf, (size_t)in->count);
    if (r > 0) mark_written(S, f, written_at(fd, r), r);
    return r;
  case KP_OP_PWRITE:
    r = pwrite(fd, wbuf, (size_t)in->count, (off_t)in->offset);
    if (r > 0) mark_written(S, f, pwritten_at(fd, in->offset, r), r);
    return r;
  case KP_OP_WRITEV:
    build_iov(iov, in, wbuf);
    r = writev(fd, iov, in->iov_count);
    if (r > 0) mark_written(S, f, written_at(fd, r), r);
    return r;
  case KP_OP_FTRUNCATE:
    r = ftruncate(fd, (off_t)in->count);
    if (r == 0) stub_cut(S, f, in->count);
    return r;
  case KP_OP_TRUNCATE:
    r = truncate(S->paths[in->file], (off_t)in->count);
    if (r == 0) stub_cut(S, in->file, in->count);
    return r;
  case KP_OP_FALLOCATE:
    /* The mode word goes to the kernel unchanged: vfs_fallocate judges it. */
    r = fallocate(fd, (int)in->flags, (off_t)in->offset, (off_t)in->count);
    if (r == 0) stub_fallocate(S, f, in->flags, in->offset, in->count);
    return r;
  case KP_OP_MMAP: {
    int rdwr = (fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDWR;
    int prot = PROT_READ | (rdwr ? PROT_WRITE : 0);
    void *p = mmap(NULL, (size_t)in->count, prot, MAP_SHARED, fd, (off_t)in->offset);
    if (p == MAP_FAILED) return -1;
    if (in->map >= 0 && in->map < KP_MAX_SLOTS) {
      maps[in->map] = p;
      map_file[in->map] = f;
      map_offset[in->map] = in->offset;
      map_length[in->map] = in->count;
    }
    return 0;
  }
  case KP_OP_LOAD:
    return touch_mapping(S, in, maps, 0, rc);
  case KP_OP_STORE:
    return touch_mapping(S, in, maps, 1, rc);
  case KP_OP_FADVISE:
    r = posix_fadvise(fd, (off_t)in->offset, (off_t)in->count, POSIX_FADV_WILLNEED);
    if (r != 0) {
      errno = (int)r; /* posix_fadvise returns the error number */
      return -1;
    }
    return 0;
  case KP_OP_READAHEAD:
    return readahead(fd, (off64_t)in->offset, (size_t)in->count);
  case KP_OP_MADVISE_WILLNEED: {
    int m = in->map;
    if (m < 0 || m >= KP_MAX_SLOTS || maps[m] == NULL) {
      errno = EINVAL;
      return -1;
    }
    return madvise(maps[m], (size_t)map_length[m], MADV_WILLNEED);
  }
  case KP_OP_SENDFILE: {
    int in_fd = (in->slot2 >= 0 && in->slot2 < KP_MAX_SLOTS) ? fds[in->slot2] : -1;
    off_t off = (off_t)in->offset;
    r = sendfile(fd, in_fd, in->has_offset ? &off : NULL, (size_t)in->count);
    if (r > 0) mark_written(S, f, written_at(fd, r), r);
    return r;
  }
  case KP_OP_COPY_FILE_RANGE: {
    int out_fd = (in->slot2 >= 0 && in->slot2 < KP_MAX_SLOTS) ? fds[in->slot2] : -1;
    off_t a = (off_t)in->offset, b = (off_t)in->offset2;
    r = copy_file_range(fd, &a, out_fd, &b, (size_t)in->count, 0);
    if (r > 0) mark_written(S, fd_file[in->slot2], in->offset2, r);
    return r;
  }
  case KP_OP_CLONE: {
    int out_fd = (in->slot2 >= 0 && in->slot2 < KP_MAX_SLOTS) ? fds[in->slot2] : -1;
    if (in->count == 0 && in->offset == 0 && in->offset2 == 0) return ioctl(out_fd, FICLONE, fd);
    struct file_clone_range range = {.src_fd = fd,
                                     .src_offset = (uint64_t)in->offset,
                                     .src_length = (uint64_t)in->count,
                                     .dest_offset = (uint64_t)in->offset2};
    return ioctl(out_fd, FICLONERANGE, &range);
  }
  case KP_OP_DEDUPE: {
    int out_fd = (in->slot2 >= 0 && in->slot2 < KP_MAX_SLOTS) ? fds[in->slot2] : -1;
    union {
      struct file_dedupe_range range;
      char space[sizeof(struct file_dedupe_range) + sizeof(struct file_dedupe_range_info)];
    } u;
    memset(&u, 0, sizeof u);
    u.range.src_offset = (uint64_t)in->offset;
    u.range.src_length = (uint64_t)in->count;
    u.range.dest_count = 1;
    u.range.info[0].dest_fd = out_fd;
    u.range.info[0].dest_offset = (uint64_t)in->offset2;
    return ioctl(fd, FIDEDUPERANGE, &u.range);
  }
  case KP_OP_MREMAP: {
    int m = in->map;
    if (m < 0 || m >= KP_MAX_SLOTS || maps[m] == NULL) {
      errno = EFAULT;
      return -1;
    }
    size_t old = (size_t)((map_length[m] + KP_PAGE_SIZE - 1) / KP_PAGE_SIZE * KP_PAGE_SIZE);
    void *p = mremap(maps[m], old, (size_t)in->count, MREMAP_MAYMOVE);
    if (p == MAP_FAILED) return -1;
    maps[m] = p;
    map_length[m] = in->count;
    return 0;
  }
  case KP_OP_CLOSE:
    r = close(fd);
    if (in->slot >= 0 && in->slot < KP_MAX_SLOTS) {
      fds[in->slot] = -1;
      fd_file[in->slot] = -1;
    }
    return r;
  case KP_OP_FANOTIFY_MARK: {
    int g = in->mark.group;
    int gfd_remote = (g >= 0 && g < S->plan.group_count) ? atomic_load(&S->group_fd[g]) : -1;
    if (gfd_remote < 0) {
      errno = EBADF;
      return -1;
    }
    if (*supervisor_pidfd < 0) {
      int pfd = sys_pidfd_open(S->supervisor);
      if (pfd < 0) return -1;
      *supervisor_pidfd = fcntl(pfd, F_DUPFD_CLOEXEC, 900);
      close(pfd);
      if (*supervisor_pidfd < 0) return -1;
    }
    int gfd = sys_pidfd_getfd(*supervisor_pidfd, gfd_remote);
    if (gfd < 0) return -1;
    r = fan_mark(gfd, mark_flags(&in->mark), in->mark.mask, AT_FDCWD, mark_path(S, &in->mark));
    int saved = errno;
    close(gfd);
    errno = saved;
    return r;
  }
  case KP_OP_FREEZE:
  case KP_OP_THAW: {
    int dfd = open(S->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0) return -1;
    /* Only ever the probe's own image: refuse anything that is not its mount. */
    struct stat st;
    if (!S->result.private_fs || fstat(dfd, &st) != 0 || (uint64_t)st.st_dev != S->dev) {
      close(dfd);
      errno = EPERM;
      return -1;
    }
    r = ioctl(dfd, in->op == KP_OP_FREEZE ? KP_FIFREEZE : KP_FITHAW, 0);
    int saved = errno;
    close(dfd);
    errno = saved;
    return r;
  }
  case KP_OP_KILL: {
    int target = in->target;
    pid_t pid = atomic_load(&S->task_pid[target]);
    if (pid <= 0) { /* not started: it will never run */
      atomic_store(&S->killed_early[target], 1);
      return 0;
    }
    return kill(pid, SIGKILL);
  }
  case KP_OP_EXEC:
    return run_exec(S, t, atomic_load(&S->current_instr[t]), in, rc);
  case KP_OP_SPLICE_TO_PIPE:
  case KP_OP_SPLICE_FROM_PIPE:
    return run_splice(S, t, atomic_load(&S->current_instr[t]), in, fd, f, wbuf, rc);
  default:
    errno = ENOSYS;
    return -1;
  }
}

static void task_child(struct kp_shared *S, int t) {
  /* Publish our pid before any syscall can emit an event (the listener maps pid -> task). */
  atomic_store(&S->current_instr[t], 0);
  atomic_store(&S->task_pid[t], getpid());
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != S->supervisor) _exit(99);
  /* Drop every inherited fd (group fds, event fds): a task holds no fanotify reference. */
  int devnull = open("/dev/null", O_RDWR);
  if (devnull >= 0) {
    dup2(devnull, 0);
    if (devnull > 2) close(devnull);
  }
  close_from(3);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = fault_signal;
  sigaction(SIGBUS, &sa, NULL);
  sigaction(SIGSEGV, &sa, NULL);
  int supervisor_pidfd = -1; /* opened on the first fanotify_mark, at a high fd number */

  size_t bufsize = KP_MAX_IO;
  uint8_t *buf = mmap(NULL, bufsize * 2, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                      -1, 0);
  if (buf == MAP_FAILED) _exit(98);
  uint8_t *wbuf = buf + bufsize;
  memset(wbuf, KP_WRITTEN_BYTE, bufsize);
  memset(buf, 0, bufsize);

  int fds[KP_MAX_SLOTS], fd_file[KP_MAX_SLOTS];
  void *maps[KP_MAX_SLOTS];
  for (int i = 0; i < KP_MAX_SLOTS; i++) {
    fds[i] = -1;
    fd_file[i] = -1;
    maps[i] = NULL;
  }
  const struct kp_task *task = &S->plan.tasks[t];
  /* Bounded wait for the supervisor to drain the queues after an instruction. */
  double release_wait = S->op_timeout * 2 + 1.0;
  for (int k = 0; k < task->count; k++) {
    struct raw_call *rc = &S->raw[t][k];
    rc->observed_count = -1;
    atomic_store(&S->current_instr[t], k);
    errno = 0;
    int64_t r = run_instruction(S, t, &task->instr[k], fds, fd_file, maps, buf, wbuf,
                                &supervisor_pidfd, rc);
    rc->err = (r < 0) ? errno : 0;
    rc->ret = r;
    rc->in_teardown = atomic_load(&S->stop);
    if (rc->killed) atomic_store(&S->dead[t], 1); /* before progress: the supervisor reads it */
    atomic_store(&rc->done, 1);
    atomic_store(&S->progress[t], k + 1);
    if (rc->killed) break; /* the task died with its new image: nothing more runs */
    double until = now_seconds() + release_wait;
    while (atomic_load(&S->released[t]) < k + 1 && !atomic_load(&S->stop) &&
           now_seconds() < until)
      sleep_ms(1);
  }
  if (!atomic_load(&S->dead[t])) atomic_store(&S->current_instr[t], task->count);
  /* Stay alive (fds open, mappings mapped) until the supervisor kills us. */
  for (;;) pause();
}

/* ======================================================================================
 * Listener threads (supervisor)
 * ====================================================================================== */

struct listener {
  struct kp_shared *S;
  int group;
  pthread_t thread;
  int started;
  int stopped; /* blocked in an action or closed its group: it reads nothing more */
};

/* A possibly self-blocking listener action, run on a helper thread so the listener can give up. */
struct helper {
  struct kp_shared *S;
  int action;
  int event_fd;
  int file;
  int has_range;
  uint64_t offset, count;
  _Atomic int done;
  _Atomic int step; /* for readThroughNormalFd: 1 open returned, 2 pread returned */
  int64_t ret;
  int err;
};

static void *helper_main(void *arg) {
  struct helper *h = arg;
  struct kp_shared *S = h->S;
  if (h->action == KP_ACT_FTRUNCATE_EVENT_FD) {
    struct stat st;
    if (fstat(h->event_fd, &st) != 0) {
      h->ret = -1;
      h->err = errno;
    } else {
      h->ret = ftruncate(h->event_fd, st.st_size);
      h->err = h->ret < 0 ? errno : 0;
    }
  } else {
    int fd = (h->file >= 0) ? open(S->paths[h->file], O_RDONLY) : -1;
    atomic_store(&h->step, 1);
    if (fd < 0) {
      h->ret = -1;
      h->err = (h->file >= 0) ? errno : ENOENT;
    } else {
      h->ret = 0;
      h->err = 0;
      if (h->has_range) {
        size_t n = (size_t)h->count;
        if (n > KP_MAX_IO) n = KP_MAX_IO;
        uint8_t *b = mmap(NULL, n ? n : 1, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                          -1, 0);
        if (b != MAP_FAILED) {
          h->ret = pread(fd, b, n, (off_t)h->offset);
          h->err = h->ret < 0 ? errno : 0;
          munmap(b, n ? n : 1);
        }
      }
      atomic_store(&h->step, 2);
      close(fd);
    }
  }
  atomic_store(&h->done, 1);
  return NULL;
}

/* Returns 1 when the action finished within the op timeout, 0 when the listener is blocked. */
static int run_helper(struct kp_shared *S, struct helper *h) {
  pthread_t th;
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  if (pthread_create(&th, &attr, helper_main, h) != 0) {
    pthread_attr_destroy(&attr);
    h->ret = -1;
    h->err = EAGAIN;
    return 1;
  }
  pthread_attr_destroy(&attr);
  double deadline = now_seconds() + S->op_timeout;
  while (!atomic_load(&h->done)) {
    if (now_seconds() > deadline || atomic_load(&S->stop)) return 0;
    sleep_ms(2);
  }
  return 1;
}

/* The fill action: the source pattern into exactly the stub bytes of [offset, offset + count)
 * (within the file and the source, whose size is the file's initial size), through the event fd (FMODE_NONOTIFY: no event), as the model's fill
 * listener does. */
static void fill_range(struct kp_shared *S, int g, int ev, int f, int event_fd, uint64_t offset,
                       uint64_t count) {
  struct stat st;
  if (f < 0 || event_fd < 0 || fstat(event_fd, &st) != 0) return;
  int64_t end = (int64_t)(offset + count);
  if (end > (int64_t)st.st_size) end = (int64_t)st.st_size;
  if (end > S->plan.files[f].size) end = S->plan.files[f].size; /* its source's size */
  if (end > KP_FILE_BYTES) end = KP_FILE_BYTES;
  uint8_t page[KP_PAGE_SIZE];
  for (int64_t at = (int64_t)offset; at < end;) {
    if (S->kind[f][at] != KP_BYTE_STUB) {
      at++;
      continue;
    }
    /* One run of stub bytes within one page. */
    int64_t p = at / KP_PAGE_SIZE, stop = at;
    int64_t limit = (p + 1) * KP_PAGE_SIZE < end ? (p + 1) * KP_PAGE_SIZE : end;
    while (stop < limit && S->kind[f][stop] == KP_BYTE_STUB) stop++;
    memset(page, KP_SOURCE_BYTE(f, atomic_load(&S->origin[f][p])), (size_t)(stop - at));
    double t0 = now_seconds();
    ssize_t w = pwrite(event_fd, page, (size_t)(stop - at), (off_t)at);
    double took = now_seconds() - t0;
    if (took > S->op_timeout)
      note(S, "group %d event %d: fill pwrite at %lld took %.1f s (frozen filesystem?)", g, ev,
           (long long)at, took);
    if (w == (ssize_t)(stop - at)) set_kind(S, f, at, stop, 0);
    else note(S, "group %d event %d: fill pwrite of %lld bytes at %lld failed (%s)", g, ev,
              (long long)(stop - at), (long long)at, w < 0 ? strerror(errno) : "short write");
    at = stop;
  }
}

static int record_event(struct kp_shared *S, int g, const struct kp_fan_metadata *m,
                        const struct kp_fan_info_range *range, int teardown) {
  struct kp_event e;
  memset(&e, 0, sizeof e);
  e.group = g;
  e.mask = m->mask;
  e.pid = m->pid;
  e.task = -1;
  e.instruction = -1;
  e.read_at_teardown = teardown;
  e.file = file_of_fd(S, m->fd);
  /* FAN_REPORT_FD_ERROR: create_fd's error as the fd (-EPERM looks like FAN_NOFD, which an
   * fd-reporting group only uses for the overflow event). */
  uint32_t init = S->plan.groups[g].init_flags;
  if (m->fd < 0 && (init & KP_FAN_REPORT_FD_ERROR) && !(init & KP_FAN_REPORT_FID_BITS) &&
      !(m->mask & KP_FAN_Q_OVERFLOW))
    e.fd_error = -m->fd;
  if (range) {
    e.has_range = 1;
    e.offset = range->offset;
    e.count = range->count;
  }
  if (m->pid != S->supervisor) {
    for (int t = 0; t < S->plan.task_count; t++)
      if (atomic_load(&S->task_pid[t]) == m->pid || atomic_load(&S->exec_pid[t]) == m->pid) {
        e.task = t;
        e.instruction = atomic_load(&S->current_instr[t]);
        if (e.instruction >= S->plan.tasks[t].count) e.instruction = -1;
      }
    if (e.task < 0) note(S, "group %d: an event from pid %d, which is no task's", g, (int)m->pid);
  }
  pthread_mutex_lock(&S->lock);
  int idx = -1;
  if (S->result.event_count < KP_MAX_EVENTS) {
    idx = S->result.event_count++;
    S->result.events[idx] = e;
  }
  pthread_mutex_unlock(&S->lock);
  if (idx < 0) note(S, "event limit %d reached; later events are not recorded", KP_MAX_EVENTS);
  return idx;
}

/* Records a read() of the group that failed with create_fd's errno (no FAN_REPORT_FD_ERROR):
 * an event the listener never saw; the kernel answered it FAN_DENY if it was a permission
 * event. */
static void record_read_error(struct kp_shared *S, int g, int err, int teardown) {
  struct kp_event e;
  memset(&e, 0, sizeof e);
  e.group = g;
  e.task = -1;
  e.instruction = -1;
  e.file = -1;
  e.fd_error = err;
  e.read_error = 1;
  e.read_at_teardown = teardown;
  pthread_mutex_lock(&S->lock);
  if (S->result.event_count < KP_MAX_EVENTS) S->result.events[S->result.event_count++] = e;
  pthread_mutex_unlock(&S->lock);
}

/* Whether a read() error of a group fd is create_fd's failure (the event was consumed) rather
 * than a failure of the group itself. */
static int is_create_fd_error(int err) {
  return err == ETXTBSY || err == EACCES || err == EPERM || err == ENOENT || err == EROFS ||
         err == EMFILE || err == ENFILE || err == EOVERFLOW || err == EISDIR || err == ENXIO;
}

/*
 * Reads one event from the group fd. fanotify copies events while they fit and refuses a
 * buffer too small for the first (EINVAL, nothing consumed), so growing the buffer 8 bytes at a
 * time from the bare metadata's 24 reads exactly the first event (24, 48 with a range record,
 * 56 with a pidfd record too); past 256 bytes the whole buffer is offered and the caller handles
 * every event in it. Returns bytes read, 0 if the queue is empty, -1 on error (errno).
 */
static ssize_t read_one_event(int gfd, uint8_t *buf, size_t cap) {
  for (size_t n = 24;; n = n < 256 ? n + 8 : cap) {
    if (n > cap) n = cap;
    ssize_t r = read(gfd, buf, n);
    if (r >= 0) return r;
    if (errno == EAGAIN) return 0;
    if (errno != EINVAL || n == cap) return -1;
  }
}

static const struct kp_fan_info_header *find_info(const uint8_t *buf, size_t len, int type,
                                                  size_t size) {
  const struct kp_fan_metadata *m = (const void *)buf;
  size_t off = m->metadata_len;
  size_t end = m->event_len < len ? m->event_len : len;
  while (off + sizeof(struct kp_fan_info_header) <= end) {
    const struct kp_fan_info_header *h = (const void *)(buf + off);
    if (h->len == 0) break;
    if (h->info_type == type && off + size <= end) return h;
    off += h->len;
  }
  return NULL;
}

static const struct kp_fan_info_range *find_range(const uint8_t *buf, size_t len) {
  return (const void *)find_info(buf, len, KP_FAN_EVENT_INFO_TYPE_RANGE,
                                 sizeof(struct kp_fan_info_range));
}

/* Closes the pidfd a FAN_REPORT_PIDFD group hands out with each event. */
static void close_pidfd(const uint8_t *buf, size_t len) {
  const struct kp_fan_info_pidfd *p = (const void *)find_info(
      buf, len, KP_FAN_EVENT_INFO_TYPE_PIDFD, sizeof(struct kp_fan_info_pidfd));
  if (p && p->pidfd >= 0) close(p->pidfd);
}

/* Every group other than `except` with a running listener has an empty queue and is not in the
 * middle of reading one (see the header's "Draining"). */
static int others_drained(struct kp_shared *S, int except) {
  for (int g = 0; g < S->plan.group_count; g++) {
    if (g == except || !atomic_load(&S->listening[g])) continue;
    if (atomic_load(&S->reading[g])) return 0;
    int gfd = atomic_load(&S->group_fd[g]);
    int queued = 0;
    if (gfd >= 0 && ioctl(gfd, FIONREAD, &queued) == 0 && queued > 0) return 0;
  }
  return 1;
}

/* Waits at most `seconds` for others_drained(except); 1 if they drained. */
static int wait_drained(struct kp_shared *S, int except, double seconds) {
  double until = now_seconds() + seconds;
  for (;;) {
    if (others_drained(S, except)) return 1;
    if (now_seconds() > until || atomic_load(&S->stop)) return 0;
    sleep_ms(1);
  }
}

/* Handles one event read from the group: records it (then clears the group's `reading` when
 * `last`, the last event of the read), runs the listener's actions for its kind and sequence. */
static void handle_event(struct listener *L, const uint8_t *buf, size_t len, int sequence,
                         int last) {
  struct kp_shared *S = L->S;
  int g = L->group;
  const struct kp_fan_metadata *m = (const void *)buf;
  if (m->vers != KP_FAN_METADATA_VERSION) {
    note(S, "group %d: unexpected metadata version %d", g, m->vers);
    if (m->fd >= 0) close(m->fd);
    return;
  }
  close_pidfd(buf, len);
  const struct kp_fan_info_range *range = find_range(buf, len);
  int ev = record_event(S, g, m, range, 0);
  if (last) atomic_store(&S->reading[g], 0);
  int kind = kind_of(m->mask);
  int event_fd = m->fd;
  if (kind < 0) { /* queue overflow: nothing to answer */
    note(S, "group %d: queue overflow", g);
    if (event_fd >= 0) close(event_fd);
    return;
  }
  if (ev >= 0 && S->result.events[ev].fd_error) return; /* create_fd failed: no action */
  int f = (ev >= 0) ? S->result.events[ev].file : file_of_fd(S, event_fd);
  const struct kp_group *spec = &S->plan.groups[g];
  int count = spec->action_count[kind];
  const struct kp_action *actions = spec->actions[kind];
  if (sequence < spec->sequence_count) {
    count = spec->sequence_action_count[sequence][kind];
    actions = spec->sequence_actions[sequence][kind];
  }
  int event_fd_open = event_fd >= 0;
  for (int a = 0; a < count; a++) {
    const struct kp_action *act = &actions[a];
    switch (act->kind) {
    case KP_ACT_FILL_RANGE:
      if (range && event_fd_open) fill_range(S, g, ev, f, event_fd, range->offset, range->count);
      break;
    case KP_ACT_RESPOND: {
      /* A response followed by closing the event fd: close first. The response is matched by
       * fd number, not by the open file, so it still lands; and the woken task never finds
       * the event fd still open (an exec's deny_write_access would fail ETXTBSY on an O_RDWR
       * one), as in the model's schedule, where the listener closes it before the task goes
       * on. */
      if (a + 1 < count && actions[a + 1].kind == KP_ACT_CLOSE_EVENT_FD && event_fd_open) {
        close(event_fd);
        event_fd_open = 0;
      }
      /* The model's listeners read every event at once: answer only once the notification
       * events queued before this one in other groups were read (bounded). */
      double bound = S->op_timeout / 2 < 0.5 ? S->op_timeout / 2 : 0.5;
      if (!wait_drained(S, g, bound))
        note(S, "group %d event %d: other groups not drained before the response", g, ev);
      struct kp_fan_response resp = {event_fd, act->response};
      int gfd = atomic_load(&S->group_fd[g]);
      ssize_t w = gfd >= 0 ? write(gfd, &resp, sizeof resp) : -1;
      int werr = w < 0 ? (gfd >= 0 ? errno : EBADF) : 0;
      uint32_t answered = act->response;
      if (w < 0 && act->has_fallback && gfd >= 0) {
        /* A listener program's `respond WORD else FALLBACK`: the refused answer's errno is
         * recorded, the fallback's word is the answer (as the model's trace records them). */
        resp.response = act->fallback;
        if (write(gfd, &resp, sizeof resp) == (ssize_t)sizeof resp) answered = act->fallback;
      }
      pthread_mutex_lock(&S->lock);
      int first = ev >= 0 && !S->result.events[ev].responded;
      /* Only recovery let the listener get here: the deadlock schedule had no answer. */
      int late = first && atomic_load(&S->recovering);
      if (late) first = 0;
      if (first) {
        S->result.events[ev].responded = 1;
        S->result.events[ev].response = answered;
        S->result.events[ev].response_errno = werr;
      }
      pthread_mutex_unlock(&S->lock);
      if (late)
        note(S, "recovery: group %d event %d answered 0x%x (%s) once released", g, ev,
             act->response, werr ? strerror(werr) : "ok");
      else if (!first)
        note(S, "group %d event %d: extra response 0x%x -> %s", g, ev, act->response,
             werr ? strerror(werr) : "ok");
      break;
    }
    case KP_ACT_CLOSE_EVENT_FD:
      if (event_fd_open) close(event_fd);
      event_fd_open = 0;
      break;
    case KP_ACT_READ_EVENT_FD: {
      /* The event fd is FMODE_NONOTIFY: the read emits nothing and never waits. */
      int64_t size = f >= 0 ? S->plan.files[f].size : 0;
      if (!event_fd_open || size <= 0) break;
      uint8_t *b = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      if (b == MAP_FAILED) break;
      ssize_t r = pread(event_fd, b, (size_t)size, 0);
      if (r < 0) note(S, "group %d event %d: pread(event fd) failed: %s", g, ev, strerror(errno));
      munmap(b, (size_t)size);
      break;
    }
    case KP_ACT_FTRUNCATE_EVENT_FD:
    case KP_ACT_READ_NORMAL_FD:
    case KP_ACT_READ_FILE: {
      struct helper *h = calloc(1, sizeof *h); /* leaked on purpose if the helper never returns */
      if (!h) break;
      h->S = S;
      h->action = act->kind;
      h->event_fd = event_fd_open ? event_fd : -1;
      h->file = act->kind == KP_ACT_READ_FILE ? act->file : f;
      /* As the model's readThroughNormalFd and readFile: the event's range (at least one
       * byte), or the first page for an event without one, unless the action fixes it. */
      h->has_range = 1;
      h->offset = range ? range->offset : 0;
      h->count = range ? (range->count > 0 ? range->count : 1) : KP_PAGE_SIZE;
      if (act->kind == KP_ACT_READ_FILE && act->fixed_range) {
        h->offset = (uint64_t)act->offset;
        h->count = (uint64_t)act->count;
      }
      const char *what = act->kind == KP_ACT_FTRUNCATE_EVENT_FD ? "ftruncate(event fd)"
                                                               : "open+pread via a normal fd";
      if (!run_helper(S, h)) {
        const char *where = "";
        if (act->kind != KP_ACT_FTRUNCATE_EVENT_FD)
          where = atomic_load(&h->step) == 0 ? " (in open)" : " (in pread)";
        note(S, "group %d event %d: listener blocked in %s%s; it reads nothing more", g, ev, what,
             where);
        L->stopped = 1;
        atomic_store(&S->listening[g], 0);
        return; /* the listener stops moving, as in the model */
      }
      if (h->ret < 0)
        note(S, "group %d event %d: %s failed: %s", g, ev, what, strerror(h->err));
      else
        note(S, "group %d event %d: %s returned %lld", g, ev, what, (long long)h->ret);
      free(h);
      break;
    }
    case KP_ACT_CLOSE_GROUP: {
      atomic_store(&S->listening[g], 0);
      int gfd = atomic_exchange(&S->group_fd[g], -1);
      if (gfd >= 0) close(gfd);
      L->stopped = 1;
      break;
    }
    default:
      break;
    }
  }
}

static void *listener_main(void *arg) {
  struct listener *L = arg;
  struct kp_shared *S = L->S;
  int g = L->group;
  int sequence = 0; /* events delivered so far (the model's ListenerEvent.sequence) */
  uint8_t buf[4096] __attribute__((aligned(8)));
  atomic_store(&S->listener_tid[g], (int32_t)syscall(SYS_gettid));
  while (S->plan.hold_listeners && !atomic_load(&S->gate) && !atomic_load(&S->stop)) sleep_ms(2);
  while (!atomic_load(&S->stop) && !L->stopped) {
    int gfd = atomic_load(&S->group_fd[g]);
    if (gfd < 0) break;
    struct pollfd p = {gfd, POLLIN, 0};
    int r = poll(&p, 1, 20);
    if (r <= 0) continue;
    atomic_store(&S->reading[g], 1);
    ssize_t n = read_one_event(gfd, buf, sizeof buf);
    if (n < 0 && is_create_fd_error(errno)) {
      /* create_fd failed without FAN_REPORT_FD_ERROR: the event is gone; read on. */
      record_read_error(S, g, errno, 0);
      sequence++;
      atomic_store(&S->reading[g], 0);
      continue;
    }
    if (n < 0) {
      note(S, "group %d: read failed: %s", g, strerror(errno));
      atomic_store(&S->reading[g], 0);
      break;
    }
    if ((size_t)n < sizeof(struct kp_fan_metadata)) {
      atomic_store(&S->reading[g], 0);
      continue;
    }
    /* Usually one event; every event of a longer read in turn. */
    size_t off = 0;
    while (off + sizeof(struct kp_fan_metadata) <= (size_t)n && !L->stopped) {
      const struct kp_fan_metadata *m = (const void *)(buf + off);
      size_t len = m->event_len;
      if (len < sizeof(struct kp_fan_metadata) || off + len > (size_t)n) break;
      int last = off + len + sizeof(struct kp_fan_metadata) > (size_t)n;
      atomic_store(&S->action_since_ms[g], (int64_t)(now_seconds() * 1000) + 1);
      handle_event(L, buf + off, len, sequence++, last);
      atomic_store(&S->action_since_ms[g], 0);
      off += len;
    }
    atomic_store(&S->reading[g], 0);
  }
  atomic_store(&S->listening[g], 0);
  return NULL;
}

/* Reads what is left in a group's queue without answering (teardown). */
static void drain_group(struct kp_shared *S, int g) {
  int gfd = atomic_load(&S->group_fd[g]);
  if (gfd < 0) return;
  uint8_t buf[4096] __attribute__((aligned(8)));
  int64_t consumed = 0; /* bytes of the queue read so far */
  for (int i = 0; i < KP_MAX_EVENTS; i++) {
    ssize_t n = read_one_event(gfd, buf, sizeof buf);
    if (n < 0 && is_create_fd_error(errno)) {
      record_read_error(S, g, errno, 1);
      continue;
    }
    if (n < (ssize_t)sizeof(struct kp_fan_metadata)) break;
    size_t off = 0;
    while (off + sizeof(struct kp_fan_metadata) <= (size_t)n) {
      const struct kp_fan_metadata *m = (const void *)(buf + off);
      size_t len = m->event_len;
      if (len < sizeof(struct kp_fan_metadata) || off + len > (size_t)n) break;
      close_pidfd(buf + off, len);
      int idx = record_event(S, g, m, find_range(buf + off, len), 1);
      if (m->fd >= 0) close(m->fd);
      off += len;
      /* FIONREAD counts an event without its pidfd record (measured on 6.18). */
      const struct kp_fan_info_header *pidfd = find_info(
          buf + off - len, len, KP_FAN_EVENT_INFO_TYPE_PIDFD, sizeof(struct kp_fan_info_pidfd));
      consumed += (int64_t)len - (pidfd ? (int64_t)pidfd->len : 0);
      /* Read at teardown, after the tasks' instructions: the first instruction after which the
       * queue held this event queued it (the task's current instruction says nothing now). */
      struct kp_event *e = idx >= 0 ? &S->result.events[idx] : NULL;
      for (int k = 0; e && e->task >= 0 && k < S->plan.tasks[e->task].count; k++)
        if (S->queue_measured[g][e->task][k] && S->queued_after[g][e->task][k] >= consumed) {
          e->instruction = k;
          break;
        }
    }
  }
}

/* ======================================================================================
 * Supervisor
 * ====================================================================================== */

/* Follows task t until it finished, died or made no progress within the op timeout (then
 * TS_BLOCKED at the instruction it is in). After each returned instruction every listener reads
 * what it caused before the task goes on. */
static void follow_task(struct kp_shared *S, int t, pid_t *pid, double soft_deadline) {
  const struct kp_plan *P = &S->plan;
  int last = -1;
  double deadline = 0;
  for (;;) {
    int prog = atomic_load(&S->progress[t]);
    if (prog > atomic_load(&S->released[t])) {
      /* The instruction returned: let every listener read what it caused, then go on. */
      if (!wait_drained(S, -1, S->op_timeout))
        note(S, "task %d instruction %d: queues not drained within %.1f s", t, prog - 1,
             S->op_timeout);
      for (int g = 0; g < P->group_count; g++) {
        int gfd = atomic_load(&S->group_fd[g]), n = 0;
        if (gfd < 0 || atomic_load(&S->listening[g]) || ioctl(gfd, FIONREAD, &n) != 0) continue;
        S->queued_after[g][t][prog - 1] = n;
        S->queue_measured[g][t][prog - 1] = 1;
      }
      atomic_store(&S->released[t], prog);
    }
    if (prog >= P->tasks[t].count || atomic_load(&S->dead[t])) {
      atomic_store(&S->task_state[t], TS_FINISHED);
      break;
    }
    double now = now_seconds();
    if (prog != last) {
      last = prog;
      deadline = now + S->op_timeout;
    }
    int status;
    if (waitpid(*pid, &status, WNOHANG) == *pid) {
      *pid = -1;
      atomic_store(&S->task_state[t], TS_DIED);
      note(S, "task %d died at instruction %d (%s %d)", t, prog,
           WIFSIGNALED(status) ? "signal" : "exit",
           WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
      break;
    }
    if (now > deadline || now > soft_deadline) {
      atomic_store(&S->blocked_at[t], prog);
      atomic_store(&S->task_state[t], TS_BLOCKED);
      if (now > soft_deadline && now <= deadline)
        note(S, "task %d: scenario timeout at instruction %d", t, prog);
      break;
    }
    sleep_ms(1);
  }
}

/*
 * Where a thread sleeps: the function names of /proc/PID/task/TID/stack, innermost first,
 * separated by spaces ("[<0>] fanotify_handle_event+0x2d1/0x5a0" gives fanotify_handle_event),
 * or /proc/PID/task/TID/wchan's one name when the stack cannot be read. "?" when neither can.
 */
static void where_sleeps(pid_t pid, pid_t tid, char *out, size_t len) {
  char path[96];
  char buf[4096];
  out[0] = 0;
  snprintf(path, sizeof path, "/proc/%d/task/%d/stack", (int)pid, (int)tid);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  ssize_t n = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;
  if (fd >= 0) close(fd);
  size_t used = 0;
  if (n > 0) {
    buf[n] = 0;
    for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
      char *name = strchr(line, ']');
      name = name ? name + 1 : line;
      while (*name == ' ') name++;
      size_t k = strcspn(name, "+ ."); /* freeze_super.part.0: the function */
      if (k == 0 || used + k + 2 > len) continue;
      if (used) out[used++] = ' ';
      memcpy(out + used, name, k);
      used += k;
      out[used] = 0;
    }
  }
  if (used) return;
  snprintf(path, sizeof path, "/proc/%d/task/%d/wchan", (int)pid, (int)tid);
  fd = open(path, O_RDONLY | O_CLOEXEC);
  n = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;
  if (fd >= 0) close(fd);
  if (n > 0 && !(n == 1 && buf[0] == '0')) {
    buf[n] = 0;
    snprintf(out, len, "%s", buf);
  } else {
    snprintf(out, len, "?");
  }
}

static int listener_busy(struct kp_shared *S, int g) {
  int64_t since = atomic_load(&S->action_since_ms[g]);
  return since != 0 && now_seconds() * 1000 - (double)since > S->op_timeout * 1000;
}

/*
 * The deadlock schedule's end: records where every blocked task and listener thread sleeps,
 * then recovers. A task waiting for an answer (fanotify_handle_event's wait in
 * fanotify_get_response is killable) gets SIGKILL; the private image is thawed (FITHAW fails
 * while a freeze is still waiting for writers, so it is retried until the freeze completed);
 * every wait is bounded and whatever stays blocked is noted and counted in `unrecovered`.
 */
static void blocked_and_recover(struct kp_shared *S, pid_t *pids) {
  const struct kp_plan *P = &S->plan;
  int any = 0;
  /* A listener in an action gets a whole op timeout from the action's start (bounded). */
  double settle = now_seconds() + S->op_timeout + 1;
  for (int pending = 1; pending && now_seconds() < settle;) {
    pending = 0;
    for (int g = 0; g < P->group_count; g++)
      if (atomic_load(&S->action_since_ms[g]) != 0 && !listener_busy(S, g)) pending = 1;
    if (pending) sleep_ms(5);
  }
  for (int t = 0; t < P->task_count; t++) {
    if (atomic_load(&S->task_state[t]) != TS_BLOCKED || pids[t] <= 0) continue;
    where_sleeps(pids[t], pids[t], S->result.task_where[t], KP_WHERE_LEN);
    any = 1;
  }
  for (int g = 0; g < P->group_count; g++) {
    if (!listener_busy(S, g)) continue;
    S->result.listener_blocked[g] = 1;
    where_sleeps(getpid(), atomic_load(&S->listener_tid[g]), S->result.listener_where[g],
                 KP_WHERE_LEN);
    any = 1;
  }
  if (!any) return;
  atomic_store(&S->recovering, 1);
  for (int t = 0; t < P->task_count; t++) {
    const char *w = S->result.task_where[t];
    if (!w[0] || pids[t] <= 0) continue;
    if (strstr(w, "fanotify_handle_event") || strstr(w, "fanotify_get_response")) {
      kill(pids[t], SIGKILL);
      note(S, "recovery: SIGKILL task %d (a killable wait for an answer)", t);
    }
  }
  double until = now_seconds() + 2 * S->op_timeout + 2;
  int thawed = !S->uses_freeze;
  for (;;) {
    if (S->uses_freeze) {
      int dfd = open(S->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      if (dfd >= 0) {
        while (ioctl(dfd, KP_FITHAW, 0) == 0) thawed = 1;
        if (errno == EINVAL && !thawed) {
          /* EINVAL: not frozen, or a freeze still waiting for writers; a finished freeze
           * thaws with 0. Thawed once the freezer's call returned and no freeze is left. */
          int freezing = 0;
          for (int t = 0; t < P->task_count; t++)
            for (int k = 0; k < P->tasks[t].count; k++)
              if (P->tasks[t].instr[k].op == KP_OP_FREEZE &&
                  atomic_load(&S->current_instr[t]) == k && !atomic_load(&S->raw[t][k].done) &&
                  atomic_load(&S->task_state[t]) == TS_BLOCKED && pids[t] > 0)
                freezing = 1;
          if (!freezing) thawed = 1;
        }
        close(dfd);
      }
    }
    int busy = 0;
    for (int g = 0; g < P->group_count; g++)
      if (atomic_load(&S->action_since_ms[g]) != 0) busy = 1;
    if (thawed && !busy) break;
    if (now_seconds() > until) break;
    sleep_ms(20);
  }
  if (S->uses_freeze)
    note(S, thawed ? "recovery: the private filesystem is thawed"
                   : "recovery: could not thaw the private filesystem (a freeze still waits)");
  if (!thawed) S->result.unrecovered++;
  for (int g = 0; g < P->group_count; g++) {
    if (!S->result.listener_blocked[g]) continue;
    if (atomic_load(&S->action_since_ms[g]) == 0) {
      note(S, "recovery: group %d's listener returned", g);
    } else {
      note(S, "recovery: group %d's listener is still blocked", g);
      S->result.unrecovered++;
    }
  }
}

static void supervisor_main(struct kp_shared *S) {
  setpgid(0, 0);
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  prctl(PR_SET_CHILD_SUBREAPER, 1); /* orphaned exec grandchildren stay ours to reap */
  int devnull = open("/dev/null", O_RDWR);
  if (devnull >= 0) {
    dup2(devnull, 0);
    dup2(devnull, 1);
    if (devnull > 2) close(devnull);
  }
  close_from(3);
  signal(SIGPIPE, SIG_IGN);
  signal(SIGCHLD, SIG_DFL);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  S->supervisor = getpid();

  pthread_mutexattr_t ma;
  pthread_mutexattr_init(&ma);
  pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
  pthread_mutex_init(&S->lock, &ma);

  const struct kp_plan *P = &S->plan;
  double start = now_seconds();
  double margin = S->scenario_timeout * 0.2 < 2.0 ? S->scenario_timeout * 0.2 : 2.0;
  double soft_deadline = start + S->scenario_timeout - margin;

  for (int g = 0; g < P->group_count; g++) {
    unsigned int flags = P->groups[g].fan_class | KP_FAN_CLOEXEC | KP_FAN_NONBLOCK;
    int limit = P->groups[g].queue_limit;
    char old[32] = "";
    int sfd = -1;
    if (limit <= 0) {
      flags |= KP_FAN_UNLIMITED_QUEUE;
    } else {
      /* max_events is copied from the sysctl at fanotify_init: under an exclusive flock on the
       * sysctl file (concurrent probes), set it, init, restore at once. */
      sfd = open(KP_MAX_QUEUED_SYSCTL, O_RDWR | O_CLOEXEC);
      int locked = 0;
      for (int i = 0; sfd >= 0 && i < 2000 && !locked; i++) {
        if (flock(sfd, LOCK_EX | LOCK_NB) == 0) locked = 1;
        else sleep_ms(1);
      }
      ssize_t n = locked ? pread(sfd, old, sizeof old - 1, 0) : -1;
      char want[32];
      int wl = snprintf(want, sizeof want, "%d\n", limit);
      if (n <= 0 || pwrite(sfd, want, (size_t)wl, 0) != wl) {
        note(S, "group %d: cannot set max_queued_events to %d; queue limit is the default", g,
             limit);
        old[0] = 0;
      } else {
        old[n] = 0;
      }
    }
    flags |= P->groups[g].init_flags;
    int fd = fan_init(flags, P->groups[g].event_f_flags | O_LARGEFILE);
    int saved = errno;
    if (old[0] && pwrite(sfd, old, strlen(old), 0) != (ssize_t)strlen(old))
      note(S, "could not restore max_queued_events to %s", old);
    if (sfd >= 0) close(sfd); /* releases the flock */
    if (fd < 0) note(S, "group %d: fanotify_init failed: %s", g, strerror(saved));
    atomic_store(&S->group_fd[g], fd);
  }
  for (int i = 0; i < P->mark_count; i++) {
    const struct kp_mark *m = &P->marks[i];
    int gfd = atomic_load(&S->group_fd[m->group]);
    if (fan_mark(gfd, mark_flags(m), m->mask, AT_FDCWD, mark_path(S, m)) != 0)
      note(S, "setup mark %d (group %d) failed: %s", i, m->group, strerror(errno));
  }

  struct listener listeners[KP_MAX_GROUPS];
  memset(listeners, 0, sizeof listeners);
  for (int g = 0; g < P->group_count; g++) {
    listeners[g].S = S;
    listeners[g].group = g;
    if (!P->groups[g].has_listener || atomic_load(&S->group_fd[g]) < 0) continue;
    atomic_store(&S->listening[g], 1);
    if (pthread_create(&listeners[g].thread, NULL, listener_main, &listeners[g]) == 0) {
      listeners[g].started = 1;
    } else {
      atomic_store(&S->listening[g], 0);
      note(S, "group %d: cannot start listener thread", g);
    }
  }

  pid_t pids[KP_MAX_TASKS];
  for (int t = 0; t < P->task_count; t++) pids[t] = -1;
  for (int t = 0; t < P->task_count; t++) {
    if (now_seconds() > soft_deadline) {
      atomic_store(&S->task_state[t], TS_SKIPPED);
      note(S, "task %d not run: scenario timeout", t);
      continue;
    }
    if (atomic_load(&S->killed_early[t])) {
      atomic_store(&S->task_state[t], TS_SKIPPED);
      note(S, "task %d not run: killed before it started", t);
      continue;
    }
    atomic_store(&S->task_state[t], TS_RUNNING);
    pid_t pid = fork();
    if (pid == 0) task_child(S, t);
    if (pid < 0) {
      atomic_store(&S->task_state[t], TS_DIED);
      note(S, "task %d: fork failed: %s", t, strerror(errno));
      continue;
    }
    pids[t] = pid;
    atomic_store(&S->task_pid[t], pid);
    follow_task(S, t, &pids[t], soft_deadline);
  }

  if (P->hold_listeners) {
    /* The deadlock schedule: every task has returned or blocked; now the listeners read, and
     * the blocked tasks get one more op timeout, together, to return. Those that did are
     * followed as before; the others stay blocked. */
    int before[KP_MAX_TASKS];
    for (int t = 0; t < P->task_count; t++) before[t] = atomic_load(&S->progress[t]);
    atomic_store(&S->gate, 1);
    double until = now_seconds() + S->op_timeout;
    for (int waiting = 1; waiting && now_seconds() < until;) {
      waiting = 0;
      for (int t = 0; t < P->task_count; t++)
        if (atomic_load(&S->task_state[t]) == TS_BLOCKED && pids[t] > 0 &&
            atomic_load(&S->progress[t]) == before[t])
          waiting = 1;
      sleep_ms(2);
    }
    for (int t = 0; t < P->task_count; t++) {
      if (atomic_load(&S->task_state[t]) != TS_BLOCKED || pids[t] <= 0) continue;
      if (atomic_load(&S->progress[t]) == before[t]) continue;
      atomic_store(&S->task_state[t], TS_RUNNING);
      atomic_store(&S->blocked_at[t], -1);
      follow_task(S, t, &pids[t], soft_deadline);
    }
    blocked_and_recover(S, pids);
  }

  /* Teardown: thaw (a frozen fs would hold writers in uninterruptible sleep), stop listeners,
   * read what is left, kill tasks, then close groups. */
  atomic_store(&S->stop, 1);
  if (S->uses_freeze) thaw_all(S->dir);
  for (int g = 0; g < P->group_count; g++)
    if (listeners[g].started) {
      /* Bounded: a listener still blocked in the kernel is left behind and noted. */
      struct timespec until;
      clock_gettime(CLOCK_REALTIME, &until);
      until.tv_sec += 5;
      if (pthread_timedjoin_np(listeners[g].thread, NULL, &until) != 0) {
        note(S, "group %d: listener thread did not stop within 5 s", g);
        S->result.unrecovered++;
      }
    }
  for (int g = 0; g < P->group_count; g++) drain_group(S, g);
  for (int t = 0; t < P->task_count; t++)
    if (pids[t] > 0) kill(pids[t], SIGKILL);
  double reap_until = now_seconds() + 5;
  for (int t = 0; t < P->task_count; t++) {
    if (pids[t] <= 0) continue;
    double until = reap_until;
    int status;
    while (waitpid(pids[t], &status, WNOHANG) == 0 && now_seconds() < until) sleep_ms(1);
  }
  /* Exec grandchildren: dead with their parent (PDEATHSIG) or still running; either way not yet
   * reaped (a zombie keeps its pid), so the pid is safe to signal. */
  for (int t = 0; t < P->task_count; t++) {
    pid_t g = atomic_exchange(&S->exec_live[t], -1);
    if (g <= 0) continue;
    kill(g, SIGKILL);
    int status;
    while (waitpid(g, &status, WNOHANG) == 0 && now_seconds() < reap_until) sleep_ms(1);
  }
  for (int g = 0; g < P->group_count; g++) {
    int gfd = atomic_exchange(&S->group_fd[g], -1);
    if (gfd >= 0) close(gfd);
  }
  atomic_store(&S->supervisor_done, 1);
  _exit(0);
}

/* ======================================================================================
 * Caller side: filesystem, files, plan validation, result assembly
 * ====================================================================================== */

struct fsctx {
  char image[PATH_MAX];
  char mnt[PATH_MAX];
  int mounted;
  int image_made;
  int dir_made;
};

/* Waits for a child at most `seconds`, then SIGKILLs it and waits at most 2 s more. Never
 * blocks longer (a child stuck in uninterruptible sleep is left behind rather than waited for). */
static int wait_child(pid_t pid, double seconds, int *status) {
  double until = now_seconds() + seconds;
  int killed = 0;
  for (;;) {
    pid_t r = waitpid(pid, status, WNOHANG);
    if (r == pid) return killed ? -1 : 0;
    if (r < 0 && errno == ECHILD && kill(pid, 0) != 0) { /* auto-reaped (SIGCHLD ignored) */
      *status = 0;
      return killed ? -1 : 0;
    }
    if (r < 0 && errno != EINTR && errno != ECHILD) return -1;
    if (now_seconds() > until) {
      if (killed) return -1;
      kill(pid, SIGKILL);
      killed = 1;
      until = now_seconds() + 2;
    }
    sleep_ms(2);
  }
}

static int run_mkfs(const char *image, char *err, size_t errlen) {
  static const char *const candidates[] = {"/usr/sbin/mkfs.ext4", "/sbin/mkfs.ext4",
                                           "/usr/bin/mkfs.ext4", "/bin/mkfs.ext4"};
  const char *mkfs = NULL;
  for (size_t i = 0; i < sizeof candidates / sizeof candidates[0]; i++)
    if (access(candidates[i], X_OK) == 0) {
      mkfs = candidates[i];
      break;
    }
  if (!mkfs) {
    set_err(err, errlen, "mkfs.ext4 not found");
    return -1;
  }
  char *argv[] = {(char *)mkfs, "-q", "-F", "-b", "4096", "-E",
                  "lazy_itable_init=0,lazy_journal_init=0", (char *)image, NULL};
  char *envp[] = {"PATH=/usr/sbin:/usr/bin:/sbin:/bin", NULL};
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid;
  int rc = posix_spawn(&pid, mkfs, &fa, NULL, argv, envp);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) {
    set_err(err, errlen, "cannot run mkfs.ext4: %s", strerror(rc));
    return -1;
  }
  int status = 0;
  if (wait_child(pid, 30, &status) != 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    set_err(err, errlen, "mkfs.ext4 failed (status 0x%x)", status);
    return -1;
  }
  return 0;
}

static int attach_loop(const char *image, char *dev, size_t devlen, char *err, size_t errlen) {
  int ctl = open("/dev/loop-control", O_RDWR | O_CLOEXEC);
  if (ctl < 0) {
    set_err(err, errlen, "/dev/loop-control: %s", strerror(errno));
    return -1;
  }
  int backing = open(image, O_RDWR | O_CLOEXEC);
  if (backing < 0) {
    set_err(err, errlen, "open image: %s", strerror(errno));
    close(ctl);
    return -1;
  }
  int result = -1;
  for (int attempt = 0; attempt < 20 && result < 0; attempt++) {
    int n = ioctl(ctl, LOOP_CTL_GET_FREE);
    if (n < 0) {
      set_err(err, errlen, "LOOP_CTL_GET_FREE: %s", strerror(errno));
      break;
    }
    snprintf(dev, devlen, "/dev/loop%d", n);
    int lfd = open(dev, O_RDWR | O_CLOEXEC);
    if (lfd < 0) {
      set_err(err, errlen, "open %s: %s", dev, strerror(errno));
      sleep_ms(10);
      continue;
    }
    struct loop_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.fd = (uint32_t)backing;
    cfg.info.lo_flags = LO_FLAGS_AUTOCLEAR;
    size_t nlen = strnlen(image, sizeof cfg.info.lo_file_name - 1);
    memcpy(cfg.info.lo_file_name, image, nlen); /* for losetup -a; NUL from the memset */
    if (ioctl(lfd, LOOP_CONFIGURE, &cfg) == 0) {
      result = lfd; /* keep it open until mounted: AUTOCLEAR detaches at the last close */
    } else {
      set_err(err, errlen, "LOOP_CONFIGURE %s: %s", dev, strerror(errno));
      close(lfd);
      if (errno != EBUSY) break;
      sleep_ms(5);
    }
  }
  close(backing);
  close(ctl);
  return result;
}

static void fs_cleanup(struct fsctx *c, struct kp_result *r) {
  if (c->mounted) {
    thaw_all(c->mnt);
    int ok = 0;
    for (int i = 0; i < 250 && !ok; i++) {
      if (umount2(c->mnt, 0) == 0) ok = 1;
      else if (errno == EBUSY) sleep_ms(20);
      else break;
    }
    if (!ok) {
      if (r) caller_note(r, "umount %s: %s; detaching lazily", c->mnt, strerror(errno));
      umount2(c->mnt, MNT_DETACH);
    }
    c->mounted = 0;
  }
  if (c->dir_made) {
    if (c->image_made) {
      rmdir(c->mnt);
    } else {
      /* fallback directory: remove the files we made */
      DIR *d = opendir(c->mnt);
      if (d) {
        struct dirent *de;
        while ((de = readdir(d)) != NULL) {
          if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0) continue;
          unlinkat(dirfd(d), de->d_name, 0);
        }
        closedir(d);
      }
      rmdir(c->mnt);
    }
    c->dir_made = 0;
  }
  if (c->image_made) {
    unlink(c->image);
    c->image_made = 0;
  }
}

static int make_private_fs(struct fsctx *c, char *err, size_t errlen) {
  snprintf(c->image, sizeof c->image, "/var/tmp/fanmc-probe-XXXXXX");
  int fd = mkstemp(c->image);
  if (fd < 0) {
    set_err(err, errlen, "mkstemp image: %s", strerror(errno));
    return -1;
  }
  c->image_made = 1;
  if (ftruncate(fd, KP_IMAGE_BYTES) != 0) {
    set_err(err, errlen, "size image: %s", strerror(errno));
    close(fd);
    return -1;
  }
  close(fd);
  if (run_mkfs(c->image, err, errlen) != 0) return -1;
  snprintf(c->mnt, sizeof c->mnt, "/var/tmp/fanmc-mnt-XXXXXX");
  if (!mkdtemp(c->mnt)) {
    set_err(err, errlen, "mkdtemp: %s", strerror(errno));
    return -1;
  }
  c->dir_made = 1;
  char dev[64];
  int lfd = attach_loop(c->image, dev, sizeof dev, err, errlen);
  if (lfd < 0) return -1;
  int rc = mount(dev, c->mnt, "ext4", MS_NOSUID | MS_NODEV | MS_NOATIME, "");
  int saved = errno;
  close(lfd);
  if (rc != 0) {
    set_err(err, errlen, "mount %s: %s", dev, strerror(saved));
    return -1;
  }
  c->mounted = 1;
  return 0;
}

static int make_tmpfs(struct fsctx *c, char *err, size_t errlen) {
  snprintf(c->mnt, sizeof c->mnt, "/var/tmp/fanmc-tmpfs-XXXXXX");
  if (!mkdtemp(c->mnt)) {
    set_err(err, errlen, "mkdtemp: %s", strerror(errno));
    return -1;
  }
  c->dir_made = 1;
  if (mount("fanmc-probe", c->mnt, "tmpfs", MS_NOSUID | MS_NODEV, "size=16m,mode=0755") != 0) {
    set_err(err, errlen, "mount tmpfs: %s", strerror(errno));
    return -1;
  }
  c->mounted = 1;
  return 0;
}

static int make_plain_dir(struct fsctx *c, char *err, size_t errlen) {
  snprintf(c->mnt, sizeof c->mnt, "/var/tmp/fanmc-dir-XXXXXX");
  if (!mkdtemp(c->mnt)) {
    set_err(err, errlen, "mkdtemp: %s", strerror(errno));
    return -1;
  }
  c->dir_made = 1;
  struct statfs sf;
  if (statfs(c->mnt, &sf) != 0 || sf.f_type != KP_EXT4_SUPER_MAGIC) {
    set_err(err, errlen, "/var/tmp is not ext4 (f_type 0x%lx)", (unsigned long)sf.f_type);
    return -1;
  }
  return 0;
}

/* The executable an exec target is a copy of: a small program that exits 0 at once. */
static const char *exec_source(void) {
  static const char *const candidates[] = {"/bin/true", "/usr/bin/true"};
  for (size_t i = 0; i < sizeof candidates / sizeof candidates[0]; i++)
    if (access(candidates[i], X_OK) == 0) return candidates[i];
  return NULL;
}

/* Fills `fd` (file f, an exec target) with a copy of /bin/true padded to the spec's size. */
static int write_exec_copy(struct kp_shared *S, int f, int fd, char *err, size_t errlen) {
  const char *src = exec_source();
  if (!src) {
    set_err(err, errlen, "exec target %s: no /bin/true to copy", S->paths[f]);
    return -1;
  }
  int in = open(src, O_RDONLY | O_CLOEXEC);
  struct stat st;
  if (in < 0 || fstat(in, &st) != 0 || !S_ISREG(st.st_mode)) {
    set_err(err, errlen, "exec target %s: cannot read %s: %s", S->paths[f], src,
            in < 0 ? strerror(errno) : "not a regular file");
    if (in >= 0) close(in);
    return -1;
  }
  uint8_t chunk[65536];
  off_t done = 0;
  int ok = 1;
  while (ok) {
    ssize_t n = read(in, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) ok = 0;
    if (n <= 0) break;
    ok = pwrite(fd, chunk, (size_t)n, done) == n;
    done += n;
  }
  int saved = errno;
  close(in);
  /* Cut or padded to the scenario's size: a binary cut short fails as the model's does. */
  off_t want = (off_t)S->plan.files[f].size;
  if (ok && done > want)
    caller_note(&S->result, "exec target %s: %s is %lld bytes, cut to its %lld",
                S->plan.files[f].name, src, (long long)done, (long long)want);
  if (ok) ok = ftruncate(fd, want) == 0;
  if (ok) ok = fchmod(fd, 0755) == 0;
  if (!ok) {
    set_err(err, errlen, "exec target %s: copy of %s failed: %s", S->paths[f], src,
            strerror(saved ? saved : errno));
    return -1;
  }
  return 0; /* its stub bits stay clear: a fill action never overwrites the binary */
}

static int create_files(struct kp_shared *S, char *err, size_t errlen) {
  const struct kp_plan *P = &S->plan;
  uint8_t page[KP_PAGE_SIZE];
  for (int f = 0; f < P->file_count; f++) {
    for (int p = 0; p < KP_MAX_PAGES; p++) atomic_store(&S->origin[f][p], p);
    if ((size_t)snprintf(S->paths[f], PATH_MAX, "%s/%s", S->dir, P->files[f].name) >= PATH_MAX) {
      set_err(err, errlen, "path too long");
      return -1;
    }
    int fd = open(S->paths[f], O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) {
      set_err(err, errlen, "create %s: %s", S->paths[f], strerror(errno));
      return -1;
    }
    if (S->exec_target[f] && write_exec_copy(S, f, fd, err, errlen) != 0) {
      close(fd);
      return -1;
    }
    /* The exact size first: stub and hole pages stay holes, the last page may be partial. */
    int64_t size = P->files[f].size;
    int ok = S->exec_target[f] || ftruncate(fd, (off_t)size) == 0;
    for (int p = 0; ok && !S->exec_target[f] && p < P->files[f].page_count; p++) {
      int c = P->files[f].content[p];
      int64_t len = size - (int64_t)p * KP_PAGE_SIZE;
      if (len > KP_PAGE_SIZE) len = KP_PAGE_SIZE;
      if (c == KP_PAGE_REMOTE) set_kind(S, f, p * KP_PAGE_SIZE, p * KP_PAGE_SIZE + len, KP_BYTE_STUB);
      if (c != KP_PAGE_FILLED && c != KP_PAGE_WRITTEN) continue;
      memset(page, c == KP_PAGE_FILLED ? KP_SOURCE_BYTE(f, p) : KP_WRITTEN_BYTE, (size_t)len);
      ok = pwrite(fd, page, (size_t)len, (off_t)p * KP_PAGE_SIZE) == (ssize_t)len;
    }
    ok = ok && fsync(fd) == 0;
    posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
    struct stat st;
    ok = ok && fstat(fd, &st) == 0;
    if (ok) {
      S->inodes[f] = (uint64_t)st.st_ino;
      S->dev = (uint64_t)st.st_dev;
    }
    int saved = errno;
    close(fd);
    if (!ok) {
      set_err(err, errlen, "write %s: %s", S->paths[f], strerror(saved));
      return -1;
    }
  }
  return 0;
}

static int valid_name(const char *name) {
  size_t n = strnlen(name, KP_MAX_NAME);
  if (n == 0 || n >= KP_MAX_NAME) return 0;
  if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0 || strcmp(name, "lost+found") == 0)
    return 0;
  return strchr(name, '/') == NULL;
}

static int validate_mark(const struct kp_plan *P, const struct kp_mark *m) {
  if (m->group < 0 || m->group >= P->group_count) return 0;
  if (m->object < KP_OBJ_INODE || m->object > KP_OBJ_FILESYSTEM) return 0;
  if (m->object == KP_OBJ_INODE && (m->file < 0 || m->file >= P->file_count)) return 0;
  return 1;
}

static int validate_plan(const struct kp_plan *P, char *err, size_t errlen, int *uses_sb_marks,
                         int *uses_freeze) {
  *uses_sb_marks = 0;
  *uses_freeze = 0;
  if (P->file_count < 0 || P->file_count > KP_MAX_FILES) {
    set_err(err, errlen, "%d files (limit %d)", P->file_count, KP_MAX_FILES);
    return -1;
  }
  for (int f = 0; f < P->file_count; f++) {
    if (!valid_name(P->files[f].name)) {
      set_err(err, errlen, "file %d: unusable name", f);
      return -1;
    }
    for (int g = 0; g < f; g++)
      if (strcmp(P->files[g].name, P->files[f].name) == 0) {
        set_err(err, errlen, "files %d and %d have the same name", g, f);
        return -1;
      }
    const struct kp_file *F = &P->files[f];
    if (F->page_count < 0 || F->page_count > KP_MAX_PAGES) {
      set_err(err, errlen, "file %d: %d pages (limit %d)", f, F->page_count, KP_MAX_PAGES);
      return -1;
    }
    if (F->size < 0 || (F->size + KP_PAGE_SIZE - 1) / KP_PAGE_SIZE != F->page_count) {
      set_err(err, errlen, "file %d: size %lld does not span its %d pages", f,
              (long long)F->size, F->page_count);
      return -1;
    }
    if (F->max_size < F->size ||
        (F->max_size + KP_PAGE_SIZE - 1) / KP_PAGE_SIZE > KP_MAX_PAGES) {
      set_err(err, errlen, "file %d: max size %lld (size %lld, limit %d pages)", f,
              (long long)F->max_size, (long long)F->size, KP_MAX_PAGES);
      return -1;
    }
  }
  if (P->group_count < 0 || P->group_count > KP_MAX_GROUPS) {
    set_err(err, errlen, "%d groups (limit %d)", P->group_count, KP_MAX_GROUPS);
    return -1;
  }
  for (int g = 0; g < P->group_count; g++) {
    const struct kp_group *G = &P->groups[g];
    int bad = G->sequence_count < 0 || G->sequence_count > KP_MAX_SEQUENCE;
    for (int k = 0; k < KP_KIND_COUNT; k++) {
      if (G->action_count[k] < 0 || G->action_count[k] > KP_MAX_ACTIONS) bad = 1;
      for (int n = 0; n < KP_MAX_SEQUENCE; n++)
        if (G->sequence_action_count[n][k] < 0 ||
            G->sequence_action_count[n][k] > KP_MAX_ACTIONS)
          bad = 1;
    }
    if (bad) {
      set_err(err, errlen, "group %d: too many listener actions (limit %d, %d by order)", g,
              KP_MAX_ACTIONS, KP_MAX_SEQUENCE);
      return -1;
    }
    uint32_t access = G->event_f_flags & O_ACCMODE;
    if ((G->event_f_flags & ~(uint32_t)O_ACCMODE) != 0 || access == O_ACCMODE) {
      set_err(err, errlen, "group %d: event_f_flags 0x%x (O_RDONLY, O_WRONLY or O_RDWR)", g,
              G->event_f_flags);
      return -1;
    }
  }
  if (P->mark_count < 0 || P->mark_count > KP_MAX_MARKS) {
    set_err(err, errlen, "%d setup marks (limit %d)", P->mark_count, KP_MAX_MARKS);
    return -1;
  }
  for (int i = 0; i < P->mark_count; i++) {
    if (!validate_mark(P, &P->marks[i])) {
      set_err(err, errlen, "setup mark %d: bad group/object/file", i);
      return -1;
    }
    if (P->marks[i].object >= KP_OBJ_MOUNT) *uses_sb_marks = 1;
  }
  if (P->task_count < 0 || P->task_count > KP_MAX_TASKS) {
    set_err(err, errlen, "%d tasks (limit %d)", P->task_count, KP_MAX_TASKS);
    return -1;
  }
  for (int t = 0; t < P->task_count; t++) {
    const struct kp_task *T = &P->tasks[t];
    if (T->count < 0 || T->count > KP_MAX_INSTRUCTIONS) {
      set_err(err, errlen, "task %d: %d instructions (limit %d)", t, T->count,
              KP_MAX_INSTRUCTIONS);
      return -1;
    }
    for (int k = 0; k < T->count; k++) {
      const struct kp_instruction *in = &T->instr[k];
      int bad = 0;
      int uses_slot = in->op != KP_OP_TRUNCATE && in->op != KP_OP_FANOTIFY_MARK &&
                      in->op != KP_OP_FREEZE && in->op != KP_OP_THAW && in->op != KP_OP_KILL &&
                      in->op != KP_OP_EXEC;
      if (uses_slot && (in->slot < 0 || in->slot >= KP_MAX_SLOTS)) bad = 1;
      switch (in->op) {
      case KP_OP_OPEN:
      case KP_OP_TRUNCATE:
      case KP_OP_EXEC:
        if (in->file < 0 || in->file >= P->file_count) bad = 1;
        break;
      case KP_OP_READ:
      case KP_OP_PREAD:
      case KP_OP_WRITE:
      case KP_OP_PWRITE:
        if (in->count < 0 || in->count > KP_MAX_IO) bad = 1;
        break;
      case KP_OP_READV:
      case KP_OP_PREADV:
      case KP_OP_WRITEV: {
        int64_t total = 0;
        if (in->iov_count < 0 || in->iov_count > KP_MAX_IOV) bad = 1;
        for (int i = 0; !bad && i < in->iov_count; i++) {
          if (in->iov[i] < 0) bad = 1;
          total += in->iov[i];
        }
        if (total > KP_MAX_IO) bad = 1;
        break;
      }
      case KP_OP_MMAP:
      case KP_OP_LOAD:
      case KP_OP_STORE:
      case KP_OP_MADVISE_WILLNEED:
        if (in->map < 0 || in->map >= KP_MAX_SLOTS) bad = 1;
        break;
      case KP_OP_FADVISE:
      case KP_OP_READAHEAD:
        if (in->offset < 0 || in->count < 0) bad = 1;
        break;
      case KP_OP_SPLICE_TO_PIPE:
        if (in->count < 0) bad = 1;
        break;
      case KP_OP_SPLICE_FROM_PIPE:
        if (in->count < 0 || in->count > KP_MAX_PIPE) bad = 1;
        break;
      case KP_OP_SENDFILE:
      case KP_OP_COPY_FILE_RANGE:
      case KP_OP_CLONE:
      case KP_OP_DEDUPE:
        if (in->slot2 < 0 || in->slot2 >= KP_MAX_SLOTS) bad = 1;
        break;
      case KP_OP_MREMAP:
        if (in->map < 0 || in->map >= KP_MAX_SLOTS || in->count <= 0) bad = 1;
        break;
      case KP_OP_FANOTIFY_MARK:
        bad = !validate_mark(P, &in->mark);
        if (!bad && in->mark.object >= KP_OBJ_MOUNT) *uses_sb_marks = 1;
        break;
      case KP_OP_FREEZE:
      case KP_OP_THAW:
        *uses_freeze = 1;
        break;
      case KP_OP_KILL:
        if (in->target < 0 || in->target >= P->task_count) bad = 1;
        break;
      case KP_OP_FTRUNCATE:
      case KP_OP_FALLOCATE:
      case KP_OP_CLOSE:
        break;
      default:
        bad = 1;
      }
      if (bad) {
        set_err(err, errlen, "task %d instruction %d: not expressible (op %d, limits: %d slots, "
                "%d iovecs, %d bytes per transfer, %d per splice from a pipe)", t, k, in->op,
                KP_MAX_SLOTS, KP_MAX_IOV, KP_MAX_IO, KP_MAX_PIPE);
        return -1;
      }
    }
  }
  return 0;
}

static void assemble(struct kp_shared *S, struct kp_result *out, int killed) {
  const struct kp_plan *P = &S->plan;
  struct kp_result *r = &S->result;
  r->call_count = 0;
  for (int t = 0; t < P->task_count; t++) {
    int state = atomic_load(&S->task_state[t]);
    int blocked_at = atomic_load(&S->blocked_at[t]);
    int prog = atomic_load(&S->progress[t]);
    for (int k = 0; k < P->tasks[t].count; k++) {
      struct kp_call *c = &r->calls[r->call_count++];
      memset(c, 0, sizeof *c);
      c->task = t;
      c->instruction = k;
      c->observed_count = -1;
      const struct raw_call *rc = &S->raw[t][k];
      int done = atomic_load(&rc->done);
      if (state == TS_BLOCKED && k >= blocked_at) done = 0;
      if (done && rc->killed) {
        c->status = KP_STATUS_KILLED;
        c->value = rc->killed;
      } else if (done) {
        c->status = rc->ret < 0 ? KP_STATUS_ERROR : KP_STATUS_OK;
        c->value = rc->ret < 0 ? -1 : rc->ret;
        c->err = rc->err;
        c->observed_count = rc->observed_count;
        c->observed_first_page = rc->observed_first_page;
        if (rc->observed_count > 0)
          memcpy(c->observed, rc->observed, (size_t)rc->observed_count);
        if (rc->mixed)
          caller_note(r, "task %d instruction %d: a page read held mixed or foreign bytes", t, k);
      } else if (state == TS_BLOCKED && k == blocked_at) {
        c->status = KP_STATUS_BLOCKED;
        if (atomic_load(&rc->done)) {
          const char *when = rc->in_teardown ? "during teardown" : "after its timeout";
          if (rc->ret < 0)
            caller_note(r, "task %d instruction %d returned %s: -1 %s", t, k, when,
                        strerror(rc->err));
          else
            caller_note(r, "task %d instruction %d returned %s: %lld", t, k, when,
                        (long long)rc->ret);
        }
      } else if (killed && state == TS_RUNNING && k == prog) {
        c->status = KP_STATUS_BLOCKED;
        caller_note(r, "task %d instruction %d: still running when the scenario was killed", t,
                    k);
      } else {
        c->status = KP_STATUS_NOT_RUN;
      }
    }
  }
  memcpy(out, r, sizeof *out);
}

/* ======================================================================================
 * Public entry points
 * ====================================================================================== */

struct kp_plan *kp_plan_new(void) { return calloc(1, sizeof(struct kp_plan)); }
void kp_plan_free(struct kp_plan *plan) { free(plan); }
struct kp_result *kp_result_new(void) { return calloc(1, sizeof(struct kp_result)); }
void kp_result_free(struct kp_result *result) { free(result); }

int kp_available(char *reason, size_t len) {
  if (geteuid() != 0) {
    set_err(reason, len, "not root (fanotify permission classes need CAP_SYS_ADMIN)");
    return 0;
  }
  int g = fan_init(KP_CLASS_PRE_CONTENT | KP_FAN_CLOEXEC | KP_FAN_NONBLOCK, O_RDWR | O_LARGEFILE);
  if (g < 0) {
    set_err(reason, len, "fanotify_init(FAN_CLASS_PRE_CONTENT) failed: %s", strerror(errno));
    return 0;
  }
  char path[] = "/var/tmp/fanmc-avail-XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) {
    set_err(reason, len, "cannot create a file in /var/tmp: %s", strerror(errno));
    close(g);
    return 0;
  }
  struct statfs sf;
  int is_ext4 = fstatfs(fd, &sf) == 0 && sf.f_type == KP_EXT4_SUPER_MAGIC;
  close(fd);
  int ok = 1;
  if (!is_ext4) {
    set_err(reason, len, "/var/tmp is not ext4 (f_type 0x%lx)", (unsigned long)sf.f_type);
    ok = 0;
  } else if (fan_mark(g, KP_FAN_MARK_ADD, KP_FAN_PRE_ACCESS, AT_FDCWD, path) != 0) {
    int e = errno;
    set_err(reason, len, "fanotify_mark(FAN_PRE_ACCESS) on an ext4 file failed: %s%s",
            strerror(e), e == EINVAL ? " (kernel without pre-content events?)" : "");
    ok = 0;
  }
  close(g); /* closing the group removes the mark */
  unlink(path);
  return ok;
}

/* Reads each file back once every task and group is gone: its size and each page's class. */
static void capture_final(struct kp_shared *S, struct kp_result *out) {
  static uint8_t page[KP_PAGE_SIZE];
  for (int f = 0; f < KP_MAX_FILES; f++) out->final_size[f] = -1;
  for (int f = 0; f < S->plan.file_count; f++) {
    if (S->exec_target[f]) continue;
    int fd = open(S->paths[f], O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
      if (fd >= 0) close(fd);
      caller_note(out, "final content of %s: %s", S->paths[f], strerror(errno));
      continue;
    }
    int64_t pages = ((int64_t)st.st_size + KP_PAGE_SIZE - 1) / KP_PAGE_SIZE;
    int ok = pages <= KP_MAX_PAGES;
    for (int64_t p = 0; ok && p < pages; p++) {
      int64_t len = (int64_t)st.st_size - p * KP_PAGE_SIZE;
      if (len > KP_PAGE_SIZE) len = KP_PAGE_SIZE;
      ok = pread(fd, page, (size_t)len, (off_t)(p * KP_PAGE_SIZE)) == (ssize_t)len;
      int mixed = 0;
      if (ok)
        out->final_pages[f][p] =
            (uint8_t)classify_page(S, f, p, p * KP_PAGE_SIZE, page, (size_t)len, &mixed);
    }
    close(fd);
    if (ok) out->final_size[f] = (int64_t)st.st_size;
    else caller_note(out, "final content of %s: cannot read it back", S->paths[f]);
  }
}

/* Removes a run's directory on a session's filesystem and what is in it. */
static void remove_case_dir(const char *dir, struct kp_result *r) {
  DIR *d = opendir(dir);
  if (d) {
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
      if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0) continue;
      if (unlinkat(dirfd(d), de->d_name, 0) != 0 && r)
        caller_note(r, "remove %s/%s: %s", dir, de->d_name, strerror(errno));
    }
    closedir(d);
  }
  if (rmdir(dir) != 0 && r) caller_note(r, "rmdir %s: %s", dir, strerror(errno));
}

struct kp_session {
  struct fsctx fs;
  int runs;
};

struct kp_session *kp_session_open(char *err, size_t errlen) {
  char why[256];
  if (!kp_available(why, sizeof why)) {
    set_err(err, errlen, "%s", why);
    return NULL;
  }
  struct kp_session *s = calloc(1, sizeof *s);
  if (!s) {
    set_err(err, errlen, "out of memory");
    return NULL;
  }
  if (make_private_fs(&s->fs, err, errlen) != 0) {
    fs_cleanup(&s->fs, NULL);
    free(s);
    return NULL;
  }
  return s;
}

int kp_session_close(struct kp_session *s, char *err, size_t errlen) {
  if (!s) return 0;
  fs_cleanup(&s->fs, NULL);
  struct stat st;
  int left = stat(s->fs.image, &st) == 0 || stat(s->fs.mnt, &st) == 0;
  if (left) set_err(err, errlen, "could not remove %s or %s", s->fs.image, s->fs.mnt);
  free(s);
  return left ? -1 : 0;
}

int kp_run(const struct kp_plan *plan, struct kp_result *result, char *err, size_t errlen) {
  return kp_run_in(NULL, plan, result, err, errlen);
}

int kp_run_in(struct kp_session *session, const struct kp_plan *plan, struct kp_result *result,
              char *err, size_t errlen) {
  if (!plan || !result) {
    set_err(err, errlen, "null plan or result");
    return KP_ERR_INTERNAL;
  }
  memset(result, 0, sizeof *result);
  char why[256];
  if (!kp_available(why, sizeof why)) {
    set_err(err, errlen, "%s", why);
    return KP_ERR_UNAVAILABLE;
  }
  int uses_sb_marks = 0, uses_freeze = 0;
  if (validate_plan(plan, err, errlen, &uses_sb_marks, &uses_freeze) != 0) return KP_ERR_PLAN;
  for (int g = 0; g < plan->group_count; g++)
    if (plan->groups[g].queue_limit < 0) {
      set_err(err, errlen, "group %d: negative queue limit", g);
      return KP_ERR_PLAN;
    }

  struct kp_shared *S = mmap(NULL, sizeof *S, PROT_READ | PROT_WRITE,
                             MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (S == MAP_FAILED) {
    set_err(err, errlen, "mmap shared state: %s", strerror(errno));
    return KP_ERR_INTERNAL;
  }
  /* A fresh anonymous mapping is zero-filled: no memset of its megabytes. */
  memcpy(&S->plan, plan, sizeof *plan);
  S->uses_freeze = uses_freeze;
  S->op_timeout = plan->op_timeout > 0 ? plan->op_timeout : 2.0;
  S->scenario_timeout = plan->scenario_timeout > 0 ? plan->scenario_timeout : 30.0;
  for (int g = 0; g < KP_MAX_GROUPS; g++) atomic_store(&S->group_fd[g], -1);
  for (int t = 0; t < KP_MAX_TASKS; t++) {
    atomic_store(&S->task_pid[t], -1);
    atomic_store(&S->blocked_at[t], -1);
    atomic_store(&S->exec_pid[t], -1);
    atomic_store(&S->exec_live[t], -1);
  }
  for (int t = 0; t < plan->task_count; t++)
    for (int k = 0; k < plan->tasks[t].count; k++)
      if (plan->tasks[t].instr[k].op == KP_OP_EXEC)
        S->exec_target[plan->tasks[t].instr[k].file] = 1; /* validated: a file index */

  struct fsctx fs;
  memset(&fs, 0, sizeof fs);
  int rc = KP_OK;
  char fserr[256] = "";
  char case_dir[PATH_MAX] = "";
  if (session && plan->fs_type == KP_FS_EXT4 && !plan->no_private_fs) {
    if ((size_t)snprintf(case_dir, sizeof case_dir, "%s/run-%d", session->fs.mnt,
                         session->runs++) >= sizeof case_dir ||
        mkdir(case_dir, 0755) != 0) {
      set_err(err, errlen, "mkdir %s: %s", case_dir, strerror(errno));
      case_dir[0] = 0;
      rc = KP_ERR_INTERNAL;
      goto out;
    }
    snprintf(fs.mnt, sizeof fs.mnt, "%s", case_dir);
    S->result.private_fs = 1;
  } else if (plan->fs_type == KP_FS_TMPFS) {
    if (make_tmpfs(&fs, err, errlen) != 0) {
      rc = KP_ERR_UNAVAILABLE;
      goto out;
    }
    S->result.private_fs = 1;
  } else if (plan->fs_type != KP_FS_EXT4) {
    set_err(err, errlen, "unknown filesystem type %d", plan->fs_type);
    rc = KP_ERR_PLAN;
    goto out;
  } else if (!plan->no_private_fs && make_private_fs(&fs, fserr, sizeof fserr) == 0) {
    S->result.private_fs = 1;
  } else {
    if (!plan->no_private_fs) {
      fs_cleanup(&fs, NULL);
      memset(&fs, 0, sizeof fs);
    }
    if (uses_sb_marks || uses_freeze) {
      set_err(err, errlen, "%s need%s a private filesystem, which is unavailable (%s)",
              uses_sb_marks ? "mount/filesystem marks" : "FIFREEZE/FITHAW",
              uses_sb_marks ? "" : "s", plan->no_private_fs ? "disabled by the plan" : fserr);
      rc = KP_ERR_PLAN;
      goto out;
    }
    if (make_plain_dir(&fs, err, errlen) != 0) {
      rc = KP_ERR_UNAVAILABLE;
      goto out;
    }
    caller_note(&S->result, "no private filesystem (%s); using directory %s",
                plan->no_private_fs ? "disabled by the plan" : fserr, fs.mnt);
  }
  snprintf(S->dir, sizeof S->dir, "%s", fs.mnt);
  if (create_files(S, err, errlen) != 0) {
    rc = KP_ERR_INTERNAL;
    goto out;
  }

  pid_t caller = getpid();
  pid_t pid = fork();
  if (pid < 0) {
    set_err(err, errlen, "fork: %s", strerror(errno));
    rc = KP_ERR_INTERNAL;
    goto out;
  }
  if (pid == 0) {
    if (getppid() != caller) _exit(97);
    supervisor_main(S);
    _exit(0);
  }
  setpgid(pid, pid); /* both sides set it; whichever runs first wins the race harmlessly */
  int status = 0, killed = 0;
  double until = now_seconds() + S->scenario_timeout + 3.0;
  for (;;) {
    pid_t w = waitpid(pid, &status, WNOHANG);
    if (w == pid) break;
    /* ECHILD: the caller ignores SIGCHLD (children are auto-reaped); poll for existence. */
    if (w < 0 && errno == ECHILD && (atomic_load(&S->supervisor_done) || kill(pid, 0) != 0)) {
      while (kill(pid, 0) == 0 && now_seconds() < until) sleep_ms(2);
      break;
    }
    if (w < 0 && errno != EINTR && errno != ECHILD) break;
    if (now_seconds() > until) {
      killed = 1;
      kill(-pid, SIGKILL);
      kill(pid, SIGKILL);
      if (S->uses_freeze) thaw_all(S->dir);
      if (wait_child(pid, 10, &status) != 0)
        caller_note(&S->result, "supervisor %d did not exit after SIGKILL", (int)pid);
      break;
    }
    sleep_ms(2);
  }
  kill(-pid, SIGKILL); /* any task child the supervisor could not reap */
  if (killed) {
    result->timed_out = 1;
    caller_note(&S->result, "scenario timeout (%.0f s): probe killed", S->scenario_timeout);
  } else if (!atomic_load(&S->supervisor_done)) {
    killed = 1;
    caller_note(&S->result, "supervisor ended abnormally (status 0x%x)", status);
  }
  int timed_out = result->timed_out;
  assemble(S, result, killed);
  result->timed_out = timed_out;
  result->private_fs = S->result.private_fs;
  if (killed)
    for (int f = 0; f < KP_MAX_FILES; f++) result->final_size[f] = -1;
  else
    capture_final(S, result);

out:
  if (rc != KP_OK) memset(result, 0, sizeof *result);
  if (case_dir[0]) {
    thaw_all(session->fs.mnt);
    remove_case_dir(case_dir, rc == KP_OK ? result : NULL);
  } else {
    fs_cleanup(&fs, rc == KP_OK ? result : NULL);
  }
  munmap(S, sizeof *S);
  return rc;
}
