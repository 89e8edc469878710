/*
 * kernel_probe.h — live-kernel conformance probe for fanmc (fanotify pre-content hooks).
 *
 * The caller fills a `struct kp_plan` (files, groups with per-event-kind listener actions, setup
 * marks, tasks with instructions) and calls kp_run(). The probe:
 *   1. makes a private ext4 filesystem (image file under /var/tmp, mkfs.ext4, loop device,
 *      mount on a fresh directory); if that is impossible it falls back to a fresh directory on
 *      an ext4 filesystem and refuses plans with mount/filesystem marks;
 *   2. creates the files with their exact byte sizes (page contents below), fsyncs them and
 *      drops their page cache;
 *   3. forks a supervisor process (its own process group) that creates the fanotify groups,
 *      adds the setup marks, starts one listener thread per group with a listener, and runs the
 *      tasks one after another, each in a forked child;
 *   4. waits for the supervisor at most `scenario_timeout` seconds (killing it and all its
 *      children on expiry), copies the results out, unmounts and deletes everything.
 * Nothing blocks the caller longer than the scenario timeout plus a few seconds of cleanup.
 *
 * Page patterns (deterministic, documented for the comparison layer):
 *   source pattern of page p of file f: every byte = 0x40 + ((f * 16 + p) % 64)   (0x40..0x7f)
 *   written pattern (initial `.written` pages and every task write): every byte = 0xEE
 *   `.remote` and `.hole` pages are holes (read as zeros).
 *
 * Sizes: a file is created with `size` bytes (ftruncate), so its last page may be partial and a
 * size-0 file is empty; `.filled` and `.written` pages get their pattern only up to `size`
 * (page_count = the pages `size` spans, one content value each). During the run the file may
 * grow (writes, ftruncate, fallocate) up to `max_size` bytes, the model's bound; every per-page
 * array is sized KP_MAX_PAGES, which covers the largest bound (2 * 128 pages). The probe keeps,
 * per byte of the current file, what its data cannot tell: whether it still holds an unfilled
 * stub (set for `.remote` pages at creation, cleared when the fill action writes it, when a task
 * writes it, when a truncate or an O_TRUNC open cuts it off, and when PUNCH_HOLE or ZERO_RANGE
 * covers it) and whether a task wrote it (zeros copied from a hole are still written data);
 * COLLAPSE_RANGE and INSERT_RANGE shift both with the bytes. Grown bytes are holes. The fill
 * action fills exactly the stub bytes of the event's range, up to the file's initial size (its
 * source's), as the model's fill listener does; reads classify zeros (`.remote`, `.written` or
 * `.hole`) by it. Likewise it keeps which page's source pattern each page holds (its own until
 * a collapse or insert moves pages), so a moved page is filled with, and read back as, its own
 * pattern (`.filled`, not foreign bytes). After the run the caller reads every file back
 * (kp_result.final_size, final_pages).
 *
 * Limits are the KP_MAX_* constants; kp_run rejects plans that exceed them.
 *
 * Schedule: tasks run one after another; a call that does not return within `op_timeout` is
 * BLOCKED and the rest of its task is NOT_RUN (the child stays blocked until teardown). Finished
 * children stay alive (fds open, mappings mapped) until teardown. Listener actions that may wait
 * on the listener's own group (ftruncate of the event fd, reads through a normal fd) run on a
 * helper thread; past `op_timeout` the listener is considered stuck and reads nothing more.
 * Teardown: thaw the private fs, stop listeners, read (without answering) what is left in every
 * group's queue (events flagged read_at_teardown), SIGKILL the task children, close the groups.
 *
 * Draining (the model's eager listeners): after each instruction the task child waits (bounded)
 * until the supervisor has seen every group with a running listener drained — its queue empty
 * (FIONREAD 0) and its listener done with the last event it read — before it runs the next
 * instruction. Likewise a listener writes a response only once every other group with a running
 * listener is drained. So each notification event is read before the same task causes the next
 * one, and the kernel never merges two of them (fanotify_merge joins only events still queued),
 * as the model's deterministic trace, whose listeners read every event at once, has it. Several
 * notification events of one file within one syscall with no permission event between them (an
 * exec of a binary no pre-content group watches: OPEN_EXEC|OPEN, then an ACCESS per header
 * read) may still merge. Groups without a listener are never drained: the kernel merges their
 * notification events until teardown reads them.
 * Groups use FAN_UNLIMITED_QUEUE unless queue_limit > 0, which is applied by setting
 * fs.fanotify.max_queued_events around fanotify_init (under flock) and restoring it at once.
 * FIFREEZE/FITHAW and mount/filesystem marks are only allowed on a private filesystem.
 *
 * exec (KP_OP_EXEC): every file that is the target of an exec instruction is created (before
 * the marks, page cache dropped like the others) as a mode-0755 copy of /bin/true (a small
 * dynamic executable exiting 0; its interpreter lives on the unmarked root filesystem), padded
 * with zeros to `size` bytes, or cut to it (a note says so; the exec then fails as a cut
 * binary does). Its page classes are ignored: its pages hold the binary, count as present (a fill action
 * never overwrites them) and read back as foreign bytes. The task child forks a grandchild
 * (PR_SET_PDEATHSIG SIGKILL) that asks to be traced (PTRACE_TRACEME) and calls execve(path,
 * {"fanmc-exec", NULL}, {PATH=..., NULL}); on failure it writes errno to a CLOEXEC pipe and
 * _exit(127)s. A successful execve stops it with SIGTRAP before the new image runs a single
 * instruction: every event of the exec has happened, and the image stays loaded, holding the
 * binary as a running executable (exe_file's write denial, B20) until teardown, as the model's
 * task goes on as that image. The child waits for it (polling, bounded; the supervisor applies
 * the per-op timeout as for any call) and reports: -1 with execve's errno; 0 when it stopped
 * after a successful execve (or exited 0); KP_STATUS_KILLED with the signal when it died of one
 * (a denied segment mapping after the point of no return: bprm_execve's force_fatal_sig
 * (SIGSEGV), which stops the traced grandchild like any signal and which the child then passes
 * on with PTRACE_CONT), after which the task child runs no more instructions (the model's task
 * died); another exit status with a note. Events the
 * grandchild causes (pid = the grandchild's tgid) are attributed to the task and its exec
 * instruction. A grandchild still alive at teardown is SIGKILLed (after the queues are drained)
 * with the task children; the supervisor is a child subreaper so orphaned grandchildren are
 * reaped by it.
 *
 * splice (KP_OP_SPLICE_TO_PIPE, KP_OP_SPLICE_FROM_PIPE): the task child makes a pipe of its own
 * (pipe2 O_CLOEXEC, both ends blocking during the splice) whose capacity F_SETPIPE_SZ raises to
 * the pages the transfer spans (at least the default 64 KiB, at most KP_MAX_PIPE). To pipe:
 * splice(fd, &off, pipe[1], NULL, count, 0) with loff_t off = offset; the bytes it moved are then
 * drained (non-blocking) and classified like a read's (observed pages from `offset`); a count
 * above the capacity may return short (a note says so). From pipe: `count` (<= KP_MAX_PIPE)
 * bytes of the written pattern are first written into the pipe (non-blocking write end), then
 * splice(pipe[0], NULL, fd, &off, count, 0). Either reports splice's return value or -1/errno;
 * the pipe is closed afterwards. If the pipe setup itself fails the call reports -1 with that
 * errno and a note says so.
 */
