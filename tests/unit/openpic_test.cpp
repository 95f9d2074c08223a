// Specification: the KeyLargo OpenPIC as Linux's mpic driver uses it — a
// source interrupts the CPU when unmasked and above the task priority and
// what is in service; acknowledge hands out its vector, end-of-interrupt
// retires it; a level source that is still high interrupts again.

#include "core/devices/openpic.h"

#include <QtTest>

using tessera::devices::OpenPic;

namespace {
constexpr uint64_t kIack = 0x200a0, kEoi = 0x200b0, kTaskPriority = 0x20080, kSpurious = 0x10e0;
uint64_t ivpr(unsigned n) {
    return 0x10000 + n * 0x20;
}
uint64_t idr(unsigned n) {
    return ivpr(n) + 0x10;
}
constexpr uint32_t kLevel = 0x00400000;
// Unmasked, level-sensitive, `priority`, `vector`, delivered to CPU 0.
void route(OpenPic& pic, unsigned n, unsigned priority, unsigned vector) {
    pic.write(ivpr(n), 4, kLevel | (priority << 16) | vector);
    pic.write(idr(n), 4, 1);
}
}  // namespace

class OpenPicTest : public QObject {
    Q_OBJECT
private slots:
    void theFeatureRegisterReportsSixtyFourSourcesAndOneCpu() {
        OpenPic pic;
        QCOMPARE(pic.read(0x1000, 4), uint64_t((63u << 16) | 0x02));
    }
    void aSourceInterruptsOnlyWhenUnmaskedAndAboveTheTaskPriority() {
        OpenPic pic;
        bool cpu = false;
        pic.output().connect([&](bool l) { cpu = l; });
        pic.setSourceLevel(0x25, true);
        QVERIFY(!cpu);  // masked at reset
        route(pic, 0x25, 5, 0x25);
        QVERIFY(!cpu);  // task priority is 15 at reset
        pic.write(kTaskPriority, 4, 5);
        QVERIFY(!cpu);  // must be strictly above
        pic.write(kTaskPriority, 4, 4);
        QVERIFY(cpu);
        QVERIFY(pic.read(ivpr(0x25), 4) & 0x40000000);  // activity
    }
    void acknowledgeAndEndOfInterruptFollowPriorities() {
        OpenPic pic;
        bool cpu = false;
        pic.output().connect([&](bool l) { cpu = l; });
        pic.write(kTaskPriority, 4, 0);
        route(pic, 0x19, 3, 0x19);
        route(pic, 0x25, 7, 0x25);
        pic.setSourceLevel(0x19, true);
        pic.setSourceLevel(0x25, true);
        QCOMPARE(pic.read(kIack, 4), uint64_t(0x25));
        QVERIFY(!cpu);  // 0x19 ranks below what is in service
        pic.setSourceLevel(0x25, false);
        pic.write(kEoi, 4, 0);
        QVERIFY(cpu);
        QCOMPARE(pic.read(kIack, 4), uint64_t(0x19));
        pic.write(kEoi, 4, 0);
        QVERIFY(cpu);  // level 0x19 is still high: it interrupts again
        pic.setSourceLevel(0x19, false);
        QVERIFY(!cpu);
        QCOMPARE(pic.read(kIack, 4), uint64_t(0xff));  // nothing pending: the spurious vector
    }
    void edgeSourcesLatchUntilAcknowledged() {
        OpenPic pic;
        bool cpu = false;
        pic.output().connect([&](bool l) { cpu = l; });
        pic.write(kTaskPriority, 4, 0);
        pic.write(ivpr(4), 4, (2u << 16) | 0x44);  // edge
        pic.write(idr(4), 4, 1);
        pic.setSourceLevel(4, true);
        pic.setSourceLevel(4, false);
        QVERIFY(cpu);
        QCOMPARE(pic.read(kIack, 4), uint64_t(0x44));
        pic.write(kEoi, 4, 0);
        QVERIFY(!cpu);
    }
    void theSpuriousVectorAndAGlobalResetAreHonoured() {
        OpenPic pic;
        pic.write(kSpurious, 4, 0x7f);
        QCOMPARE(pic.read(kIack, 4), uint64_t(0x7f));
        route(pic, 2, 4, 2);
        pic.write(0x1020, 4, 0x80000000);
        QCOMPARE(pic.read(ivpr(2), 4), uint64_t(0x80000000));  // masked again
        QCOMPARE(pic.read(kSpurious, 4), uint64_t(0xff));
    }
};

QTEST_APPLESS_MAIN(OpenPicTest)
#include "openpic_test.moc"
