// Guest reset through sifive_test (0x7777): the board reloads the boot images
// and restarts the hart at the reset vector, while RAM outside the images
// keeps its contents (as on QEMU), so the second boot can tell it is one.
#include "runtime.h"

#define BOOT_FLAG (*(volatile uint64_t*)0x80100000ul)  // outside the ELF image
#define MAGIC 0xb007b007b007b007ul

int main(void) {
    if (BOOT_FLAG == MAGIC) {
        putstr("reset: second boot\n");
        BOOT_FLAG = 0;
        pass();
    }
    putstr("reset: first boot, resetting\n");
    BOOT_FLAG = MAGIC;
    MMIO32(TEST_DEVICE) = 0x7777;
    for (;;) {}
}
