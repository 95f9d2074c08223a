// ThreadSanitizer defaults for every executable of a TESSERA_SANITIZE=thread
// build (linked in by the top-level CMakeLists.txt). The runtime calls this
// before main(); TSAN_OPTIONS in the environment still overrides each option.
//
// - suppressions: tests/tsan.supp, which only names Debian's uninstrumented
//   libraries (Qt, glib, libslirp), never Tessera's own code.
// - exitcode=66 (the default, spelled out): a process that printed a report
//   exits 66 however its own main() ended, so the test that ran it fails.
// - halt_on_error=0: keep running after a report, so one run shows every race.
// - second_deadlock_stack=1: lock-order reports show where both locks were taken.
// - die_after_fork=0: QProcess (xorriso, qemu-img in the tests) forks the
//   multi-threaded test process and the child runs Qt's code until exec; TSan
//   would kill that child instead of letting it exec the program.

extern "C" const char* __tsan_default_options() {
    return "suppressions=" TESSERA_TSAN_SUPPRESSIONS
           ":exitcode=66:halt_on_error=0:second_deadlock_stack=1:die_after_fork=0";
}
