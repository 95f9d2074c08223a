#include "ui/copy_ssh_command.h"

#include <QAction>
#include <QClipboard>
#include <QCoreApplication>
#include <QGuiApplication>

#include "core/vm/ssh_command.h"

namespace tessera::ui {

namespace {

// lupdate files tr() calls outside a class under the namespace's context.
QString tr(const char* text) {
    return QCoreApplication::translate("tessera::ui", text);
}

}  // namespace

QAction* createCopySshAction(QObject* parent) {
    auto* action = new QAction(tr("Copy SSH Command"), parent);
    action->setObjectName(QStringLiteral("actionCopySshCommand"));
    action->setToolTip(tr("Copy the command that logs in to the VM over its forwarded SSH port"));
    return action;
}

QString copySshCommand(const vm::VmConfig& config) {
    const QString command = vm::sshCommand(config);
    if (command.isEmpty())
        return tr(
            "This VM forwards no host port to its port 22 (SSH). Add one with Port Forwards, "
            "e.g. host port 2222 to guest port 22.");
    QGuiApplication::clipboard()->setText(command);
    return tr("Copied \"%1\": paste it into a terminal once the VM's SSH server runs.").arg(command);
}

}  // namespace tessera::ui
