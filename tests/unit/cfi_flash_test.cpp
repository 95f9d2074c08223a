// Specification: a CFI flash bank answers the Intel command sequences that
// EDK2's VirtNorFlashDxe and Linux's cfi_cmdset_0001 send to QEMU virt's
// pflash banks (two x16 chips on a 32-bit bus, every command written to both
// halves), keeps every change in its image file, and survives hostile access.

#include "core/devices/cfi_flash.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include "core/block/open_image.h"

using namespace tessera;
using devices::CfiFlash;

namespace {

constexpr uint64_t kBank = 4 * CfiFlash::kBlockSize;  // 1 MiB: four erase blocks
constexpr uint32_t kReadyBoth = 0x00800080;

uint32_t dual(uint8_t command) {
    return (uint32_t(command) << 16) | command;
}

}  // namespace

class CfiFlashTest : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;

    QString imageWith(const QByteArray& contents) {
        const QString path = dir_.filePath(QString("bank%1.fd").arg(++images_));
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(contents) != contents.size())
            qFatal("cannot write image");
        return path;
    }
    std::unique_ptr<CfiFlash> open(const QString& path, bool readOnly = false) {
        block::OpenOptions options;
        options.readOnly = readOnly;
        options.format = block::ImageFormat::Raw;
        auto image = block::openImage(path.toStdString(), options);
        if (!image) qFatal("%s", image.message().c_str());
        auto flash = CfiFlash::create(kBank, std::move(*image));
        if (!flash) qFatal("%s", flash.message().c_str());
        return std::move(*flash);
    }
    static QByteArray fileBytes(const QString& path, qint64 offset, qint64 length) {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) qFatal("cannot read image");
        file.seek(offset);
        return file.read(length);
    }
    int images_ = 0;

