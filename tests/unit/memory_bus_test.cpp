// Specification: the memory bus maps RAM and devices and rejects everything else.

#include <QtTest>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/hw/memory_bus.h"

using tessera::hw::MemoryBus;

class MemoryBusTest : public QObject {
    Q_OBJECT
private slots:
    void ramReadsBackWhatWasWritten() {
        MemoryBus bus;
        QVERIFY(bus.addRam(0x80000000, 0x10000) != nullptr);
        QVERIFY(bus.write(0x80000010, 8, 0x1122334455667788ull));
        uint64_t value = 0;
        QVERIFY(bus.read(0x80000014, 4, value));
        QCOMPARE(value, 0x11223344ull);
    }
    void accessOutsideEveryRegionFails() {
        MemoryBus bus;
        bus.addRam(0x80000000, 0x1000);
        uint64_t value = 0;
        QVERIFY(!bus.read(0x7ffffff8, 8, value));
        QVERIFY(!bus.write(0x80000ffc, 8, 0));  // straddles the end of RAM
        uint8_t buffer[16] = {};
        QVERIFY(!bus.readBlock(0x80000ff8, buffer));
        QVERIFY(bus.readBlock(0x80000ff0, buffer));
    }
    void hostRamIsPageAlignedAndGuardedOnBothSides() {
        // A device bug that runs off either end of guest RAM must fault at
        // once rather than write a neighbouring host mapping (and the CPU
        // keys decoded code by host page, so RAM starts on a page).
        MemoryBus bus;
        uint8_t* ram = bus.addRam(0x80000000, 0x10000);
        QVERIFY(ram != nullptr);
        QCOMPARE(reinterpret_cast<uintptr_t>(ram) % 4096, uintptr_t{0});
        ram[0] = 1;
        ram[0xffff] = 2;
        for (ptrdiff_t offset : {ptrdiff_t{-1}, ptrdiff_t{0x10000}}) {
            const pid_t child = fork();
            if (child == 0) {
                const rlimit noCore{0, 0};
                setrlimit(RLIMIT_CORE, &noCore);  // the fault is expected: no core file,
                dup2(open("/dev/null", O_WRONLY), STDERR_FILENO);  // no sanitizer SEGV report in the log
                *static_cast<volatile uint8_t*>(ram + offset) = 0x5a;
                _exit(0);  // reached only if the guard page is missing
            }
            int status = 0;
            QCOMPARE(waitpid(child, &status, 0), child);
            // SIGSEGV, or a sanitizer's SEGV report and a non-zero exit.
            QVERIFY2(WIFSIGNALED(status) || (WIFEXITED(status) && WEXITSTATUS(status) != 0),
                     qPrintable(QString("a write at offset %1 of guest RAM did not fault").arg(offset)));
        }
    }
};

QTEST_APPLESS_MAIN(MemoryBusTest)
#include "memory_bus_test.moc"
