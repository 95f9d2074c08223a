// A guest whose trap vector points at nothing: its first exception faults at
// the vector, and so does every one after, so no instruction ever retires.
// Tessera must stay in control: `--timeout` ends the run (exit 124) instead
// of the CPU loop spinning forever (issue 10; found by the CPU fuzzer).
#include "runtime.h"

int main(void) {
    putstr("trap storm: mtvec -> a hole in the physical map\n");
    CSR_WRITE(mtvec, 0x200000);
    __asm__ volatile(".word 0");  // illegal instruction
    fail(1);                      // never reached
}