/*
 * faults (KP_OP_LOAD, KP_OP_STORE): mmap maps PROT_READ, plus PROT_WRITE when the fd is O_RDWR
 * (the model's writable mapping). A load or store touches one byte of a mapping made by an
 * earlier mmap instruction of the same task. The mapping's VMA covers round_up(length, 4096):
 * an offset outside it (negative, or at or past that end), or any offset of a slot whose mmap
 * failed, is reported as -1 with errno 139
 * (128 + SIGSEGV, the model's SIGSEGV result) without touching memory, since whatever lies
 * there may be mapped by someone else. Any other access touches the byte for real; a signal it
 * raises is caught (sigsetjmp) and reported as -1 with errno 128 + the signal: 135 (SIGBUS, a
 * page wholly past EOF) or 139 (SIGSEGV, a store through a mapping without PROT_WRITE). A
 * loaded byte is classified like a read's (one observed page).
 */
#ifndef KERNEL_PROBE_H
#define KERNEL_PROBE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define KP_PAGE_SIZE 4096
#define KP_MAX_FILES 8
#define KP_MAX_PAGES 256       /* per file, including growth up to max_size */
#define KP_MAX_NAME 64         /* file name length including NUL */
#define KP_MAX_GROUPS 4
#define KP_MAX_ACTIONS 8       /* per group and event kind */
#define KP_MAX_MARKS 16        /* setup marks */
#define KP_MAX_TASKS 8
#define KP_MAX_INSTRUCTIONS 32 /* per task */
#define KP_MAX_SLOTS 16        /* fd slots and mapping slots per task */
#define KP_MAX_IOV 8           /* iovecs per readv/preadv/writev */
#define KP_MAX_IO (KP_MAX_PAGES * KP_PAGE_SIZE + KP_PAGE_SIZE) /* bytes per read/write */
#define KP_MAX_EVENTS 256
#define KP_MAX_OBSERVED (KP_MAX_PAGES + 2) /* pages observed per read */
#define KP_MAX_NOTES 48
#define KP_NOTE_LEN 200
#define KP_WHERE_LEN 512
#define KP_MAX_PIPE (1024 * 1024) /* pipe capacity for splice; spliceFromPipe count limit */

