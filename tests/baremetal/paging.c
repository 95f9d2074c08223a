// Sv39 paging in S-mode (privileged spec 1.12, 4.3/4.4): a gigapage identity
// map for RAM and MMIO, plus 4 KiB test pages with chosen permissions at
// virtual 0x40000000. Page faults carry the faulting virtual address in stval.
#include "runtime.h"

#define PTE_V 1ul
#define PTE_R 2ul
#define PTE_W 4ul
#define PTE_X 8ul
#define PTE_U 16ul
#define PTE_A 64ul
#define PTE_D 128ul
#define TEST_VA 0x40000000ul

extern char _pages[];
static uint64_t* root;
static uint64_t* level1;
static uint64_t* level0;
static uint64_t* data;  // physical page behind the test mappings

static uint64_t pte(uint64_t pa, uint64_t flags) { return ((pa >> 12) << 10) | flags; }

static uint64_t supervisor_tests(uint64_t unused) {
    (void)unused;
    volatile uint64_t* readonly = (uint64_t*)(TEST_VA + 0x0000);
    volatile uint64_t* readwrite = (uint64_t*)(TEST_VA + 0x1000);
    volatile uint64_t* absent = (uint64_t*)(TEST_VA + 0x2000);
    volatile uint64_t* user = (uint64_t*)(TEST_VA + 0x3000);
    volatile uint64_t* noaccess = (uint64_t*)(TEST_VA + 0x4000);

    CHECK(1, *readonly == 0x1234);  // same physical page as data[0]
    *readwrite = 0x5678;
    CHECK(2, data[0] == 0x5678);   // visible through the identity map

    last_trap.count = 0;
    *readonly = 1;
    CHECK(3, last_trap.count == 1 && last_trap.cause == 15 && last_trap.tval == TEST_VA);
    (void)*absent;
    CHECK(4, last_trap.cause == 13 && last_trap.tval == TEST_VA + 0x2000);
    *absent = 1;
    CHECK(5, last_trap.cause == 15);
    ((void (*)(void))(TEST_VA + 0x1000))();  // not executable
    CHECK(6, last_trap.cause == 12 && last_trap.tval == TEST_VA + 0x1000);

    // U page from S: faults without SUM, works with it.
    (void)*user;
    CHECK(7, last_trap.cause == 13 && last_trap.tval == TEST_VA + 0x3000);
    CSR_SET(sstatus, 1ul << 18);
    CHECK(8, *user == 0x5678);
    CSR_CLEAR(sstatus, 1ul << 18);

    // A page without A: the hart either sets A or raises a page fault (both allowed).
    const uint64_t count = last_trap.count;
    (void)*noaccess;
    CHECK(9, last_trap.count == count || last_trap.cause == 13);

    // Remap and sfence.vma: the new mapping is used.
    level0[2] = pte((uint64_t)data, PTE_V | PTE_R | PTE_A);
    __asm__ volatile("sfence.vma" ::: "memory");
    CHECK(10, *absent == 0x5678);
    return 0x600d;
}

int main(void) {
    putstr("paging: ");
    CSR_WRITE(pmpaddr0, ~0ul >> 10);
    CSR_WRITE(pmpcfg0, 0x1f);
    CSR_WRITE(stvec, (uint64_t)s_trap_entry);
    CSR_WRITE(medeleg, (1ul << 12) | (1ul << 13) | (1ul << 15));

    root = (uint64_t*)_pages;
    level1 = root + 512;
    level0 = root + 1024;
    data = root + 1536;
    for (int i = 0; i < 2048; ++i) root[i] = 0;
    data[0] = 0x1234;

    // Gigapages: 0x0 (MMIO, RW) and 0x80000000 (RAM, RWX), identity.
    root[0] = pte(0x0, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D);
    root[2] = pte(0x80000000ul, PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D);
    root[1] = pte((uint64_t)level1, PTE_V);  // 0x40000000: through level 1 and 0
    level1[0] = pte((uint64_t)level0, PTE_V);
    level0[0] = pte((uint64_t)data, PTE_V | PTE_R | PTE_A);
    level0[1] = pte((uint64_t)data, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D);
    level0[2] = 0;
    level0[3] = pte((uint64_t)data, PTE_V | PTE_R | PTE_W | PTE_U | PTE_A | PTE_D);
    level0[4] = pte((uint64_t)data, PTE_V | PTE_R);

    CSR_WRITE(satp, (8ul << 60) | ((uint64_t)root >> 12));
    CHECK(20, (CSR_READ(satp) >> 60) == 8);
    __asm__ volatile("sfence.vma" ::: "memory");
    CHECK(21, enter_mode(1, supervisor_tests, 0) == 0x600d);
    // M-mode ignores satp: still physical.
    CHECK(22, *(volatile uint64_t*)data == 0x5678);
    CSR_WRITE(satp, 0);
    pass();
}
