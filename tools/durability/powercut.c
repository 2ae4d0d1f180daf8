/* powercut.so: an LD_PRELOAD shim that writes down, for the files of a SQLite database (the main
 * file, its -wal and -journal), every write, truncation and sync the process makes, so that
 * tools/durability.py can rebuild the files as a power cut would leave them: every write after the
 * file's last fsync/fdatasync dropped. The writes themselves go through unchanged.
 *
 *   POWERCUT_LOG=/path/to/log  POWERCUT_NAME=tambo.db  LD_PRELOAD=powercut.so  python writer.py
 *
 * Log records: 'W' file offset length data | 'T' file length 0 | 'S' file 0 0 (file: 0 db, 1 wal,
 * 2 journal; offset and length as little-endian int64). Built by tools/durability.py with cc. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

#define MAX_FD 65536
static signed char kind_of[MAX_FD];
static int log_fd = -1;
static const char *name;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static ssize_t (*real_write)(int, const void *, size_t);
static ssize_t (*real_pwrite64)(int, const void *, size_t, off_t);
static ssize_t (*real_pwrite)(int, const void *, size_t, off_t);
static int (*real_open)(const char *, int, ...);
static int (*real_open64)(const char *, int, ...);
static int (*real_openat)(int, const char *, int, ...);
static int (*real_openat64)(int, const char *, int, ...);
static int (*real_close)(int);
static int (*real_fsync)(int);
static int (*real_fdatasync)(int);
static int (*real_ftruncate)(int, off_t);
static int (*real_ftruncate64)(int, off_t);

__attribute__((constructor)) static void setup(void) {
    memset(kind_of, -1, sizeof kind_of);
    real_write = dlsym(RTLD_NEXT, "write");
    real_pwrite64 = dlsym(RTLD_NEXT, "pwrite64");
    real_pwrite = dlsym(RTLD_NEXT, "pwrite");
    real_open = dlsym(RTLD_NEXT, "open");
    real_open64 = dlsym(RTLD_NEXT, "open64");
    real_openat = dlsym(RTLD_NEXT, "openat");
    real_openat64 = dlsym(RTLD_NEXT, "openat64");
    real_close = dlsym(RTLD_NEXT, "close");
    real_fsync = dlsym(RTLD_NEXT, "fsync");
    real_fdatasync = dlsym(RTLD_NEXT, "fdatasync");
    real_ftruncate = dlsym(RTLD_NEXT, "ftruncate");
    real_ftruncate64 = dlsym(RTLD_NEXT, "ftruncate64");
    name = getenv("POWERCUT_NAME");
    const char *path = getenv("POWERCUT_LOG");
    if (path != NULL && name != NULL)
        log_fd = real_open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
}

static int kind_of_path(const char *path) {
    if (log_fd < 0 || path == NULL) return -1;
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strlen(name);
    if (strncmp(base, name, n) != 0) return -1;
    if (base[n] == '\0') return 0;
    if (strcmp(base + n, "-wal") == 0) return 1;
    if (strcmp(base + n, "-journal") == 0) return 2;
    return -1;
}

static void record(char type, int fd, int64_t offset, int64_t length, const void *data) {
    if (fd < 0 || fd >= MAX_FD || kind_of[fd] < 0) return;
    unsigned char head[18];
    head[0] = (unsigned char)type;
    head[1] = (unsigned char)kind_of[fd];
    memcpy(head + 2, &offset, 8);
    memcpy(head + 10, &length, 8);
    pthread_mutex_lock(&lock);
    real_write(log_fd, head, sizeof head);
    if (data != NULL && length > 0) real_write(log_fd, data, (size_t)length);
    pthread_mutex_unlock(&lock);
}

static int remember(int fd, const char *path) {
    if (fd >= 0 && fd < MAX_FD) kind_of[fd] = (signed char)kind_of_path(path);
    return fd;
}

#define OPEN_BODY(call)                                   \
    mode_t mode = 0;                                      \
    if (flags & (O_CREAT | O_TMPFILE)) {                  \
        va_list args;                                     \
        va_start(args, flags);                            \
        mode = va_arg(args, mode_t);                      \
        va_end(args);                                     \
    }                                                     \
    return remember(call, path);

int open(const char *path, int flags, ...) { OPEN_BODY(real_open(path, flags, mode)) }
int open64(const char *path, int flags, ...) { OPEN_BODY(real_open64(path, flags, mode)) }
int openat(int dir, const char *path, int flags, ...) { OPEN_BODY(real_openat(dir, path, flags, mode)) }
int openat64(int dir, const char *path, int flags, ...) { OPEN_BODY(real_openat64(dir, path, flags, mode)) }

int close(int fd) {
    if (fd >= 0 && fd < MAX_FD) kind_of[fd] = -1;
    return real_close(fd);
}

ssize_t write(int fd, const void *buf, size_t count) {
    if (fd >= 0 && fd < MAX_FD && kind_of[fd] >= 0) {
        off_t at = lseek(fd, 0, SEEK_CUR);
        ssize_t done = real_write(fd, buf, count);
        if (done > 0) record('W', fd, at, done, buf);
        return done;
    }
    return real_write(fd, buf, count);
}

ssize_t pwrite64(int fd, const void *buf, size_t count, off_t offset) {
    ssize_t done = real_pwrite64(fd, buf, count, offset);
    if (done > 0) record('W', fd, offset, done, buf);
    return done;
}

ssize_t pwrite(int fd, const void *buf, size_t count, off_t offset) {
    ssize_t done = real_pwrite(fd, buf, count, offset);
    if (done > 0) record('W', fd, offset, done, buf);
    return done;
}

int ftruncate(int fd, off_t length) {
    int r = real_ftruncate(fd, length);
    if (r == 0) record('T', fd, 0, length, NULL);
    return r;
}

int ftruncate64(int fd, off_t length) {
    int r = real_ftruncate64(fd, length);
    if (r == 0) record('T', fd, 0, length, NULL);
    return r;
}

int fsync(int fd) {
    int r = real_fsync(fd);
    if (r == 0) record('S', fd, 0, 0, NULL);
    return r;
}

int fdatasync(int fd) {
    int r = real_fdatasync(fd);
    if (r == 0) record('S', fd, 0, 0, NULL);
    return r;
}
