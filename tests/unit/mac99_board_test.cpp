// Specification: the mac99 board checks what a user can get wrong before the
// guest starts (RAM size, firmware, kernel), lays kernel, initrd and command
// line out as QEMU's mac99 does, and describes them in fw_cfg the way
// OpenBIOS reads it (through the bus, as the guest does).

#include "core/machine/mac99_board.h"

#include <QTemporaryDir>
#include <QtTest>

using tessera::machine::Mac99Board;
using tessera::machine::Mac99Config;

namespace {
class NullHost : public tessera::machine::VmHost {
public:
    void serialOutput(std::span<const uint8_t>) override {}
    void fatalError(const std::string&) override {}
};

// A fw_cfg item as the guest reads it: big-endian selector, then bytes.
std::vector<uint8_t> item(Mac99Board& board, uint16_t key, unsigned length) {
    board.bus().write(Mac99Board::kFwCfgBase, 2, uint64_t((key >> 8) | ((key & 0xff) << 8)));
    std::vector<uint8_t> bytes;
    for (unsigned i = 0; i < length; ++i) {
        uint64_t b = 0;
        board.bus().read(Mac99Board::kFwCfgBase + 2, 1, b);
        bytes.push_back(uint8_t(b));
    }
    return bytes;
}
uint32_t itemU32(Mac99Board& board, uint16_t key) {
    const auto b = item(board, key, 4);
    return b[0] | (b[1] << 8) | (b[2] << 16) | (uint32_t(b[3]) << 24);
}

// A minimal 32-bit big-endian PowerPC ELF: one PT_LOAD of `payload` at paddr 0.
QByteArray ppcElf(const QByteArray& payload) {
    QByteArray elf(52 + 32, '\0');
    auto put16 = [&](int at, uint16_t v) { elf[at] = char(v >> 8), elf[at + 1] = char(v); };
    auto put32 = [&](int at, uint32_t v) {
        for (int i = 0; i < 4; ++i) elf[at + i] = char(v >> (24 - 8 * i));
    };
    elf[0] = 0x7f, elf[1] = 'E', elf[2] = 'L', elf[3] = 'F', elf[4] = 1, elf[5] = 2, elf[6] = 1;
    put16(16, 2), put16(18, 20), put32(20, 1), put32(24, 0xc0000000), put32(28, 52);
    put16(40, 52), put16(42, 32), put16(44, 1);
    put32(52, 1), put32(56, 84), put32(60, 0xc0000000), put32(64, 0), put32(68, payload.size()),
        put32(72, payload.size() + 0x1000);
    return elf + payload;
}
}  // namespace

