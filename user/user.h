/*
** user.h — Linux user mode: run one statically linked riscv64 Linux program.
** The ELF loader, the initial stack, the guest's mappings, its system calls and
** the host fault handling that turns faults into guest signals.
*/
#ifndef user_h
#define user_h

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mem.h"

struct InterpCpu;
struct InterpHooks;

#define USER_NAME "tiercel-riscv64"

/* The guest address space: Sv39's user half, [0, 1<<38). */
#define USER_SPACE_SIZE ((uint64_t)1 << 38)
/* Nothing is mapped below this (Linux's default vm.mmap_min_addr). */
#define USER_MIN_ADDR ((uint64_t)0x10000)
/* Where a static-pie program is placed: Linux's ELF_ET_DYN_BASE for Sv39, page-aligned. */
#define USER_PIE_BASE ((uint64_t)0x2aaaaaa000)
#define USER_STACK_DEFAULT ((uint64_t)8 << 20)

/* ---- vma.c: the guest's mappings ---- */

enum { USER_VMA_ANON, USER_VMA_FILE, USER_VMA_IMAGE, USER_VMA_STACK, USER_VMA_BRK };

typedef struct UserVma {
    uint64_t start, end;      /* page-aligned, end exclusive */
    int prot;                 /* MEM_PROT_* as the guest asked */
    int kind;                 /* USER_VMA_* */
} UserVma;

typedef struct UserVmas {     /* sorted by start, never overlapping */
    UserVma *v;
    size_t n, cap;
} UserVmas;

typedef struct UserSigAction {
    uint64_t handler, flags, mask;   /* the guest's struct sigaction */
} UserSigAction;

typedef struct UserProcess {
    MemUser mem;
    UserVmas vmas;
    struct InterpCpu *cpu;           /* NULL in tests that only load */
    struct Jit *jit;                 /* the compiled tiers (NULL in tests that only load) */
    /* Called after guest memory in [addr, addr+len) changed under the code cache
       (unmapped, remapped, protection changed): drop blocks, stop watching. */
    void (*code_changed)(struct UserProcess *p, uint64_t addr, uint64_t len);

    uint64_t brk_start, brk_end;     /* the heap is [brk_start, page_up(brk_end)) */
    uint64_t stack_top, stack_size;
    uint64_t mmap_top;               /* mmap without a usable hint searches below this */

    const char *exe_path;            /* the program as given on the command line */
    char *exe_real;                  /* its absolute path: /proc/self/exe */

    bool strace;                     /* -strace */
    bool stats;                      /* --stats */
    double start_time;               /* seconds, for --stats */

    /* Guest signal state: recorded; delivery to guest handlers comes later. */
    UserSigAction sigact[65];
    uint64_t sigmask, sigpending;    /* bit (sig-1) */
    uint64_t altstack_sp, altstack_size;
    int altstack_flags;
    uint64_t robust_list, robust_len, clear_child_tid;
} UserProcess;

/* Reserves the guest space and sets the defaults. 0 or -errno. */
/* Reserves `space` bytes of guest address space (USER_SPACE_SIZE normally). */
int user_process_init(UserProcess *p, uint64_t stack_size, uint64_t space);
void user_process_destroy(UserProcess *p);

const UserVma *user_vma_find(const UserVmas *vs, uint64_t addr);
/* Every byte of [start, end) mapped with at least the protections in `need`? */
bool user_vma_covered(const UserVmas *vs, uint64_t start, uint64_t end, int need);
bool user_vma_free(const UserVmas *vs, uint64_t start, uint64_t end);
/* Records [start, end) as one mapping, replacing whatever was there. 0 or -ENOMEM. */
int user_vma_set(UserVmas *vs, uint64_t start, uint64_t end, int prot, int kind);
void user_vma_clear(UserVmas *vs, uint64_t start, uint64_t end);
/* Highest free page-aligned gap of len bytes inside [lo, hi); UINT64_MAX if none. */
uint64_t user_vma_find_gap(const UserVmas *vs, uint64_t len, uint64_t lo, uint64_t hi);

/* Host protection bits for guest ones: X reads (the interpreter fetches), W writes. */
int user_host_prot(int prot);

/* Maps fresh pages and records them. 0 or -errno. */
int user_map_anon(UserProcess *p, uint64_t addr, uint64_t len, int prot, int kind);

/* The memory system calls, with Linux's argument checks; results as the guest sees them. */
int64_t user_brk(UserProcess *p, uint64_t addr);
int64_t user_mmap(UserProcess *p, uint64_t addr, uint64_t len, int prot, int flags, int fd,
                  uint64_t off);
int64_t user_munmap(UserProcess *p, uint64_t addr, uint64_t len);
int64_t user_mprotect(UserProcess *p, uint64_t addr, uint64_t len, int prot);
int64_t user_mremap(UserProcess *p, uint64_t old_addr, uint64_t old_len, uint64_t new_len,
                    int flags, uint64_t new_addr);
int64_t user_madvise(UserProcess *p, uint64_t addr, uint64_t len, int advice);

/* ---- elf.c: the loader ---- */

