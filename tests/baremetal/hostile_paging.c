// Hostile accesses under Sv39 paging (issue 10): misaligned and aligned
// loads, stores, AMOs and LR/SC at virtual 0 (unmapped), on a page mapped
// onto a hole in the physical map, across a page boundary into an unmapped
// page, at the top of the address space and at a non-canonical address;
// fetches from those and of an instruction straddling into an unmapped page.
// Run in S-mode and in M-mode with MPRV; all traps are taken in M. Each prints
// its outcome (hostile.h); hostile_compare.py holds both emulators to the
// same lines.
#include "hostile.h"

#define PTE_V 1ul
#define PTE_R 2ul
#define PTE_W 4ul
#define PTE_X 8ul
#define PTE_A 64ul
#define PTE_D 128ul
#define RWXAD (PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D)

#define HOLE_VA 0x1000ul                  // mapped onto physical 0x200000, where nothing is
#define TOP_DATA_VA 0xffffffffffffe000ul  // a data page; the top page above it is unmapped
#define TOP_CODE_VA 0xffffffffffffc000ul  // a code page; the page above it is unmapped
#define NON_CANONICAL (1ul << 38)

extern char _pages[];
static volatile uint64_t* top_data_last;  // physical address of the last word of the TOP_DATA_VA page

static uint64_t pte(uint64_t pa, uint64_t flags) {
    return ((pa >> 12) << 10) | flags;
}

// The data cases, run once from S-mode and once from M-mode with MPRV.
#define DATA_CASES(CASE, VALUE)                                               \
    /* Virtual 0 and 1: not mapped. */                                        \
    CASE("lb-0", "lb a1, 0(a0)", 0)                                           \
    CASE("lh-1", "lh a1, 0(a0)", 1)                                           \
    CASE("ld-3", "ld a1, 0(a0)", 3)                                           \
    CASE("sh-1", "sh a1, 0(a0)", 1)                                           \
    CASE("sd-0", "sd a1, 0(a0)", 0)                                           \
    CASE("lr.w-0", "lr.w a1, (a0)", 0)                                        \
    CASE("lr.d-4", "lr.d a1, (a0)", 4)                                        \
    CASE("amoadd.w-0", "amoadd.w a1, a1, (a0)", 0)                            \
    CASE("amoadd.w-2", "amoadd.w a1, a1, (a0)", 2)                            \
    /* A page mapped onto a hole: translation succeeds, the access faults. */ \
    CASE("lw-hole", "lw a1, 0(a0)", HOLE_VA)                                  \
    CASE("lh-hole+1", "lh a1, 0(a0)", HOLE_VA + 1)                            \
    CASE("ld-hole+0xffd", "ld a1, 0(a0)", HOLE_VA + 0xffd)                    \
    CASE("sw-hole+1", "sw a1, 0(a0)", HOLE_VA + 1)                            \
    CASE("lr.d-hole", "lr.d a1, (a0)", HOLE_VA)                               \
    CASE("amoswap.w-hole", "amoswap.w a1, a1, (a0)", HOLE_VA)                 \
    /* Across the end of a data page into the unmapped top page. */           \
    CASE("ld-cross-top", "ld a1, 0(a0)", TOP_DATA_VA + 0xffd)                 \
    CASE("lw-cross-top", "lw a1, 0(a0)", TOP_DATA_VA + 0xffe)                 \
    CASE("sd-cross-top", "sd a1, 0(a0)", TOP_DATA_VA + 0xffd)                 \
    VALUE("after-sd-cross-top") /* the faulting store wrote nothing */        \
    CASE("sh-cross-top", "sh a1, 0(a0)", TOP_DATA_VA + 0xfff)                 \
    VALUE("after-sh-cross-top")                                               \
    /* The top of the address space and the ends of Sv39. */                  \
    CASE("lw-top", "lw a1, 0(a0)", ~0ul)                                      \
    CASE("sd-top-2", "sd a1, 0(a0)", ~0ul - 2)                                \
    CASE("lr.w-top-3", "lr.w a1, (a0)", ~0ul - 3)                             \
    CASE("ld-non-canonical", "ld a1, 0(a0)", NON_CANONICAL)                   \
    CASE("lw-below-non-canonical", "lw a1, 0(a0)", NON_CANONICAL - 2)         \
    CASE("sw-lowest-negative", "sw a1, 0(a0)", ~0ul << 38)                    \
    CASE("sw-non-canonical-negative", "sw a1, 0(a0)", (~0ul << 38) - 4)