#define KP_SOURCE_BYTE(f, p) ((uint8_t)(0x40 + (((f) * 16 + (p)) % 64)))
#define KP_WRITTEN_BYTE ((uint8_t)0xEE)

/* Page content classes (same order as KernelModel.PageContent's cases). */
enum kp_page {
  KP_PAGE_REMOTE = 0,
  KP_PAGE_FILLED = 1,
  KP_PAGE_WRITTEN = 2,
  KP_PAGE_HOLE = 3,
};

struct kp_file {
  char name[KP_MAX_NAME];
  int32_t page_count;            /* pages `size` spans: (size + 4095) / 4096 */
  int64_t size;                  /* initial i_size in bytes */
  int64_t max_size;              /* the largest i_size the scenario may reach (>= size) */
  uint8_t content[KP_MAX_PAGES]; /* enum kp_page, one per page of the initial size */
};

/* Event kinds a listener has action lists for. */
enum kp_kind {
  KP_KIND_OPEN_PERM = 0,      /* FAN_OPEN_PERM */
  KP_KIND_OPEN_EXEC_PERM = 1, /* FAN_OPEN_EXEC_PERM */
  KP_KIND_ACCESS_PERM = 2,    /* FAN_ACCESS_PERM */
  KP_KIND_PRE_ACCESS = 3,     /* FAN_PRE_ACCESS */
  KP_KIND_NOTIFY = 4,         /* any notification event (FAN_OPEN, FAN_ACCESS, FAN_CLOSE_*, …) */
  KP_KIND_COUNT = 5,
};

enum kp_action_kind {
  KP_ACT_FILL_RANGE = 1,       /* pwrite the source pattern of unfilled remote pages in range */
  KP_ACT_RESPOND = 2,          /* write {event fd, response} to the group fd */
  KP_ACT_CLOSE_EVENT_FD = 3,   /* close(event fd) */
  KP_ACT_FTRUNCATE_EVENT_FD = 4, /* ftruncate(event fd, current size); bounded wait (B14) */
  KP_ACT_READ_NORMAL_FD = 5,   /* open(path, O_RDONLY) + pread(range) + close; bounded (D1) */
  KP_ACT_CLOSE_GROUP = 6,      /* close(group fd); the listener stops */
  KP_ACT_READ_EVENT_FD = 7,    /* pread(event fd) of the file's initial size from 0 */
  KP_ACT_READ_FILE = 8,        /* open(file) + pread + close via a normal fd; bounded (D1) */
};

