// F and D: exception flags in fflags (NV DZ OF UF NX), rounding modes, NaN
// boxing, canonical NaN, fmin/fmax signed zeros and fcvt saturation
// (unprivileged spec 20191213, ch. 11 and 12).
#include "runtime.h"

#define NV 16
#define DZ 8
#define OF 4
#define UF 2
#define NX 1

static inline void clear_flags(void) { __asm__ volatile("csrw fflags, zero"); }
static inline uint64_t flags(void) { uint64_t f; __asm__ volatile("csrr %0, fflags" : "=r"(f)); return f; }
static inline uint64_t bits(double d) { union { double d; uint64_t u; } x = {.d = d}; return x.u; }
static inline double dbl(uint64_t u) { union { double d; uint64_t u; } x = {.u = u}; return x.d; }

static double fdiv(double a, double b) { double r; __asm__ volatile("fdiv.d %0, %1, %2" : "=f"(r) : "f"(a), "f"(b)); return r; }
static double fmul(double a, double b) { double r; __asm__ volatile("fmul.d %0, %1, %2" : "=f"(r) : "f"(a), "f"(b)); return r; }
static double fsqrt(double a) { double r; __asm__ volatile("fsqrt.d %0, %1" : "=f"(r) : "f"(a)); return r; }
static double fmin(double a, double b) { double r; __asm__ volatile("fmin.d %0, %1, %2" : "=f"(r) : "f"(a), "f"(b)); return r; }
static double fmax(double a, double b) { double r; __asm__ volatile("fmax.d %0, %1, %2" : "=f"(r) : "f"(a), "f"(b)); return r; }
static int64_t fcvt_l(double a) { int64_t r; __asm__ volatile("fcvt.l.d %0, %1, rtz" : "=r"(r) : "f"(a)); return r; }
static int32_t fcvt_w(double a) { int64_t r; __asm__ volatile("fcvt.w.d %0, %1, rtz" : "=r"(r) : "f"(a)); return (int32_t)r; }
static uint64_t fcvt_lu(double a) { uint64_t r; __asm__ volatile("fcvt.lu.d %0, %1, rtz" : "=r"(r) : "f"(a)); return r; }

int main(void) {
    putstr("fpu: ");
    volatile double one = 1.0, zero = 0.0, three = 3.0, big = 1e300, tiny = 1e-300;

    clear_flags();
    double r = fdiv(one, zero);
    CHECK(1, flags() == DZ && bits(r) == 0x7ff0000000000000ul);
    clear_flags();
    r = fdiv(zero, zero);
    CHECK(2, flags() == NV && bits(r) == 0x7ff8000000000000ul);  // canonical NaN
    clear_flags();
    r = fsqrt(-one);
    CHECK(3, flags() == NV && bits(r) == 0x7ff8000000000000ul);
    clear_flags();
    r = fdiv(one, three);
    CHECK(4, flags() == NX);
    clear_flags();
    r = fmul(big, big);
    CHECK(5, flags() == (OF | NX) && bits(r) == 0x7ff0000000000000ul);
    clear_flags();
    r = fmul(tiny, tiny);
    CHECK(6, flags() == (UF | NX) && bits(r) == 0);
    clear_flags();
    r = fmul(three, one);
    CHECK(7, flags() == 0 && r == 3.0);

    // Rounding modes: 1/3 rounded up and down differ by one ulp.
    uint64_t up, down;
    __asm__ volatile("fdiv.d %0, %1, %2, rup" : "=f"(r) : "f"(one), "f"(three));
    up = bits(r);
    __asm__ volatile("fdiv.d %0, %1, %2, rdn" : "=f"(r) : "f"(one), "f"(three));
    down = bits(r);
    CHECK(8, up == down + 1);
    // Dynamic rounding mode from frm.
    __asm__ volatile("csrwi frm, 3");  // RUP
    __asm__ volatile("fdiv.d %0, %1, %2" : "=f"(r) : "f"(one), "f"(three));
    CHECK(9, bits(r) == up);
    __asm__ volatile("csrwi frm, 0");

    // fmin/fmax: -0 < +0, a quiet NaN operand is ignored, sNaN sets NV.
    CHECK(10, bits(fmin(0.0, -0.0)) == 0x8000000000000000ul);
    CHECK(11, bits(fmax(-0.0, 0.0)) == 0);
    clear_flags();
    CHECK(12, fmin(dbl(0x7ff8000000000000ul), 2.0) == 2.0 && flags() == 0);
    CHECK(13, fmin(dbl(0x7ff0000000000001ul), 2.0) == 2.0 && flags() == NV);

    // fcvt saturates and flags NV.
    clear_flags();
    CHECK(14, fcvt_l(1e30) == 0x7fffffffffffffffl && flags() == NV);
    clear_flags();
    CHECK(15, fcvt_w(-1e30) == (int32_t)0x80000000 && flags() == NV);
    clear_flags();
    CHECK(16, fcvt_lu(-5.0) == 0 && flags() == NV);
    clear_flags();
    CHECK(17, fcvt_l(dbl(0x7ff8000000000000ul)) == 0x7fffffffffffffffl && flags() == NV);
    clear_flags();
    CHECK(18, fcvt_l(-2.5) == -2 && flags() == NX);

    // NaN boxing: a single stored with fmv.d.x without the upper ones is a NaN.
    float f;
    __asm__ volatile("fmv.d.x %0, %1" : "=f"(f) : "r"(0x000000003f800000ul));
    float g;
    __asm__ volatile("fadd.s %0, %1, %1" : "=f"(g) : "f"(f));
    uint64_t graw;
    __asm__ volatile("fmv.x.d %0, %1" : "=r"(graw) : "f"(g));
    CHECK(19, graw == 0xffffffff7fc00000ul);  // canonical single NaN, boxed

    // Fused multiply-add rounds once.
    volatile double a = 1.0 + 0x1p-52, b = 1.0 - 0x1p-53, c = -1.0;
    __asm__ volatile("fmadd.d %0, %1, %2, %3" : "=f"(r) : "f"(a), "f"(b), "f"(c));
    CHECK(20, r == 0x1p-52 - 0x1p-53 - 0x1p-105);

    // Accrued flags accumulate until cleared; fcsr = frm << 5 | fflags.
    clear_flags();
    fdiv(one, zero);
    fdiv(one, three);
    uint64_t fcsr;
    __asm__ volatile("csrr %0, fcsr" : "=r"(fcsr));
    CHECK(21, fcsr == (DZ | NX));
    pass();
}
