// Specification: the GDB remote protocol's framing as the stub reads and
// writes it. Packets are $payload#cc with a modulo-256 checksum; + and -
// acknowledge; a lone 0x03 interrupts; binary data escapes # $ } * with }
// and XOR 0x20. Hostile input (bad checksums, endless packets, stray bytes,
// bad hex, huge numbers) becomes events and errors, never a crash or an
// unbounded buffer.

#include "core/debug/gdb_packet.h"

#include <QtTest>
#include <string>
#include <vector>

using namespace tessera::debug;

namespace {

std::vector<GdbInput> feed(GdbPacketReader& reader, const std::string& bytes) {
    return reader.feed({reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()});
}

}  // namespace

class GdbPacketTest : public QObject {
    Q_OBJECT

private slots:
    void framesWithTheModulo256Checksum() {
        // The manual's own example sum: "g" is 0x67.
        QCOMPARE(framePacket("g"), std::string("$g#67"));
        QCOMPARE(framePacket("OK"), std::string("$OK#9a"));
        QCOMPARE(framePacket(""), std::string("$#00"));
    }

    void readsPacketsAcksAndInterrupts() {
        GdbPacketReader reader;
        const auto inputs = feed(reader, "+$qSupported:multiprocess+#c6-\x03");
        QCOMPARE(inputs.size(), size_t(4));
        QCOMPARE(inputs[0].kind, GdbInput::Kind::Ack);
        QCOMPARE(inputs[1].kind, GdbInput::Kind::Packet);
        QCOMPARE(inputs[1].payload, std::string("qSupported:multiprocess+"));
        QCOMPARE(inputs[2].kind, GdbInput::Kind::Nack);
        QCOMPARE(inputs[3].kind, GdbInput::Kind::Interrupt);
    }

    void keepsAPacketSplitAcrossReads() {
        GdbPacketReader reader;
        QVERIFY(feed(reader, "$m8000").empty());
        QVERIFY(feed(reader, "0000,4#").empty());
        const auto inputs = feed(reader, "55");
        QCOMPARE(inputs.size(), size_t(1));
        QCOMPARE(inputs[0].payload, std::string("m80000000,4"));
        QCOMPARE(framePacket("m80000000,4"), std::string("$m80000000,4#55"));
    }

    void rejectsBadChecksums() {
        GdbPacketReader reader;
        auto inputs = feed(reader, "$g#68$g#zz$g#6");
        QCOMPARE(inputs.size(), size_t(2));
        QCOMPARE(inputs[0].kind, GdbInput::Kind::BadChecksum);
        QCOMPARE(inputs[1].kind, GdbInput::Kind::BadChecksum);
        // The reader is not stuck: the unfinished third packet completes.
        inputs = feed(reader, "7");
        QCOMPARE(inputs.size(), size_t(1));
        QCOMPARE(inputs[0].kind, GdbInput::Kind::Packet);
    }

    void dropsPacketsLongerThanTheLimitWithoutGrowing() {
        GdbPacketReader reader;
        std::string huge = "$" + std::string(kMaxPayload * 8, 'A') + "#00";
        auto inputs = feed(reader, huge);
        QCOMPARE(inputs.size(), size_t(1));
        QCOMPARE(inputs[0].kind, GdbInput::Kind::TooLong);
        // And the next packet is read normally.
        inputs = feed(reader, "$g#67");
        QCOMPARE(inputs.size(), size_t(1));
        QCOMPARE(inputs[0].kind, GdbInput::Kind::Packet);
    }

    void ignoresNoiseBetweenPacketsAndRestartsOnANewDollar() {
        GdbPacketReader reader;
        const auto inputs = feed(reader, "garbage\r\n$abc$g#67");
        QCOMPARE(inputs.size(), size_t(1));
        QCOMPARE(inputs[0].payload, std::string("g"));
    }

    void escapesBinaryDataBothWays() {
        const std::string data = std::string("a#b$c}d*e\0f", 11);
        const std::string escaped = escapeBinary(data);
        QCOMPARE(escaped, std::string("a}\x03"
                                      "b}\x04"
                                      "c}]d}\x0a"
                                      "e\0f",
                                      15));
        QCOMPARE(unescapeBinary(escaped).value(), data);
        QVERIFY(!unescapeBinary("abc}").has_value());  // ends inside an escape
        // A frame never carries a raw # or $ in its body.
        const std::string frame = framePacket("x#y$z");
        QCOMPARE(frame.find('#'), frame.size() - 3);
        QCOMPARE(frame.rfind('$'), size_t(0));
    }

    void parsesHexStrictly() {
        QCOMPARE(parseHexNumber("ffffffff80000000").value(), uint64_t(0xffffffff80000000));
        QCOMPARE(parseHexNumber("A").value(), uint64_t(10));
        QVERIFY(!parseHexNumber("").has_value());
        QVERIFY(!parseHexNumber("1ffffffffffffffff").has_value());  // more than 64 bits
        QVERIFY(!parseHexNumber("12g4").has_value());
        QVERIFY(!parseHexNumber("-1").has_value());
        QCOMPARE(decodeHex("00ff7f").value(), (std::vector<uint8_t>{0x00, 0xff, 0x7f}));
        QVERIFY(!decodeHex("abc").has_value());  // odd length
        QVERIFY(!decodeHex("zz").has_value());
        const std::vector<uint8_t> bytes{0xde, 0xad, 0x00};
        QCOMPARE(encodeHex(bytes), std::string("dead00"));
    }
};

QTEST_APPLESS_MAIN(GdbPacketTest)
#include "gdb_packet_test.moc"
