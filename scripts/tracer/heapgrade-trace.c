/*
 * heapgrade-trace: an LD_PRELOAD interposer that logs every malloc, calloc,
 * realloc, reallocarray, free and aligned allocation (posix_memalign,
 * aligned_alloc, memalign, valloc, pvalloc: logged as plain mallocs of the
 * size) of any dynamically linked program.
 *
 *   cc -shared -fPIC -O2 -o libheapgrade-trace.so heapgrade-trace.c -ldl -lpthread
 *   HEAPGRADE_TRACE_FILE=/tmp/run LD_PRELOAD=$PWD/libheapgrade-trace.so program args...
 *
 * Each process writes its own log, HEAPGRADE_TRACE_FILE.<pid> (a compiler
 * driver, a shell pipeline or a forked child each get one), one call a line:
 *
 *   # heapgrade-trace 1 pid=<pid>
 *   m <size> <ptr>            ptr = malloc(size)      (aligned variants too)
 *   c <count> <size> <ptr>    ptr = calloc(count, size)
 *   r <old> <size> <ptr>      ptr = realloc(old, size)
 *   f <ptr>                   free(ptr)
 *
 * Sizes are decimal, pointers hex without 0x, NULL is 0. Without
 * HEAPGRADE_TRACE_FILE every call passes straight through.
 *
 * Why it is written this way:
 * - dlsym itself may call calloc/malloc before the real functions are known,
 *   so while resolving they are served from a static bootstrap buffer, and
 *   free/realloc recognise pointers into it.
 * - One mutex is held across each real call and its log line, so the log's
 *   order is an order in which the calls really happened: a block freed by
 *   one thread and returned by malloc in another is never logged out of order.
 * - Logging never allocates: numbers are formatted by hand into a static
 *   buffer flushed with write(2), and a thread-local guard skips logging if
 *   anything inside the real allocator calls back into these functions.
 * - fork: the buffer is flushed before, and the child starts its own log.
 *   The buffer is flushed at exit; a process that ends with _exit or a
 *   signal loses its last unflushed lines (at most BUF_SIZE bytes).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef void *(*malloc_fn)(size_t);
typedef void *(*calloc_fn)(size_t, size_t);
typedef void *(*realloc_fn)(void *, size_t);
typedef void *(*reallocarray_fn)(void *, size_t, size_t);
typedef void (*free_fn)(void *);
typedef int (*posix_memalign_fn)(void **, size_t, size_t);
typedef void *(*aligned_fn)(size_t, size_t);
typedef void *(*valloc_fn)(size_t);

static malloc_fn real_malloc;
static calloc_fn real_calloc;
static realloc_fn real_realloc;
static reallocarray_fn real_reallocarray;
static free_fn real_free;
static posix_memalign_fn real_posix_memalign;
static aligned_fn real_aligned_alloc;
static aligned_fn real_memalign;
static valloc_fn real_valloc;
static valloc_fn real_pvalloc;

/* ---- bootstrap allocations made while dlsym runs ---- */

#define BOOT_SIZE (64 * 1024)
static _Alignas(16) unsigned char boot[BOOT_SIZE];
static size_t boot_used;
static int resolving;

static void *boot_alloc(size_t n) {
  size_t need = ((n + 15) & ~(size_t)15) + 16; /* 16-byte header keeps the size */
  if (n > BOOT_SIZE || boot_used + need > BOOT_SIZE) return NULL;
  unsigned char *block = boot + boot_used;
  boot_used += need;
  *(size_t *)block = n;
  return block + 16;
}

static int is_boot(const void *p) {
  return (const unsigned char *)p >= boot && (const unsigned char *)p < boot + BOOT_SIZE;
}

static size_t boot_size(const void *p) { return *(const size_t *)((const unsigned char *)p - 16); }