struct kp_action {
  int32_t kind;      /* enum kp_action_kind */
  uint32_t response; /* KP_ACT_RESPOND: the response word */
  int32_t has_fallback; /* KP_ACT_RESPOND: if the write fails, write `fallback` next */
  uint32_t fallback;
  int32_t file;         /* KP_ACT_READ_FILE: the plan's file index */
  int32_t fixed_range;  /* KP_ACT_READ_FILE: 1 to read [offset, offset + count), 0 the event's */
  int64_t offset, count;
};

/* fanotify_init class values. */
#define KP_CLASS_NOTIF 0x0
#define KP_CLASS_CONTENT 0x4
#define KP_CLASS_PRE_CONTENT 0x8

#define KP_MAX_SEQUENCE 16 /* events a listener may answer by their order (script listeners) */

/*
 * A group. Listener actions come by event kind; a listener that answers by event order has
 * `sequence_count` > 0: the n-th event the group delivers (counting from 0, every event read,
 * notification events and failed reads included, as the model's ListenerEvent.sequence) gets
 * `sequence_actions[n][kind]` while n < sequence_count, then `actions[kind]`.
 *
 * An event whose fd the kernel could not create (create_fd failed, e.g. ETXTBSY for a writable
 * event fd of a binary being executed, B20) gets no action at all: with FAN_REPORT_FD_ERROR the
 * listener reads it with the negative errno as its fd; without, its read() fails with that
 * errno (the event is gone, answered FAN_DENY by the kernel) and the listener goes on reading.
 */
struct kp_group {
  uint32_t fan_class;     /* KP_CLASS_* */
  uint32_t init_flags;    /* more fanotify_init flags (FAN_REPORT_PIDFD, FAN_REPORT_FD_ERROR, …);
                             the probe always adds FAN_CLOEXEC|FAN_NONBLOCK */
  uint32_t event_f_flags; /* O_RDONLY, O_WRONLY or O_RDWR; the probe adds O_LARGEFILE */
  int32_t has_listener;   /* 0: nobody reads the group until teardown */
  int32_t queue_limit;    /* 0: FAN_UNLIMITED_QUEUE; n > 0: max_events n (set through the
                             fs.fanotify.max_queued_events sysctl around fanotify_init) */
  int32_t action_count[KP_KIND_COUNT];
  struct kp_action actions[KP_KIND_COUNT][KP_MAX_ACTIONS];
  int32_t sequence_count; /* 0: actions by kind only */
  int32_t sequence_action_count[KP_MAX_SEQUENCE][KP_KIND_COUNT];
  struct kp_action sequence_actions[KP_MAX_SEQUENCE][KP_KIND_COUNT][KP_MAX_ACTIONS];
};

enum kp_object {
  KP_OBJ_INODE = 0,     /* the file's path */
  KP_OBJ_DIRECTORY = 1, /* the directory holding the files (inode mark) */
  KP_OBJ_MOUNT = 2,     /* FAN_MARK_MOUNT on that directory */
  KP_OBJ_FILESYSTEM = 3, /* FAN_MARK_FILESYSTEM on that directory */
};

/* fanotify_mark flags a mark request may carry besides the object type. */
#define KP_FAN_MARK_REMOVE 0x00000002 /* instead of FAN_MARK_ADD */
#define KP_FAN_MARK_IGNORED_MASK 0x00000020
#define KP_FAN_MARK_IGNORED_SURV_MODIFY 0x00000040
#define KP_FAN_MARK_IGNORE 0x00000400

struct kp_mark {
  int32_t group;
  int32_t object; /* enum kp_object */
  int32_t file;   /* KP_OBJ_INODE: file index */
  uint64_t mask;  /* FAN_* event bits */
  uint32_t flags; /* KP_FAN_MARK_* (0: a plain FAN_MARK_ADD of `mask`) */
};

