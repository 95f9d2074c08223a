// A CPU-bound bare-metal workload with known answers: a prime sieve (stores
// and loads over 1 MiB), naive recursion (calls, returns, branches) and an
// FNV-1a hash over the sieve (byte loads, multiplies). It times the CPU
// engine without a guest OS (tests/bench) and, since every result is
// checked, it is also a correctness test for each engine: a mistranslated
// instruction changes a result and fails the check.
#include "runtime.h"

#define SIEVE_SIZE (1u << 20)
static uint8_t composite[SIEVE_SIZE];

static unsigned sieve(void) {
    for (unsigned i = 0; i < SIEVE_SIZE; ++i) composite[i] = 0;
    unsigned count = 0;
    for (unsigned i = 2; i < SIEVE_SIZE; ++i) {
        if (composite[i]) continue;
        ++count;
        for (unsigned j = i * 2; j < SIEVE_SIZE; j += i) composite[j] = 1;
    }
    return count;
}

static unsigned fib(unsigned n) {
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

static uint64_t fnv1a(const uint8_t* p, unsigned n) {
    uint64_t h = 0xcbf29ce484222325ull;
    for (unsigned i = 0; i < n; ++i) h = (h ^ p[i]) * 0x100000001b3ull;
    return h;
}

int main(void) {
    for (int round = 0; round < 10; ++round) {
        CHECK(1, sieve() == 82025);  // primes below 2^20
        CHECK(2, fib(30) == 832040);
        CHECK(3, fnv1a(composite, SIEVE_SIZE) == 0x6dabd1ef8cf63176ull);
    }
    putstr("bench_loop done\n");
    pass();
}