static void resolve(void) {
  if (real_malloc || resolving) return;
  resolving = 1;
  real_malloc = (malloc_fn)dlsym(RTLD_NEXT, "malloc");
  real_calloc = (calloc_fn)dlsym(RTLD_NEXT, "calloc");
  real_realloc = (realloc_fn)dlsym(RTLD_NEXT, "realloc");
  real_reallocarray = (reallocarray_fn)dlsym(RTLD_NEXT, "reallocarray");
  real_free = (free_fn)dlsym(RTLD_NEXT, "free");
  real_posix_memalign = (posix_memalign_fn)dlsym(RTLD_NEXT, "posix_memalign");
  real_aligned_alloc = (aligned_fn)dlsym(RTLD_NEXT, "aligned_alloc");
  real_memalign = (aligned_fn)dlsym(RTLD_NEXT, "memalign");
  real_valloc = (valloc_fn)dlsym(RTLD_NEXT, "valloc");
  real_pvalloc = (valloc_fn)dlsym(RTLD_NEXT, "pvalloc");
  resolving = 0;
}

/* ---- the log ---- */

#define BUF_SIZE (64 * 1024)
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static char buf[BUF_SIZE];
static size_t buf_len;
static int log_fd = -1;
static int log_off; /* 1: HEAPGRADE_TRACE_FILE unset or unopenable */
static __thread int in_hook __attribute__((tls_model("initial-exec")));