enum { USER_ELF_MAX_PHNUM = 4096 / 56 };   /* Linux: the headers fit one page */

typedef struct UserElfSegment {
    uint64_t vaddr, memsz;     /* biased */
    uint64_t offset, filesz;
    int prot;                  /* MEM_PROT_* from p_flags */
} UserElfSegment;

typedef struct UserElfInfo {
    bool pie;                  /* ET_DYN: placed at bias */
    uint64_t bias;             /* added to every p_vaddr (0 for ET_EXEC) */
    uint64_t entry;            /* biased */
    uint64_t phdr;             /* guest address of the program headers (AT_PHDR) */
    uint16_t phent, phnum;
    uint64_t lo, hi;           /* page-aligned extent of the segments */
    uint64_t brk;              /* page-aligned end of the highest segment */
    int stack_prot;            /* PT_GNU_STACK */
    unsigned nseg;
    UserElfSegment seg[USER_ELF_MAX_PHNUM];
    char error[160];           /* why the file was refused (no path, no newline) */
} UserElfInfo;

/* Checks an ELF image (the whole file) for a guest space of `space` bytes and fills
   info. Untrusted input: every field is checked before use. 0, or -1 with
   info->error set. */
int user_elf_check(const uint8_t *image, uint64_t size, uint64_t space, UserElfInfo *info);

/* Opens, checks and maps the program into p. 0, or -1 with info->error set. */
int user_elf_load(UserProcess *p, const char *path, UserElfInfo *info);

/* ---- stack.c: the initial stack, as Linux's create_elf_tables builds it ---- */

typedef struct UserStackArgs {
    int argc;
    char *const *argv;
    char *const *envp;         /* NULL-terminated */
    const char *execfn;        /* AT_EXECFN */
    const uint8_t *random;     /* 16 bytes for AT_RANDOM; NULL: from getrandom */
} UserStackArgs;

/* AT_HWCAP: the single-letter extensions I M A F D C. */
#define USER_HWCAP ((1ul << ('I' - 'A')) | (1ul << ('M' - 'A')) | (1ul << ('A' - 'A')) | \
                    (1ul << ('F' - 'A')) | (1ul << ('D' - 'A')) | (1ul << ('C' - 'A')))

/* Maps the stack at the top of the guest space and fills it. Returns the guest sp
   (the address of argc), or 0 with err set. */
uint64_t user_stack_setup(UserProcess *p, const UserElfInfo *elf, const UserStackArgs *args,
                          char *err, size_t errsize);

/* ---- syscall.c ---- */

enum { USER_SYSCALL_COUNT = 512 };
extern const char *const user_syscall_names[USER_SYSCALL_COUNT];   /* NULL: no such number */

/* Runs system call nr with arguments a[0..5]; returns a0 (>= 0, or -errno). */
int64_t user_syscall(UserProcess *p, uint64_t nr, const uint64_t a[6]);

/* ---- signal.c ---- */

/* Installs the host SIGSEGV/SIGBUS handlers on an alternate stack. 0 or -errno. */
int user_signal_init(UserProcess *p);
/* The hooks the interpreter calls for page protections and code watching. */
void user_signal_hooks(UserProcess *p, struct InterpHooks *hooks);
/* p->code_changed when a CPU runs: invalidates blocks and unwatches pages. */
void user_code_changed(UserProcess *p, uint64_t addr, uint64_t len);
/* Before the host kernel or tiercel writes guest memory: unwatch code pages there. */
void user_prepare_write(UserProcess *p, uint64_t addr, uint64_t len);

/* The signal for a guest load or store fault at addr: SIGBUS when the host said so
   (a file mapping past its end), else SIGSEGV. */
int user_fault_signal(uint64_t addr);
const char *user_signal_name(int sig);   /* "SIGSEGV" */
/* A signal the guest cannot handle ends it: one line on stderr, exit 128+sig. */
_Noreturn void user_guest_killed(UserProcess *p, int sig, const char *what);

/* The guest's signal system calls (recorded, not delivered yet). */
int64_t user_sys_rt_sigaction(UserProcess *p, int sig, uint64_t act, uint64_t oact, uint64_t size);
int64_t user_sys_rt_sigprocmask(UserProcess *p, int how, uint64_t set, uint64_t oset, uint64_t size);
int64_t user_sys_sigaltstack(UserProcess *p, uint64_t ss, uint64_t oss);
int64_t user_sys_rt_sigpending(UserProcess *p, uint64_t set, uint64_t size);
/* A signal the guest sent to itself (kill, tgkill, tkill). */
int64_t user_raise(UserProcess *p, int sig);

/* Safe copies between tiercel and guest memory (mapping and protection checked
   against the VMA list). 0 or -EFAULT. */
int user_copy_from(UserProcess *p, void *dst, uint64_t src, size_t len);
int user_copy_to(UserProcess *p, uint64_t dst, const void *src, size_t len);

/* ---- main.c ---- */

/* Ends the process: --stats report, flush, exit(status). */
_Noreturn void user_exit(UserProcess *p, int status);

#endif
