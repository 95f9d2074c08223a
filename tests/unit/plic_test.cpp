// Specification: the PLIC forwards enabled, sufficiently urgent level
// interrupts to the M or S context of a hart, with claim/complete as in the
// RISC-V PLIC spec 1.0.0.

#include <QtTest>

#include "core/devices/plic.h"

using tessera::devices::Plic;

namespace {
constexpr uint64_t kMContext = 0, kSContext = 1;
uint64_t enableWord(uint64_t context, unsigned id) { return Plic::kEnableBase + context * Plic::kEnableStride + (id / 32) * 4; }
uint64_t threshold(uint64_t context) { return Plic::kContextBase + context * Plic::kContextStride; }
uint64_t claim(uint64_t context) { return threshold(context) + 4; }
}  // namespace

class PlicTest : public QObject {
    Q_OBJECT
private slots:
    void enabledSourceAboveThresholdRaisesTheContextLine() {
        Plic plic(1);
        bool meip = false, seip = false;
        plic.contextIrq(kMContext).connect([&](bool l) { meip = l; });
        plic.contextIrq(kSContext).connect([&](bool l) { seip = l; });
        plic.setSourceLevel(10, true);
        QVERIFY(!seip);  // priority 0 = never
        plic.write(10 * 4, 4, 1);
        QVERIFY(!seip);  // not enabled
        plic.write(enableWord(kSContext, 10), 4, 1u << 10);
        QVERIFY(seip);
        QVERIFY(!meip);  // M context has its own enables
        plic.write(threshold(kSContext), 4, 1);
        QVERIFY(!seip);  // priority must exceed the threshold
        plic.write(threshold(kSContext), 4, 0);
        QVERIFY(seip);
    }
    void claimReturnsTheMostUrgentAndCompleteRearmsALevel() {
        Plic plic(1);
        bool meip = false;
        plic.contextIrq(kMContext).connect([&](bool l) { meip = l; });
        plic.write(3 * 4, 4, 2);
        plic.write(5 * 4, 4, 5);
        plic.write(enableWord(kMContext, 0), 4, (1u << 3) | (1u << 5));
        plic.setSourceLevel(3, true);
        plic.setSourceLevel(5, true);
        QCOMPARE(plic.read(Plic::kPendingBase, 4), uint64_t((1u << 3) | (1u << 5)));
        QCOMPARE(plic.read(claim(kMContext), 4), 5ull);
        QVERIFY(meip);  // 3 still pending
        QCOMPARE(plic.read(claim(kMContext), 4), 3ull);
        QVERIFY(!meip);
        QCOMPARE(plic.read(claim(kMContext), 4), 0ull);  // nothing left
        plic.setSourceLevel(3, false);
        plic.write(claim(kMContext), 4, 3);  // complete 3: level low, stays quiet
        QVERIFY(!meip);
        plic.write(claim(kMContext), 4, 5);  // complete 5: level still high, pends again
        QVERIFY(meip);
        QCOMPARE(plic.read(claim(kMContext), 4), 5ull);
    }
    void everyHartHasAnMAndAnSContextAndAClaimGoesToOneOfThem() {
        // Contexts 2h (M) and 2h+1 (S) per hart, as QEMU's virt: a source
        // enabled in the S context of harts 1 and 3 raises both lines; the
        // first claim takes it, the other hart's claim then gets 0 (Linux
        // routes a source to one hart, but must survive a race for it).
        Plic plic(4);
        QCOMPARE(plic.contextCount(), 8u);
        bool line[8] = {};
        for (unsigned c = 0; c < 8; ++c) plic.contextIrq(c).connect([&line, c](bool l) { line[c] = l; });
        plic.write(7 * 4, 4, 1);
        plic.write(enableWord(2 * 1 + kSContext, 7), 4, 1u << 7);
        plic.write(enableWord(2 * 3 + kSContext, 7), 4, 1u << 7);
        plic.setSourceLevel(7, true);
        QCOMPARE((std::vector<bool>(line, line + 8)),
                 (std::vector<bool>{false, false, false, true, false, false, false, true}));
        QCOMPARE(plic.read(claim(2 * 3 + kSContext), 4), 7ull);
        QVERIFY(!line[3] && !line[7]);  // in service: no longer pending anywhere
        QCOMPARE(plic.read(claim(2 * 1 + kSContext), 4), 0ull);
        plic.write(threshold(2 * 1 + kSContext), 4, 1);  // thresholds are per context too
        QCOMPARE(plic.read(threshold(2 * 1 + kSContext), 4), 1ull);
        QCOMPARE(plic.read(threshold(2 * 3 + kSContext), 4), 0ull);
        plic.write(claim(2 * 3 + kSContext), 4, 7);  // complete; level still high: pends again
        QVERIFY(line[7]);
        QVERIFY(!line[3]);  // hart 1's S threshold now masks priority 1
    }
    void equalPrioritiesGoToTheLowestId() {
        Plic plic(1);
        plic.write(7 * 4, 4, 1);
        plic.write(40 * 4, 4, 1);
        plic.write(enableWord(kSContext, 7), 4, 1u << 7);
        plic.write(enableWord(kSContext, 40), 4, 1u << (40 - 32));
        plic.setSourceLevel(40, true);
        plic.setSourceLevel(7, true);
        QCOMPARE(plic.read(claim(kSContext), 4), 7ull);
        QCOMPARE(plic.read(claim(kSContext), 4), 40ull);
    }
    void loweredLevelWithdrawsAPendingRequest() {
        Plic plic(1);
        bool seip = false;
        plic.contextIrq(kSContext).connect([&](bool l) { seip = l; });
        plic.write(10 * 4, 4, 1);
        plic.write(enableWord(kSContext, 10), 4, 1u << 10);
        plic.setSourceLevel(10, true);
        QVERIFY(seip);
        plic.setSourceLevel(10, false);
        QVERIFY(!seip);
        QCOMPARE(plic.read(claim(kSContext), 4), 0ull);
    }
    void registersHoldOnlyImplementedBits() {
        Plic plic(1);
        plic.write(1 * 4, 4, 0xFFFFFFFF);
        QCOMPARE(plic.read(1 * 4, 4), uint64_t(Plic::kPriorityMask));
        plic.write(0, 4, 7);  // source 0 does not exist
        QCOMPARE(plic.read(0, 4), 0ull);
        plic.write(enableWord(kMContext, 0), 4, 0xFFFFFFFF);
        QCOMPARE(plic.read(enableWord(kMContext, 0), 4), 0xFFFFFFFEull);
        plic.write(Plic::kPendingBase, 4, 0xFFFFFFFF);  // read-only
        QCOMPARE(plic.read(Plic::kPendingBase, 4), 0ull);
    }
    void highestSourceNinetySixWorks() {
        Plic plic(1);
        plic.write(96 * 4, 4, 3);
        plic.write(enableWord(kSContext, 96), 4, 1u << 0);  // bit 0 of word 3
        plic.setSourceLevel(96, true);
        QCOMPARE(plic.read(Plic::kPendingBase + 12, 4), 1ull);
        QCOMPARE(plic.read(claim(kSContext), 4), 96ull);
    }
    void hostileAccessesAreHarmless() {
        Plic plic(1);
        for (uint64_t offset : {uint64_t(0x17C), uint64_t(0x1FFF), uint64_t(0x2000 + 0x80 * 2), uint64_t(0x200000 + 0x1000 * 2),
                                uint64_t(0x5FFFFC), uint64_t(0x600000), ~uint64_t(0) - 3})
            for (unsigned size : {1u, 2u, 4u, 8u}) {
                plic.write(offset, size, ~uint64_t(0));
                (void)plic.read(offset, size);
            }
        plic.write(claim(kMContext), 4, 0xFFFFFFFF);  // complete of a nonexistent source
        plic.setSourceLevel(0, true);
        plic.setSourceLevel(97, true);
        plic.setSourceLevel(~0u, true);
        QCOMPARE(plic.read(claim(kMContext), 4), 0ull);
    }
};

QTEST_APPLESS_MAIN(PlicTest)
#include "plic_test.moc"
