#include "ui/port_conflict_prompt.h"

#include <QCoreApplication>
#include <QMessageBox>
#include <QPushButton>
#include <QStringList>

#include "core/vm/port_conflicts.h"
#include "core/vm/vm_library.h"

namespace tessera::ui {

namespace {

// Only for its translation context.
class PortConflictPrompt {
    Q_DECLARE_TR_FUNCTIONS(tessera::ui::PortConflictPrompt)
public:
    static QString sentence(const vm::PortConflict& conflict);
    static bool resolve(QWidget* parent, const vm::VmEntry& entry);
};

QString PortConflictPrompt::sentence(const vm::PortConflict& conflict) {
    const QString port = QString::number(conflict.forward.hostPort);
    QString said =
        conflict.holder.isEmpty()
            ? tr("Host port %1 is already used by another program.").arg(port)
            : tr("Host port %1 is already used by the VM “%2”, which is running.").arg(port, conflict.holder);
    said += QLatin1Char(' ');
    said += conflict.freePort ? tr("Port %1 is free.").arg(conflict.freePort)
                              : tr("No free port was found near it.");
    return said;
}

bool PortConflictPrompt::resolve(QWidget* parent, const vm::VmEntry& entry) {
    const vm::VmEntry now = vm::VmLibrary::loadEntry(entry.bundle.directory());  // what start() will read
    if (!now.config) return true;  // start() reports the broken config
    const QList<vm::PortConflict> conflicts = vm::findPortConflicts(*now.config, now.bundle);
    if (conflicts.isEmpty()) return true;
    QStringList lines;
    bool allFree = true;
    for (const vm::PortConflict& conflict : conflicts) {
        lines << sentence(conflict);
        allFree &= conflict.freePort != 0;
    }
    QMessageBox box(QMessageBox::Warning, tr("%1 cannot use its port forwards").arg(now.displayName()),
                    lines.join(QLatin1Char('\n')), QMessageBox::Cancel, parent);
    box.setObjectName(QStringLiteral("portConflict"));
    QPushButton* use = nullptr;
    if (allFree) {
        box.setInformativeText(
            tr("Start the VM with the free port instead? The change is kept in its settings."));
        use = box.addButton(conflicts.size() == 1 ? tr("Use Port %1").arg(conflicts.first().freePort)
                                                  : tr("Use the Free Ports"),
                            QMessageBox::AcceptRole);
        use->setObjectName(QStringLiteral("useFreePort"));
        box.setDefaultButton(use);
    }
    box.exec();
    if (!use || box.clickedButton() != use) return false;
    if (Status saved = now.bundle.save(vm::withFreePorts(*now.config, conflicts)); !saved) {
        QMessageBox::warning(parent, tr("The settings could not be saved"),
                             QString::fromStdString(saved.message()));
        return false;
    }
    return true;
}

}  // namespace

bool resolvePortConflicts(QWidget* parent, const vm::VmEntry& entry) {
    return PortConflictPrompt::resolve(parent, entry);
}

}  // namespace tessera::ui
