// Specification: the VM window is told when the firmware found nothing to
// boot, from the serial output of the real firmwares (captured from Debian's
// EDK2 2025.02 and U-Boot 2023.01 on Tessera's virt board), once per boot,
// and not when the user stopped U-Boot's countdown on purpose.

#include "core/vm/boot_failure_watch.h"

#include <QtTest>

using tessera::vm::BootFailureWatch;

namespace {

const QByteArray kOpenSbi = "\r\nOpenSBI v1.6\r\n   ____                    _____ ____ _____\r\n";
const QByteArray kEdk2Shell =
    "RISC-V EDK2 firmware version 2025.02-8+deb13u1\r\nPress ESCAPE within 5 seconds for boot options "
    "\x1b[2J\x1b[01;01HUEFI Interactive Shell v2.2\r\nEDK II\r\nUEFI v2.70 (Debian distribution of EDK II, "
    "0x00010000)\r\n\x1b[1m\x1b[33m\x1b[40mMapping table\x1b[0m\x1b[37m\x1b[40m\r\n      map: No mapping "
    "found.\r\n"
    "Press \x1b[1m\x1b[37m\x1b[40mESC\x1b[0m\x1b[37m\x1b[40m in 1 seconds to skip startup.nsh.\r\n"
    "\x1b[1m\x1b[33m\x1b[40mShell> \x1b[0m\x1b[37m\x1b[40m";
const QByteArray kUbootGaveUp =
    "Hit any key to stop autoboot:  2 \x08\x08\x08 1 \x08\x08\x08 0 \r\n\r\nDevice 0: unknown device\r\n"
    "scanning bus for devices...\r\n\r\nDevice 0: unknown device\r\nNo ethernet found.\r\nNo ethernet "
    "found.\r\n=> ";
const QByteArray kUbootStoppedByUser = "Hit any key to stop autoboot:  2 \x08\x08\x08 0 \r\n=> ";

}  // namespace

class BootFailureWatchTest : public QObject {
    Q_OBJECT
private slots:
    void uefiShellAfterNoBootOptionIsReported() {
        BootFailureWatch watch;
        QVERIFY(!watch.feed(kOpenSbi));
        const auto message = watch.feed(kEdk2Shell);
        QVERIFY(message.has_value());
        QVERIFY(message->contains("UEFI firmware"));
        QVERIFY(message->contains("Change Disc"));
    }

    void ubootPromptAfterFailedAutobootIsReported() {
        BootFailureWatch watch;
        watch.feed(kOpenSbi);
        const auto message = watch.feed(kUbootGaveUp);
        QVERIFY(message.has_value());
        QVERIFY(message->contains("U-Boot"));
    }

    void ubootPromptTheUserAskedForIsNot() {
        BootFailureWatch watch;
        watch.feed(kOpenSbi);
        QVERIFY(!watch.feed(kUbootStoppedByUser));
        // Later commands at that prompt that fail to boot are the user's business too.
        QVERIFY(!watch.feed("boot\r\nDevice 0: unknown device\r\n=> "));
    }

    void markersSplitAcrossChunksAreFound() {
        BootFailureWatch watch;
        const QByteArray all = kOpenSbi + kEdk2Shell;
        std::optional<QString> message;
        for (qsizetype i = 0; i < all.size(); i += 3) {
            if (auto m = watch.feed(all.mid(i, 3))) {
                QVERIFY(!message);  // once
                message = m;
            }
        }
        QVERIFY(message.has_value());
    }

    void reportedOncePerBootAndAgainAfterAReset() {
        BootFailureWatch watch;
        QVERIFY(watch.feed(kOpenSbi + kEdk2Shell));
        QVERIFY(!watch.feed("\r\nShell> "));
        QVERIFY(!watch.feed(kOpenSbi));  // the reset's new boot: nothing has failed yet
        QVERIFY(watch.feed(kEdk2Shell));
    }

    void aBootingInstallerIsNotAFailure() {
        BootFailureWatch watch;
        watch.feed(kOpenSbi);
        QVERIFY(!watch.feed(
            "RISC-V EDK2 firmware version 2025.02\r\nPress ESCAPE within 5 seconds for boot options "
            "\x1b[2J\x1b[02;25HGNU GRUB  version 2.12\r\n"));
        QVERIFY(!watch.feed(QByteArray(200000, 'x')));  // long output stays bounded and quiet
    }
};

QTEST_GUILESS_MAIN(BootFailureWatchTest)
#include "boot_failure_watch_test.moc"