enum kp_op {
  KP_OP_OPEN = 1,
  KP_OP_READ,
  KP_OP_PREAD,
  KP_OP_READV,
  KP_OP_PREADV,
  KP_OP_WRITE,
  KP_OP_PWRITE,
  KP_OP_WRITEV,
  KP_OP_FTRUNCATE,
  KP_OP_TRUNCATE,
  KP_OP_FALLOCATE,
  KP_OP_MMAP,
  KP_OP_SENDFILE,
  KP_OP_COPY_FILE_RANGE,
  KP_OP_CLOSE,
  KP_OP_FANOTIFY_MARK,
  KP_OP_FREEZE, /* ioctl(FIFREEZE) on the private filesystem (refused without one) */
  KP_OP_THAW,   /* ioctl(FITHAW) */
  KP_OP_KILL,   /* kill(task `target`, SIGKILL); a task not started yet never runs */
  KP_OP_EXEC,   /* execve(file `file`) in a forked grandchild; see "exec" above */
  KP_OP_SPLICE_TO_PIPE,   /* splice(fd, &offset, own pipe, NULL, count, 0); see "splice" */
  KP_OP_SPLICE_FROM_PIPE, /* splice(own pipe holding count bytes, NULL, fd, &offset, count, 0) */
  KP_OP_LOAD,  /* read one byte at maps[map] + offset; see "faults" */
  KP_OP_STORE, /* write KP_WRITTEN_BYTE at maps[map] + offset; see "faults" */
  KP_OP_FADVISE,          /* posix_fadvise(fd, offset, count, POSIX_FADV_WILLNEED) */
  KP_OP_READAHEAD,        /* readahead(fd, offset, count) */
  KP_OP_MADVISE_WILLNEED, /* madvise(maps[map], its length, MADV_WILLNEED) */
  KP_OP_CLONE,  /* ioctl(fds[slot2], FICLONE or, with count > 0 or offsets, FICLONERANGE, in slot) */
  KP_OP_DEDUPE, /* ioctl(fds[slot], FIDEDUPERANGE, {offset, count, fds[slot2], offset2}) */
  KP_OP_MREMAP, /* maps[map] = mremap(maps[map], its length, count, MREMAP_MAYMOVE) */
};

struct kp_instruction {
  int32_t op;         /* enum kp_op */
  int32_t slot;       /* fd slot (open: destination; sendfile: out; copy_file_range: in) */
  int32_t slot2;      /* sendfile: in slot; copy_file_range, clone, dedupe: out slot */
  int32_t file;       /* open, truncate, exec: file index */
  uint32_t flags;     /* open: O_* flags; fallocate: the FALLOC_FL_* mode word, passed as is */
  int32_t has_offset; /* sendfile: 1 = pass &offset, 0 = NULL */
  int64_t offset;     /* pread/preadv/pwrite/fallocate/mmap/sendfile/splice/copy (in) offset */
  int64_t offset2;    /* copy_file_range, clone, dedupe: out offset */
  int64_t count;      /* read/write/splice count, truncate length, fallocate/mmap length */
  int32_t map;        /* mmap: mapping slot */
  int32_t iov_count;  /* readv/preadv/writev */
  int64_t iov[KP_MAX_IOV];
  struct kp_mark mark; /* fanotify_mark */
  int32_t target;      /* kill: task index */
};

struct kp_task {
  int32_t count;
  struct kp_instruction instr[KP_MAX_INSTRUCTIONS];
};

struct kp_plan {
  int32_t file_count;
  struct kp_file files[KP_MAX_FILES];
  int32_t group_count;
  struct kp_group groups[KP_MAX_GROUPS];
  int32_t mark_count;
  struct kp_mark marks[KP_MAX_MARKS];
  int32_t task_count;
  struct kp_task tasks[KP_MAX_TASKS];
  double op_timeout;       /* seconds; <= 0 means 2 */
  double scenario_timeout; /* seconds; <= 0 means 30 */
  int32_t no_private_fs;   /* 1: skip the loop-mounted ext4 and use a directory under /var/tmp */
  int32_t fs_type;         /* KP_FS_EXT4 (private loop ext4) or KP_FS_TMPFS (private tmpfs) */
  /* 1: the deadlock schedule. Listeners read nothing until every task has returned or blocked;
   * then the blocked tasks get one more op timeout, together. Whatever still has not returned is
   * reported with where it sleeps (kp_result.task_where, listener_where), and the probe
   * recovers: SIGKILL of the tasks waiting killably for an answer, FITHAW of its own image. */
  int32_t hold_listeners;
};

