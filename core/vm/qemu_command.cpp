#include "core/vm/qemu_command.h"

#include "core/net/host_forward.h"
#include "core/vm/shell_words.h"
#include "core/vm/size_text.h"
#include "core/vm/uefi_firmware.h"

namespace tessera::vm {

namespace {

QString bootLetters(const QStringList& order) {
    QString letters;
    for (const QString& device : order) letters += device == QLatin1String("cdrom") ? QLatin1Char('d') : QLatin1Char('c');
    return letters;
}

QString nicDevice(const QString& model, const QString& board) {
    if (model == QLatin1String("virtio-net"))
        return boardUsesVirtioMmio(board) ? QStringLiteral("virtio-net-device") : QStringLiteral("virtio-net-pci");
    return model;
}

QString hostForward(const PortForward& f) {
    // QEMU docs (qemu-options.hx, -netdev user): hostfwd=[tcp|udp]:[hostaddr]:hostport-[guestaddr]:guestport
    // QEMU reads an empty hostaddr as every interface and knows no "localhost":
    // write the address Tessera listens on, so QEMU listens there too.
    const Result<std::string> listen = net::parseListenAddress(f.hostAddress.toStdString());
    return QStringLiteral("hostfwd=%1:%2:%3-%4:%5")
        .arg(f.protocol, listen ? QString::fromStdString(*listen) : f.hostAddress)
        .arg(f.hostPort)
        .arg(f.guestAddress)
        .arg(f.guestPort);
}

}  // namespace

bool boardUsesVirtioMmio(const QString& board) {
    return board == QLatin1String("virt") || board.startsWith(QLatin1String("virt-"));
}

QString qemuOptionEscape(const QString& value) {
    QString escaped = value;
    escaped.replace(QLatin1String(","), QLatin1String(",,"));
    return escaped;
}

QList<QPair<QString, QString>> splitQemuOptions(const QString& text) {
    QList<QPair<QString, QString>> options;
    QString part;
    QStringList parts;
    for (int i = 0; i < text.size(); ++i) {
        if (text[i] == QLatin1Char(',')) {
            if (i + 1 < text.size() && text[i + 1] == QLatin1Char(',')) {
                part += QLatin1Char(',');
                ++i;
                continue;
            }
            parts << part;
            part.clear();
        } else {
            part += text[i];
        }
    }
    parts << part;
    for (const QString& p : parts) {
        const int eq = int(p.indexOf(QLatin1Char('=')));
        if (eq < 0) options.append({QString(), p});
        else options.append({p.left(eq), p.mid(eq + 1)});
    }
    return options;
}

QStringList qemuArguments(const VmConfig& c, const VmBundle* bundle) {
    auto path = [&](const QString& p) { return bundle ? bundle->resolve(p) : p; };
    const bool mmio = boardUsesVirtioMmio(c.board);
    QStringList args{QStringLiteral("qemu-system-") + c.arch, QStringLiteral("-name"), c.name,
                     QStringLiteral("-machine"), c.board, QStringLiteral("-m"), formatSize(c.memoryBytes)};
    if (c.cpus > 1) args << QStringLiteral("-smp") << QString::number(c.cpus);
    if (c.arch == QLatin1String("riscv64") && bootsWithUefi(c)) {
        // QEMU >= 8.1 runs an S-mode payload in pflash0 after its OpenSBI, as Tessera's board does.
        args << QStringLiteral("-drive")
             << QStringLiteral("if=pflash,unit=0,format=raw,readonly=on,file=") +
                    qemuOptionEscape(riscvUefiCode())
             << QStringLiteral("-drive")
             << QStringLiteral("if=pflash,unit=1,format=raw,file=") +
                    qemuOptionEscape(path(QLatin1String(kUefiVarsFile)));
    } else if (!c.boot.firmware.isEmpty()) {
        args << QStringLiteral("-bios") << path(c.boot.firmware);
    }
    if (!c.boot.kernel.isEmpty()) args << QStringLiteral("-kernel") << path(c.boot.kernel);
    if (!c.boot.initrd.isEmpty()) args << QStringLiteral("-initrd") << path(c.boot.initrd);
    if (!c.boot.append.isEmpty()) args << QStringLiteral("-append") << c.boot.append;
    for (const Disk& d : c.disks) {
        QString drive = QStringLiteral("file=%1,format=%2,if=%3")
                            .arg(qemuOptionEscape(path(d.file)), d.format,
                                 mmio ? QStringLiteral("virtio") : QStringLiteral("ide"));
        if (d.readOnly) drive += QStringLiteral(",readonly=on");
        args << QStringLiteral("-drive") << drive;
    }
    if (!c.cdrom.isEmpty()) {
        if (mmio) {
            // virt has no IDE: the CD-ROM is a SCSI disc on virtio-scsi, as Tessera's board models it.
            args << QStringLiteral("-device") << QStringLiteral("virtio-scsi-device,id=scsi0")
                 << QStringLiteral("-drive")
                 << QStringLiteral("file=%1,if=none,id=cd0,media=cdrom,readonly=on").arg(qemuOptionEscape(path(c.cdrom)))
                 << QStringLiteral("-device") << QStringLiteral("scsi-cd,drive=cd0");
        } else {
            args << QStringLiteral("-cdrom") << path(c.cdrom);
        }
    }
    if (!c.boot.order.isEmpty()) args << QStringLiteral("-boot") << QStringLiteral("order=") + bootLetters(c.boot.order);
    if (c.nics.isEmpty()) args << QStringLiteral("-nic") << QStringLiteral("none");
    for (int i = 0; i < c.nics.size(); ++i) {
        const NetworkInterface& nic = c.nics[i];
        const QString id = QStringLiteral("n%1").arg(i);
        QString netdev = QStringLiteral("user,id=") + id;
        if (!nic.nat) netdev += QStringLiteral(",restrict=on");  // no way out, only the forwards
        for (const PortForward& f : nic.forwards) netdev += QLatin1Char(',') + hostForward(f);
        QString device = nicDevice(nic.model, c.board) + QStringLiteral(",netdev=") + id;
        if (!nic.mac.isEmpty()) device += QStringLiteral(",mac=") + nic.mac;
        args << QStringLiteral("-netdev") << netdev << QStringLiteral("-device") << device;
    }
    if (c.display.type == QLatin1String("none")) {
        args << QStringLiteral("-nographic");
    } else if (mmio) {
        args << QStringLiteral("-device")
             << QStringLiteral("virtio-gpu-device,xres=%1,yres=%2").arg(c.display.width).arg(c.display.height)
             << QStringLiteral("-device") << QStringLiteral("virtio-keyboard-device")
             << QStringLiteral("-device") << QStringLiteral("virtio-tablet-device");
    }
    return args;
}

QString qemuCommandLine(const VmConfig& config, const VmBundle* bundle) {
    return shellJoin(qemuArguments(config, bundle));
}

}  // namespace tessera::vm