private slots:
    void readArrayShowsTheImage() {
        QByteArray contents(kBank, '\0');
        for (int i = 0; i < contents.size(); ++i) contents[i] = char(i * 7);
        auto flash = open(imageWith(contents));
        QCOMPARE(flash->mmioSize(), kBank);
        for (uint64_t offset : {uint64_t(0), uint64_t(0x1234), kBank - 8}) {
            uint64_t expected = 0;
            std::memcpy(&expected, contents.constData() + offset, 8);
            QCOMPARE(flash->read(offset, 8), expected);
            QCOMPARE(flash->read(offset, 1), expected & 0xFF);
        }
    }

    void statusIsReadyInBothChips() {
        auto flash = open(imageWith(QByteArray(kBank, '\xFF')));
        flash->write(0, 4, dual(0x70));
        QCOMPARE(flash->read(0, 4), uint64_t(kReadyBoth));
        QCOMPARE(flash->read(0x40000, 4), uint64_t(kReadyBoth));  // any address reads the status
        QCOMPARE(flash->read(2, 2), uint64_t(0x0080));            // the high chip's half alone
        QCOMPARE(flash->read(0, 8), (uint64_t(kReadyBoth) << 32) | kReadyBoth);
        flash->write(0, 4, dual(0xFF));
        QCOMPARE(flash->read(0, 4), uint64_t(0xFFFFFFFF));
    }

    void wordProgramLandsInTheImageFile() {
        const QString path = imageWith(QByteArray(kBank, '\xFF'));
        auto flash = open(path);
        // EDK2 NorFlashWriteSingleWord: 0x40 at the word, the data, then poll the status.
        flash->write(0x100, 4, dual(0x40));
        flash->write(0x100, 4, 0x12345678);
        flash->write(0, 4, dual(0x70));
        QCOMPARE(flash->read(0, 4), uint64_t(kReadyBoth));
        flash->write(0, 4, dual(0x50));
        flash->write(0, 4, dual(0xFF));
        QCOMPARE(flash->read(0x100, 4), uint64_t(0x12345678));
        QCOMPARE(fileBytes(path, 0x100, 4), QByteArray("\x78\x56\x34\x12", 4));
    }

    void blockEraseClearsOneBlockToOnes() {
        const QString path = imageWith(QByteArray(kBank, '\0'));
        auto flash = open(path);
        flash->write(CfiFlash::kBlockSize + 0x10, 4, dual(0x20));
        flash->write(CfiFlash::kBlockSize + 0x10, 4, dual(0xD0));
        QCOMPARE(flash->read(0, 4), uint64_t(kReadyBoth));
        flash->write(0, 4, dual(0xFF));
        QCOMPARE(flash->read(CfiFlash::kBlockSize - 4, 4), uint64_t(0));  // block 0 untouched
        QCOMPARE(flash->read(CfiFlash::kBlockSize, 8), ~uint64_t(0));
        QCOMPARE(flash->read(2 * CfiFlash::kBlockSize - 8, 8), ~uint64_t(0));
        QCOMPARE(flash->read(2 * CfiFlash::kBlockSize, 4), uint64_t(0));  // block 2 untouched
        QCOMPARE(fileBytes(path, CfiFlash::kBlockSize, CfiFlash::kBlockSize),
                 QByteArray(int(CfiFlash::kBlockSize), '\xFF'));
    }

    void eraseWithoutConfirmIsACommandSequenceError() {
        auto flash = open(imageWith(QByteArray(kBank, '\0')));
        flash->write(0, 4, dual(0x20));
        flash->write(0, 4, dual(0xFF));  // not the confirm code
        QCOMPARE(flash->read(0, 4), uint64_t(dual(0x80 | 0x30)));
        flash->write(0, 4, dual(0x50));  // clear status: back to ready and read array
        QCOMPARE(flash->read(0, 4), uint64_t(0));
        flash->write(0, 4, dual(0x70));
        QCOMPARE(flash->read(0, 4), uint64_t(kReadyBoth));
    }

    void bufferedProgramAsEdk2DoesIt() {
        const QString path = imageWith(QByteArray(kBank, '\xFF'));
        auto flash = open(path);
        const uint64_t target = 2 * CfiFlash::kBlockSize + 0x80;
        flash->write(target, 4, dual(0xE8));
        QCOMPARE(flash->read(target, 4), uint64_t(kReadyBoth));  // the write buffer is free
        flash->write(target, 4, (31u << 16) | 31u);              // 32 words, count minus one
        for (uint32_t i = 0; i < 32; ++i) flash->write(target + 4 * i, 4, 0xA5000000u + i);
        flash->write(0, 4, dual(0xD0));  // confirmed at the device base, as EDK2 does
        QCOMPARE(flash->read(0, 4), uint64_t(kReadyBoth));
        flash->write(0, 4, dual(0xFF));
        for (uint32_t i = 0; i < 32; ++i) QCOMPARE(flash->read(target + 4 * i, 4), uint64_t(0xA5000000u + i));
        QCOMPARE(fileBytes(path, qint64(target + 31 * 4), 4), QByteArray("\x1F\x00\x00\xA5", 4));
    }

    void bufferedProgramRejectsOversizedAndStrayWrites() {
        auto flash = open(imageWith(QByteArray(kBank, '\xFF')));
        flash->write(0, 4, dual(0xE8));
        flash->write(0, 4, (32u << 16) | 32u);  // 33 words: more than the chips' buffer
        QCOMPARE(flash->read(0, 4), uint64_t(dual(0x80 | 0x30)));
        flash->write(0, 4, dual(0x50));

        flash->write(CfiFlash::kBlockSize - 4, 4, dual(0xE8));
        flash->write(CfiFlash::kBlockSize - 4, 4, (1u << 16) | 1u);
        flash->write(CfiFlash::kBlockSize - 4, 4, 0);
        flash->write(CfiFlash::kBlockSize, 4, 0);  // crosses into the next block: aborted
        QCOMPARE(flash->read(0, 4), uint64_t(dual(0x80 | 0x30)));
        flash->write(0, 4, dual(0x50));
        QCOMPARE(flash->read(CfiFlash::kBlockSize - 4, 8), ~uint64_t(0));  // nothing was programmed
    }

    void cfiQueryDescribesTheBank() {
        auto flash = open(imageWith(QByteArray(kBank, '\0')));
        flash->write(0x55 * 4, 4, dual(0x98));
        auto query = [&](uint64_t index) { return flash->read(index * 4, 4); };
        QCOMPARE(query(0x10), uint64_t(dual('Q')));
        QCOMPARE(query(0x11), uint64_t(dual('R')));
        QCOMPARE(query(0x12), uint64_t(dual('Y')));
        QCOMPARE(query(0x13), uint64_t(dual(0x01)));  // Intel/Sharp extended command set
        QCOMPARE(query(0x27), uint64_t(dual(19)));    // each chip: 512 KiB = 2^19
        QCOMPARE(query(0x28), uint64_t(dual(0x01)));  // x16
        QCOMPARE(query(0x2C), uint64_t(dual(1)));     // one erase region:
        QCOMPARE(query(0x2D), uint64_t(dual(3)));     // 4 blocks
        QCOMPARE(query(0x2F), uint64_t(dual(0x00)));  // of 128 KiB per chip (0x200 * 256)
        QCOMPARE(query(0x30), uint64_t(dual(0x02)));
        QCOMPARE(query(0x31), uint64_t(dual('P')));
        flash->write(0, 4, dual(0xFF));
        QCOMPARE(flash->read(0x10 * 4, 4), uint64_t(0));
    }

    void identifierAndLockStatus() {
        auto flash = open(imageWith(QByteArray(kBank, '\0')));
        flash->write(0, 4, dual(0x90));
        QCOMPARE(flash->read(0, 4), uint64_t(dual(0x89)));
        QCOMPARE(flash->read(4, 4), uint64_t(dual(0x18)));
        // EDK2 NorFlashBlockIsLocked: word 2 of the block; unlocking is accepted.
        QCOMPARE(flash->read(CfiFlash::kBlockSize + 8, 4), uint64_t(0));
        flash->write(CfiFlash::kBlockSize, 4, dual(0x60));
        flash->write(CfiFlash::kBlockSize, 4, dual(0xD0));
        QCOMPARE(flash->read(CfiFlash::kBlockSize, 4), uint64_t(kReadyBoth));
    }

    void readOnlyImageRefusesProgramAndErase() {
        const QString path = imageWith(QByteArray(kBank, '\0'));
        auto flash = open(path, /*readOnly=*/true);
        flash->write(0, 4, dual(0x40));
        flash->write(0, 4, 0xFFFFFFFF);
        QCOMPARE(flash->read(0, 4), uint64_t(dual(0x80 | 0x10)));
        flash->write(0, 4, dual(0x50));
        flash->write(0, 4, dual(0x20));
        flash->write(0, 4, dual(0xD0));
        QCOMPARE(flash->read(0, 4), uint64_t(dual(0x80 | 0x20)));
        flash->write(0, 4, dual(0x50));
        QCOMPARE(flash->read(0, 4), uint64_t(0));
        QCOMPARE(fileBytes(path, 0, 4), QByteArray(4, '\0'));
    }

    void resetReturnsToReadArray() {
        auto flash = open(imageWith(QByteArray(kBank, '\x11')));
        flash->write(0, 4, dual(0x98));
        flash->write(0, 4, dual(0x40));
        flash->reset();
        QCOMPARE(flash->read(0, 4), uint64_t(0x11111111));
    }

    void hostileAccessesStayInsideTheBank() {
        auto flash = open(imageWith(QByteArray(kBank, '\xFF')));
        QCOMPARE(flash->read(kBank, 4), uint64_t(0));
        QCOMPARE(flash->read(~uint64_t(0), 8), uint64_t(0));
        QCOMPARE(flash->read(kBank - 2, 8), uint64_t(0xFFFF));  // only the bytes inside the bank
        flash->write(kBank, 4, dual(0x40));                     // outside: ignored
        flash->write(kBank - 2, 4, dual(0x40));
        flash->write(kBank - 2, 8, 0);  // program straddling the end: refused
        QCOMPARE(flash->read(0, 4), uint64_t(dual(0x80 | 0x10)));
        flash->write(0, 4, dual(0x50));
        QCOMPARE(flash->read(kBank - 2, 2), uint64_t(0xFFFF));
        for (unsigned size : {1u, 2u, 4u, 8u})
            for (uint32_t command : {0x20u, 0xE8u, 0x60u, 0x98u, 0x90u, 0x70u, 0x10u, 0x00u, 0x12u})
                flash->write(0x40000 + size, size, command);  // any sequence leaves a usable device
        flash->write(0, 4, dual(0x50));
        QCOMPARE(flash->read(0, 4), uint64_t(0xFFFFFFFF));
    }

    void imageOfTheWrongSizeIsRefusedByName() {
        const QString path = imageWith(QByteArray(4096, '\0'));
        auto image = block::openImage(path.toStdString(), {});
        QVERIFY(bool(image));
        auto flash = CfiFlash::create(kBank, std::move(*image));
        QVERIFY(!flash);
        QVERIFY(flash.message().find(path.toStdString()) != std::string::npos);
        QVERIFY(flash.message().find("exactly 1 MiB") != std::string::npos);
        QVERIFY(!CfiFlash::create(1000, nullptr));  // not whole blocks
    }

    void volatileBankStartsErased() {
        auto flash = CfiFlash::create(kBank, nullptr);
        QVERIFY(bool(flash));
        QCOMPARE((*flash)->read(0, 8), ~uint64_t(0));
        (*flash)->write(0, 4, dual(0x40));
        (*flash)->write(0, 4, 0);
        (*flash)->write(0, 4, dual(0xFF));
        QCOMPARE((*flash)->read(0, 4), uint64_t(0));
    }
};

QTEST_GUILESS_MAIN(CfiFlashTest)
#include "cfi_flash_test.moc"