class Mac99BoardTest : public QObject {
    Q_OBJECT
private slots:
    void wrongRamFirmwareOrKernelAreClearErrors() {
        NullHost host;
        Mac99Config config;
        config.ramSize = 16ull << 20;
        auto small = Mac99Board::create(config, host);
        QVERIFY(!small);
        QVERIFY(QString::fromStdString(small.message()).contains("between 32 MiB and 2047 MiB"));

        config = Mac99Config{};
        config.bios = "/nonexistent/openbios-ppc";
        auto noBios = Mac99Board::create(config, host);
        QVERIFY(!noBios);
        QVERIFY(QString::fromStdString(noBios.message()).contains("qemu-system-data"));

        QTemporaryDir dir;
        const QString brokenElf = dir.filePath("vmlinux");
        QFile f(brokenElf);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray("\x7f" "ELF") + QByteArray(4092, 'x'));
        f.close();
        config = Mac99Config{};
        config.kernel = brokenElf.toStdString();
        auto badKernel = Mac99Board::create(config, host);
        QVERIFY(!badKernel);
        QVERIFY(QString::fromStdString(badKernel.message()).contains("ELF"));
    }
    void aKernelThatIsNotAnElfIsARawImageAt16MiBAsInQemu() {
        QTemporaryDir dir;
        QFile kernel(dir.filePath("kernel.bin"));
        QVERIFY(kernel.open(QIODevice::WriteOnly));
        kernel.write(QByteArray(5000, 'k'));
        kernel.close();
        NullHost host;
        Mac99Config config;
        config.kernel = kernel.fileName().toStdString();
        auto board = Mac99Board::create(config, host);
        QVERIFY2(board, board ? "" : board.message().c_str());
        Mac99Board& b = **board;
        QCOMPARE(itemU32(b, 0x0007), 0x01000000u);  // fw_cfg kernel address
        QCOMPARE(itemU32(b, 0x0008), 5000u);        // and size: the file's
        const uint8_t* k = b.bus().ramPointer(0x01000000, 5000);
        QCOMPARE(QByteArray(reinterpret_cast<const char*>(k), 5000), QByteArray(5000, 'k'));
    }
    void withoutAKernelOpenBiosIsToldToBootTheDiskAndTheRamSize() {
        NullHost host;
        Mac99Config config;
        config.ramSize = 256ull << 20;
        auto board = Mac99Board::create(config, host);
        QVERIFY2(board, board ? "" : board.message().c_str());
        Mac99Board& b = **board;
        QCOMPARE(item(b, 0x0000, 4), (std::vector<uint8_t>{'Q', 'E', 'M', 'U'}));
        QCOMPARE(itemU32(b, 0x0001), 1u);             // fw_cfg interface version
        QCOMPARE(item(b, 0x0006, 2)[0], uint8_t(1));  // machine id: MAC99
        QCOMPARE(itemU32(b, 0x0003), uint32_t(256u << 20));
        QCOMPARE(item(b, 0x000c, 2)[0], uint8_t('c'));  // as QEMU's default boot order "cd"
        QCOMPARE(itemU32(b, 0x0008), 0u);  // no kernel
        QCOMPARE(itemU32(b, 0x8003), Mac99Board::kTimebaseHz);
        QCOMPARE(b.cpu().pc(), uint64_t(Mac99Board::kResetVector));
        uint64_t insn = 0;
        QVERIFY(b.bus().read(Mac99Board::kResetVector, 4, insn));
        QVERIFY(insn != 0);  // OpenBIOS's reset code is in the ROM
    }
    void kernelInitrdAndCommandLineAreLaidOutAsQemuDoes() {
        QTemporaryDir dir;
        QFile kernel(dir.filePath("vmlinux")), initrd(dir.filePath("initrd"));
        QVERIFY(kernel.open(QIODevice::WriteOnly) && initrd.open(QIODevice::WriteOnly));
        kernel.write(ppcElf(QByteArray("KERNEL")));
        initrd.write(QByteArray(5000, 'i'));
        kernel.close(), initrd.close();
        NullHost host;
        Mac99Config config;
        config.kernel = kernel.fileName().toStdString();
        config.initrd = initrd.fileName().toStdString();
        config.append = "console=ttyPZ0";
        auto board = Mac99Board::create(config, host);
        QVERIFY2(board, board ? "" : board.message().c_str());
        Mac99Board& b = **board;
        // The kernel at 16 MiB (paddr & 0x0fffffff) + 16 MiB), its size the image's memory size.
        QCOMPARE(itemU32(b, 0x0007), 0x01000000u);
        QCOMPARE(itemU32(b, 0x0008), 6u + 0x1000u);
        const uint8_t* k = b.bus().ramPointer(0x01000000, 6);
        QCOMPARE(QByteArray(reinterpret_cast<const char*>(k), 6), QByteArray("KERNEL"));
        // The initrd a page-rounded 1 MiB gap after the kernel, the command line after the initrd.
        const uint32_t initrdBase = itemU32(b, 0x000a);
        QCOMPARE(initrdBase, 0x01102000u);
        QCOMPARE(itemU32(b, 0x000b), 5000u);
        const uint32_t cmdline = itemU32(b, 0x0009);
        QCOMPARE(cmdline, 0x01104000u);
        QCOMPARE(QByteArray(reinterpret_cast<const char*>(b.bus().ramPointer(cmdline, 15))),
                 QByteArray("console=ttyPZ0"));
        QCOMPARE(item(b, 0x000c, 2)[0], uint8_t('m'));  // boot from memory
    }
};

QTEST_APPLESS_MAIN(Mac99BoardTest)
#include "mac99_board_test.moc"