#define KP_FS_EXT4 0
#define KP_FS_TMPFS 1

struct kp_event {
  int32_t group;
  uint64_t mask;       /* 0 when read_error is set (nothing was read) */
  int32_t has_range;
  uint64_t offset;
  uint64_t count;
  int32_t pid;         /* metadata pid (tgid) */
  int32_t task;        /* task whose child caused it; -1: the probe itself (listener actions) */
  int32_t instruction; /* that task's current instruction; -1 if unknown */
  int32_t file;        /* file index by inode; -1 unknown (directory, other) */
  int32_t responded;   /* a response was written (first KP_ACT_RESPOND) */
  uint32_t response;   /* that response word */
  int32_t response_errno; /* 0: the write succeeded; else its errno */
  int32_t read_at_teardown; /* read only while tearing down (listener absent/stopped); unanswered */
  int32_t fd_error;    /* create_fd's errno: metadata.fd was -errno (FAN_REPORT_FD_ERROR), or the
                          listener's read() failed with it (read_error); 0 otherwise */
  int32_t read_error;  /* 1: read() failed with fd_error, no metadata (mask, pid, range) known */
};

enum kp_status {
  KP_STATUS_NOT_RUN = 0,
  KP_STATUS_OK = 1,      /* returned >= 0 (value) */
  KP_STATUS_ERROR = 2,   /* returned -1 (err) */
  KP_STATUS_BLOCKED = 3, /* did not return within the per-op timeout */
  KP_STATUS_KILLED = 4,  /* exec: the new image was killed by signal `value` before it could run
                            (the task dies: the rest of its program is not run) */
};

struct kp_call {
  int32_t task;
  int32_t instruction;
  int32_t status; /* enum kp_status */
  int64_t value;
  int32_t err;
  int32_t observed_count;  /* -1: not a read/splice to pipe (or no data); else number of pages */
  int32_t observed_first_page;
  uint8_t observed[KP_MAX_OBSERVED]; /* enum kp_page */
};

struct kp_result {
  int32_t event_count;
  struct kp_event events[KP_MAX_EVENTS];
  int32_t call_count;
  struct kp_call calls[KP_MAX_TASKS * KP_MAX_INSTRUCTIONS];
  int32_t note_count;
  char notes[KP_MAX_NOTES][KP_NOTE_LEN];
  int32_t private_fs;  /* 1: ran on a private loop-mounted ext4 */
  int32_t timed_out;   /* the whole scenario hit scenario_timeout */
  /* Where each blocked task and each blocked listener thread slept before recovery: the
   * function names of /proc/PID/task/TID/stack, innermost first, separated by spaces (or
   * /proc/PID/wchan's one name when the stack is unavailable); empty when it was not blocked. */
  char task_where[KP_MAX_TASKS][KP_WHERE_LEN];
  int32_t listener_blocked[KP_MAX_GROUPS];
  char listener_where[KP_MAX_GROUPS][KP_WHERE_LEN];
  int32_t unrecovered; /* something blocked could not be released (the notes say what) */
  /* Each file after the run, read by the caller once every task and group is gone (so the read
   * causes no event): its size in bytes (-1: not captured: an exec target, or the run was
   * killed) and each page's class as a read classifies it (enum kp_page), up to the size. */
  int64_t final_size[KP_MAX_FILES];
  uint8_t final_pages[KP_MAX_FILES][KP_MAX_PAGES];
};

/* Return codes of kp_run. */
#define KP_OK 0
#define KP_ERR_UNAVAILABLE (-1) /* the kernel/privileges cannot run the probe (err says why) */
#define KP_ERR_PLAN (-2)        /* the plan cannot be expressed (too big, mount mark w/o private fs) */
#define KP_ERR_INTERNAL (-3)    /* setup failed (err says where) */

/* 1 if the probe can run here; else 0 and the reason. Bounded; leaves nothing behind. */
int kp_available(char *reason, size_t len);

/* Runs the plan. Returns KP_OK and fills *result, or a KP_ERR_* code with a message in err. */
int kp_run(const struct kp_plan *plan, struct kp_result *result, char *err, size_t errlen);