// M-mode with MPRV=1 and MPP=S around the one instruction, so that the trap
// handler and the reporting run untranslated (a trap's mret leaves MPP=U).
#define ACCESS_MPRV(name, insn, address)                                                            \
    do {                                                                                            \
        const uint64_t before_ = last_trap.count;                                                   \
        register uint64_t a0_ __asm__("a0") = (address);                                            \
        register uint64_t a1_ __asm__("a1") = 0;                                                    \
        __asm__ volatile("csrc mstatus, %2\n csrs mstatus, %3\n " insn "\n csrc mstatus, %2"        \
                         : "+r"(a1_)                                                                \
                         : "r"(a0_), "r"((1ul << 17) | (3ul << 11)), "r"((1ul << 17) | (1ul << 11)) \
                         : "memory");                                                               \
        report(name, before_);                                                                      \
    } while (0);
#define ACCESS_CASE(name, insn, address) ACCESS(name, insn, address);
#define VALUE_CASE(name) report_value(name, *top_data_last);

static uint64_t supervisor_cases(uint64_t unused) {
    (void)unused;
    *top_data_last = 0x1122334455667788ul;
    DATA_CASES(ACCESS_CASE, VALUE_CASE)
    FETCH("fetch-0", 0);
    FETCH("fetch-hole", HOLE_VA);
    FETCH("fetch-top-1", ~0ul - 1);
    FETCH("fetch-non-canonical", NON_CANONICAL);
    FETCH("fetch-straddling", TOP_CODE_VA + 0xffe);
    return 0;
}

int main(void) {
    putstr("hostile_paging\n");
    CSR_WRITE(pmpaddr0, ~0ul >> 10);  // S may access everything (PMP NAPOT over all)
    CSR_WRITE(pmpcfg0, 0x1f);

    uint64_t* root = (uint64_t*)_pages;
    uint64_t* low1 = root + 512;
    uint64_t* low0 = root + 1024;
    uint64_t* top1 = root + 1536;
    uint64_t* top0 = root + 2048;
    uint8_t* data = (uint8_t*)(root + 2560);
    uint8_t* code = (uint8_t*)(root + 3072);
    for (int i = 0; i < 3584; ++i) root[i] = 0;

    root[0] = pte((uint64_t)low1, PTE_V);
    low1[0] = pte((uint64_t)low0, PTE_V);
    low0[1] = pte(0x200000, RWXAD);                                                     // HOLE_VA
    low1[UART >> 21] = pte(UART & ~0x1ffffful, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D);  // the UART's 2 MiB
    root[2] = pte(0x80000000ul, RWXAD);                                                 // RAM, identity
    root[511] = pte((uint64_t)top1, PTE_V);
    top1[511] = pte((uint64_t)top0, PTE_V);
    top0[510] = pte((uint64_t)data, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D);  // TOP_DATA_VA
    top0[508] = pte((uint64_t)code, PTE_V | PTE_R | PTE_X | PTE_A);          // TOP_CODE_VA
    // A 32-bit instruction (addi zero, zero, 0) whose second half would be on the unmapped next page.
    code[0xffe] = 0x13;
    code[0xfff] = 0x00;
    top_data_last = (volatile uint64_t*)(data + 0xff8);
    __asm__ volatile(".word 0x0000100f" ::: "memory");  // fence.i

    CSR_WRITE(satp, (8ul << 60) | ((uint64_t)root >> 12));
    __asm__ volatile("sfence.vma" ::: "memory");

    putstr("supervisor\n");
    enter_mode(1, supervisor_cases, 0);
    putstr("machine with MPRV, MPP=S\n");
    *top_data_last = 0x1122334455667788ul;
    DATA_CASES(ACCESS_MPRV, VALUE_CASE)
    putstr("DONE\n");
    pass();
}
