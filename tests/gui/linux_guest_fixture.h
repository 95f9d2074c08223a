#pragma once
// The Linux guest fixture (OpenSBI + Linux + BusyBox initramfs, built and
// cached by scripts/fixtures/build.sh) as a VM, for the GUI tests and the
// screenshot tour: both show the same guest.

#include <QMap>
#include <QProcess>
#include <QString>

#include "core/vm/vm_bundle.h"
#include "core/vm/vm_config.h"
#include "../support/listening_sockets.h"

namespace tessera::testing {

// KEY=PATH lines of the fixture script (cached: about a second); empty on
// failure, with the script's last output in `error`.
inline QMap<QString, QString> guestFixtures(QString* error = nullptr) {
    QProcess script;
    script.start(QStringLiteral("bash"), {QStringLiteral(TESSERA_SOURCE_DIR "/scripts/fixtures/build.sh"),
                                          QStringLiteral("--quiet"), QStringLiteral("all")});
    QMap<QString, QString> paths;
    if (!script.waitForFinished(3600 * 1000) || script.exitCode() != 0) {
        if (error) *error = QString::fromLocal8Bit(script.readAllStandardError()).right(2000);
        return paths;
    }
    for (const QString& line : QString::fromLocal8Bit(script.readAllStandardOutput()).split(QLatin1Char('\n'))) {
        const qsizetype eq = line.indexOf(QLatin1Char('='));
        if (eq > 0) paths.insert(line.left(eq), line.mid(eq + 1));
    }
    return paths;
}

// An 800x600 display, a NIC, 256 MiB; kernel messages on the screen too, with
// ttyS0 last so it is /dev/console (scripts/fixtures/README.md).
inline vm::VmConfig linuxGuestConfig(const QMap<QString, QString>& fixtures) {
    vm::VmConfig config;
    config.name = QStringLiteral("BusyBox Linux");
    config.memoryBytes = uint64_t(256) << 20;
    config.boot.firmware = fixtures.value(QStringLiteral("OPENSBI_FW_DYNAMIC"));
    config.boot.kernel = fixtures.value(QStringLiteral("LINUX_IMAGE"));
    config.boot.initrd = fixtures.value(QStringLiteral("INITRAMFS"));
    config.boot.append = QStringLiteral("console=tty0 console=ttyS0");
    config.display = {QStringLiteral("framebuffer"), 800, 600};
    config.nics = {vm::NetworkInterface{}};
    return config;
}

// The wizard prefills the seed article's forward (host 2222 -> guest 22):
// tests that start such a VM move its forwards to free host ports, so they
// neither collide with each other (ctest -j) nor with the host's own 2222.
inline bool moveForwardsToFreePorts(const QString& bundleDirectory) {
    const vm::VmBundle bundle(bundleDirectory);
    auto config = bundle.load();
    if (!config) return false;
    for (vm::NetworkInterface& nic : config->nics)
        for (vm::PortForward& forward : nic.forwards) forward.hostPort = freePort();
    return bundle.save(*config).ok();
}

}  // namespace tessera::testing
