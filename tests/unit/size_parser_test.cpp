// Specification: sizes on the command line are spelled as qemu-img spells them.

#include "core/block/size_parser.h"

#include <QtTest>

using namespace tessera::block;

class SizeParserTest : public QObject {
    Q_OBJECT
private slots:
    void bareNumbersAreBytes() {
        QCOMPARE(*parseSize("65536"), 65536ull);
        QCOMPARE(*parseSize("0"), 0ull);
    }
    void suffixesArePowersOf1024InEitherCase() {
        QCOMPARE(*parseSize("512k"), 512ull << 10);
        QCOMPARE(*parseSize("512K"), 512ull << 10);
        QCOMPARE(*parseSize("15G"), 15ull << 30);
        QCOMPARE(*parseSize("2m"), 2ull << 20);
        QCOMPARE(*parseSize("1T"), 1ull << 40);
        QCOMPARE(*parseSize("1P"), 1ull << 50);
        QCOMPARE(*parseSize("3E"), 3ull << 60);
        QCOMPARE(*parseSize("100b"), 100ull);
    }
    void fractionsWithAUnitAreAccepted() {
        QCOMPARE(*parseSize("1.5G"), 3ull << 29);
        QCOMPARE(*parseSize("0.5k"), 512ull);
    }
    void typosAreRejectedWithAnActionableMessage() {
        for (const char* bad : {"", "G", "12abc", "1.G", "1GG", "-5", " 5", "1.5", "0x10", "1,5G"}) {
            auto result = parseSize(bad);
            QVERIFY2(!result.ok(), bad);
            QVERIFY(!result.message().empty());
        }
        QVERIFY(parseSize("12abc").message().find("suffix") != std::string::npos);
    }
    void sizesAbove8EiBAreRejectedNotWrapped() {
        QVERIFY(!parseSize("8E").ok());
        QVERIFY(!parseSize("99999999999999999999").ok());
        QVERIFY(!parseSize("16000000000000000000000k").ok());
        QVERIFY(parseSize("7E").ok());
    }
    void relativeSizesGrowAndShrink() {
        auto grow = parseSizeChange("+1G");
        QVERIFY(grow.ok());
        QCOMPARE(*grow->applyTo(1ull << 30), 2ull << 30);
        auto shrink = parseSizeChange("-512M");
        QCOMPARE(*shrink->applyTo(1ull << 30), 512ull << 20);
        auto absolute = parseSizeChange("3G");
        QCOMPARE(*absolute->applyTo(1ull << 30), 3ull << 30);
    }
    void shrinkingBelowZeroIsAnError() {
        auto shrink = parseSizeChange("-2G");
        QVERIFY(shrink.ok());
        QVERIFY(!shrink->applyTo(1ull << 30).ok());
        QVERIFY(!parseSizeChange("+").ok());
    }
    void humanSizesMatchQemuImg() {
        QCOMPARE(formatHumanSize(1610612736), std::string("1.5 GiB"));
        QCOMPARE(formatHumanSize(200704), std::string("196 KiB"));
        QCOMPARE(formatHumanSize(512), std::string("512 B"));
        QCOMPARE(formatHumanSize(1ull << 30), std::string("1 GiB"));
        QCOMPARE(formatHumanSize(1000 * 1024), std::string("0.977 MiB"));
        QCOMPARE(formatHumanSize(0), std::string("0 B"));
    }
};

QTEST_APPLESS_MAIN(SizeParserTest)
#include "size_parser_test.moc"