static void flush_log(void) {
  size_t done = 0;
  while (done < buf_len && log_fd >= 0) {
    ssize_t n = write(log_fd, buf + done, buf_len - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += (size_t)n;
  }
  buf_len = 0;
}

static char *put_dec(char *s, uint64_t v) {
  char tmp[24];
  int n = 0;
  do tmp[n++] = (char)('0' + v % 10); while ((v /= 10) != 0);
  while (n > 0) *s++ = tmp[--n];
  return s;
}

static char *put_hex(char *s, uint64_t v) {
  char tmp[24];
  int n = 0;
  do tmp[n++] = "0123456789abcdef"[v & 15]; while ((v >>= 4) != 0);
  while (n > 0) *s++ = tmp[--n];
  return s;
}

/* Opens this process's log on first use (and again in a forked child). Called with the lock held. */
static int log_ready(void) {
  if (log_fd >= 0) return 1;
  if (log_off) return 0;
  const char *prefix = getenv("HEAPGRADE_TRACE_FILE");
  if (!prefix || !*prefix || strlen(prefix) > 4000) {
    log_off = 1;
    return 0;
  }
  char path[4096 + 32];
  char *s = path;
  size_t len = strlen(prefix);
  memcpy(s, prefix, len);
  s += len;
  *s++ = '.';
  s = put_dec(s, (uint64_t)getpid());
  *s = '\0';
  log_fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (log_fd < 0) {
    log_off = 1;
    return 0;
  }
  char head[64] = "# heapgrade-trace 1 pid=";
  char *h = put_dec(head + strlen(head), (uint64_t)getpid());
  *h++ = '\n';
  (void)!write(log_fd, head, (size_t)(h - head));
  return 1;
}

/* Appends one line: op letter, then up to three numbers (hex ones marked in `hexmask`). */
static void log_line(char op, int count, uint64_t a, uint64_t b, uint64_t c, int hexmask) {
  if (!log_ready()) return;
  if (buf_len + 80 > BUF_SIZE) flush_log();
  char *s = buf + buf_len;
  uint64_t vals[3] = {a, b, c};
  *s++ = op;
  for (int i = 0; i < count; i++) {
    *s++ = ' ';
    s = (hexmask >> i) & 1 ? put_hex(s, vals[i]) : put_dec(s, vals[i]);
  }
  *s++ = '\n';
  buf_len = (size_t)(s - buf);
}

/* Enter/leave around a real call: returns 1 when this call should be logged. */
static int enter(void) {
  resolve();
  if (in_hook || log_off) return 0;
  in_hook = 1;
  pthread_mutex_lock(&lock);
  return 1;
}

static void leave(void) {
  pthread_mutex_unlock(&lock);
  in_hook = 0;
}

/* ---- the interposed functions ---- */

void *malloc(size_t n) {
  if (!real_malloc) {
    resolve();
    if (!real_malloc) return boot_alloc(n);
  }
  if (!enter()) return real_malloc(n);
  void *p = real_malloc(n);
  log_line('m', 2, n, (uintptr_t)p, 0, 2);
  leave();
  return p;
}

void *calloc(size_t count, size_t n) {
  if (!real_calloc) {
    resolve();
    if (!real_calloc) return (count && n > BOOT_SIZE / count) ? NULL : boot_alloc(count * n); /* static: zeroed */
  }
  if (!enter()) return real_calloc(count, n);
  void *p = real_calloc(count, n);
  log_line('c', 3, count, n, (uintptr_t)p, 4);
  leave();
  return p;
}

void free(void *p) {
  if (is_boot(p)) return;
  if (!real_free) resolve();
  if (!real_free) return;
  if (!enter()) {
    real_free(p);
    return;
  }
  log_line('f', 1, (uintptr_t)p, 0, 0, 1);
  real_free(p);
  leave();
}

static void *realloc_logged(void *old, size_t n, void *p) {
  log_line('r', 3, (uintptr_t)old, n, (uintptr_t)p, 5);
  return p;
}

void *realloc(void *old, size_t n) {
  if (is_boot(old)) {
    /* Move a bootstrap block to the real heap; logged as a malloc, since its origin was never logged. */
    void *p = malloc(n);
    size_t keep = boot_size(old);
    if (p) memcpy(p, old, keep < n ? keep : n);
    return p;
  }
  if (!real_realloc) resolve();
  if (!real_realloc) return boot_alloc(n);
  if (!enter()) return real_realloc(old, n);
  void *p = realloc_logged(old, n, real_realloc(old, n));
  leave();
  return p;
}

void *reallocarray(void *old, size_t count, size_t n) {
  if (n && count > SIZE_MAX / n) {
    errno = ENOMEM;
    return NULL;
  }
  return realloc(old, count * n);
}

int posix_memalign(void **out, size_t align, size_t n) {
  resolve();
  if (!enter()) return real_posix_memalign(out, align, n);
  int r = real_posix_memalign(out, align, n);
  log_line('m', 2, n, r == 0 ? (uintptr_t)*out : 0, 0, 2);
  leave();
  return r;
}

static void *aligned_call(aligned_fn fn, size_t align, size_t n) {
  resolve();
  if (!enter()) return fn(align, n);
  void *p = fn(align, n);
  log_line('m', 2, n, (uintptr_t)p, 0, 2);
  leave();
  return p;
}

void *aligned_alloc(size_t align, size_t n) { return aligned_call((resolve(), real_aligned_alloc), align, n); }
void *memalign(size_t align, size_t n) { return aligned_call((resolve(), real_memalign), align, n); }

static void *page_call(valloc_fn fn, size_t n) {
  if (!enter()) return fn(n);
  void *p = fn(n);
  log_line('m', 2, n, (uintptr_t)p, 0, 2);
  leave();
  return p;
}

void *valloc(size_t n) { return page_call((resolve(), real_valloc), n); }
void *pvalloc(size_t n) { return page_call((resolve(), real_pvalloc), n); }

/* ---- process lifecycle ---- */

static void before_fork(void) { pthread_mutex_lock(&lock); flush_log(); }
static void after_fork_parent(void) { pthread_mutex_unlock(&lock); }
static void after_fork_child(void) {
  /* The child writes its own log (HEAPGRADE_TRACE_FILE.<child pid>). */
  if (log_fd >= 0) close(log_fd);
  log_fd = -1;
  buf_len = 0;
  pthread_mutex_unlock(&lock);
}

__attribute__((constructor)) static void trace_init(void) {
  resolve();
  pthread_atfork(before_fork, after_fork_parent, after_fork_child);
}

__attribute__((destructor)) static void trace_fini(void) {
  pthread_mutex_lock(&lock);
  flush_log();
  /* Later frees (other destructors) are not logged: the log is complete up to here. */
  log_off = 1;
  if (log_fd >= 0) close(log_fd);
  log_fd = -1;
  pthread_mutex_unlock(&lock);
}