/* A private ext4 filesystem made once and shared by many runs (`fanmc conform --random`): each
 * run gets a fresh directory on it, removed afterwards, and the filesystem is thawed between
 * runs. Plans for tmpfs or without a private filesystem make their own as kp_run does. */
struct kp_session;
/* Makes the filesystem (image, mkfs.ext4, loop device, mount). NULL with err when it cannot. */
struct kp_session *kp_session_open(char *err, size_t errlen);
/* Thaws, unmounts and removes it. 0, or -1 with err saying what could not be removed. */
int kp_session_close(struct kp_session *session, char *err, size_t errlen);
/* kp_run on the session's filesystem (session NULL: exactly kp_run). */
int kp_run_in(struct kp_session *session, const struct kp_plan *plan, struct kp_result *result,
              char *err, size_t errlen);

/* Makes stdout line-buffered (fanmc's progress reaches a file or CI log as it goes). */
static inline void kp_line_buffered_stdout(void) { setvbuf(stdout, NULL, _IOLBF, 0); }

/* Allocation helpers (the structs are large; zero-initialised). */
struct kp_plan *kp_plan_new(void);
void kp_plan_free(struct kp_plan *plan);
struct kp_result *kp_result_new(void);
void kp_result_free(struct kp_result *result);

/* Element accessors for Swift (fixed-size arrays import as tuples). */
static inline struct kp_file *kp_plan_file(struct kp_plan *p, int i) { return &p->files[i]; }
static inline struct kp_group *kp_plan_group(struct kp_plan *p, int i) { return &p->groups[i]; }
static inline struct kp_action *kp_group_action(struct kp_group *g, int kind, int i) {
  return &g->actions[kind][i];
}
static inline void kp_group_set_action_count(struct kp_group *g, int kind, int n) {
  g->action_count[kind] = n;
}
static inline struct kp_action *kp_group_sequence_action(struct kp_group *g, int seq, int kind,
                                                         int i) {
  return &g->sequence_actions[seq][kind][i];
}
static inline void kp_group_set_sequence_action_count(struct kp_group *g, int seq, int kind,
                                                      int n) {
  g->sequence_action_count[seq][kind] = n;
}
static inline struct kp_mark *kp_plan_mark(struct kp_plan *p, int i) { return &p->marks[i]; }
static inline struct kp_task *kp_plan_task(struct kp_plan *p, int i) { return &p->tasks[i]; }
static inline struct kp_instruction *kp_task_instruction(struct kp_task *t, int i) {
  return &t->instr[i];
}
static inline void kp_file_set_name(struct kp_file *f, const char *name) {
  size_t i = 0;
  for (; name[i] != 0 && i + 1 < KP_MAX_NAME; i++) f->name[i] = name[i];
  f->name[i] = 0;
}
static inline void kp_file_set_page(struct kp_file *f, int page, int content) {
  f->content[page] = (uint8_t)content;
}
static inline void kp_instruction_set_iov(struct kp_instruction *in, int i, int64_t count) {
  in->iov[i] = count;
}
static inline const struct kp_event *kp_result_event(const struct kp_result *r, int i) {
  return &r->events[i];
}
static inline const struct kp_call *kp_result_call(const struct kp_result *r, int i) {
  return &r->calls[i];
}
static inline int kp_call_observed(const struct kp_call *c, int i) { return c->observed[i]; }
static inline const char *kp_result_note(const struct kp_result *r, int i) { return r->notes[i]; }
static inline const char *kp_result_task_where(const struct kp_result *r, int t) {
  return r->task_where[t];
}
static inline const char *kp_result_listener_where(const struct kp_result *r, int g) {
  return r->listener_where[g];
}
static inline int64_t kp_result_final_size(const struct kp_result *r, int f) {
  return r->final_size[f];
}
static inline int kp_result_final_page(const struct kp_result *r, int f, int p) {
  return r->final_pages[f][p];
}
static inline int kp_result_listener_blocked(const struct kp_result *r, int g) {
  return r->listener_blocked[g];
}

#ifdef __cplusplus
}
#endif

#endif /* KERNEL_PROBE_H */
