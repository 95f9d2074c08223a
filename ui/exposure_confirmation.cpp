#include "ui/exposure_confirmation.h"

#include <QCoreApplication>
#include <QMessageBox>
#include <QPushButton>

#include "core/vm/port_forward_rule.h"

namespace tessera::ui {

namespace {
struct ExposureConfirmation {
    Q_DECLARE_TR_FUNCTIONS(ExposureConfirmation)
};
}  // namespace

QString exposedSocket(const vm::PortForward& forward) {
    const Result<net::HostForward> rule = net::validateHostForward(vm::fieldsOf(forward));
    if (!rule || !net::reachableFromOtherMachines(rule->hostAddress)) return {};
    return QStringLiteral("%1:%2:%3")
        .arg(rule->udp ? QStringLiteral("udp") : QStringLiteral("tcp"),
             QString::fromStdString(rule->hostAddress))
        .arg(rule->hostPort);
}

bool confirmExposure(QWidget* parent, const QList<vm::PortForward>& forwards, QSet<QString>& allowed) {
    QStringList lines;
    QSet<QString> asked;
    for (const vm::PortForward& f : forwards) {
        const QString socket = exposedSocket(f);
        if (socket.isEmpty() || allowed.contains(socket) || asked.contains(socket)) continue;
        asked.insert(socket);
        lines << ExposureConfirmation::tr("%1 port %2 on %3 → guest port %4")
                     .arg(f.protocol.toUpper())
                     .arg(f.hostPort)
                     .arg(socket.section(QLatin1Char(':'), 1, 1))
                     .arg(f.guestPort);
    }
    if (lines.isEmpty()) return true;
    QMessageBox box(QMessageBox::Warning, ExposureConfirmation::tr("Let other computers connect?"),
                    ExposureConfirmation::tr(
                        "These ports will be reachable from other machines on your network (and from the "
                        "internet, if it can reach this computer), not only from this computer:"),
                    QMessageBox::NoButton, parent);
    box.setObjectName(QStringLiteral("exposureConfirmation"));
    box.setInformativeText(lines.join(QLatin1Char('\n')) + QStringLiteral("\n\n") +
                           ExposureConfirmation::tr("Anyone who can connect reaches the service in the VM. "
                                                    "Use 127.0.0.1 if only this computer needs it."));
    QPushButton* allow =
        box.addButton(ExposureConfirmation::tr("Allow Other Computers"), QMessageBox::AcceptRole);
    QPushButton* cancel = box.addButton(QMessageBox::Cancel);
    box.setDefaultButton(cancel);
    box.setEscapeButton(cancel);
    box.exec();
    if (box.clickedButton() != allow) return false;
    allowed.unite(asked);
    return true;
}

}  // namespace tessera::ui
