#pragma once
// VmLibraryModel: the library folder as a Qt list model. Watches the folder
// so bundles created, removed or edited elsewhere (the CLI, a file manager, a
// text editor) appear without a restart, and carries the run state that the
// VM runner reports.

#include <QAbstractListModel>
#include <QFileSystemWatcher>
#include <QImage>
#include <QTimer>

#include "core/vm/vm_library.h"

namespace tessera::ui {

enum class VmRunState { Stopped, Running, Paused, Broken };

class VmLibraryModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role {
        NameRole = Qt::UserRole + 1,
        ArchRole,          // "riscv64"
        ArchLabelRole,     // "RISC-V 64-bit"
        StateRole,         // int(VmRunState)
        StateTextRole,     // "Stopped", translated
        MemoryRole,        // quint64 bytes
        CpusRole,
        DiskAllocatedRole, // quint64 bytes on the host
        DiskVirtualRole,   // quint64 bytes the guest sees
        LastRunRole,       // QDateTime, invalid = never
        ThumbnailRole,     // QImage of the last screen, null = none
        ErrorRole,         // why a broken VM is broken
        BundlePathRole,
        SearchTextRole,    // what the search box matches
        WarningsRole,      // QStringList: config.json keys this Tessera ignores, with "did you mean"
        CloneLinksRole,    // "Linked clone of Debian", "Base of 2 linked clones", or empty
        SshPortRole,       // int: the host port forwarded to the guest's SSH port 22, 0 = none
    };

    explicit VmLibraryModel(const QString& libraryRoot = {}, QObject* parent = nullptr);

    QString root() const { return library_.root(); }
    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    const vm::VmEntry& entry(int row) const { return items_[row].entry; }
    QModelIndex indexForBundle(const QString& bundleDirectory) const;
    VmRunState runState(int row) const;

    static QString stateText(VmRunState state);
    // "Unknown setting "disks[0].readOnly" in config.json has no effect; did you mean "readonly"?"
    static QStringList warningsFor(const vm::VmConfig& config);

public slots:
    // Rescans the folder; rows of unchanged VMs stay where they are, so views keep selection.
    void reload();
    // Called by the VM runner (queued from its thread) as a VM starts, pauses and stops.
    void setRunState(const QString& bundleDirectory, tessera::ui::VmRunState state);

private:
    struct Item {
        vm::VmEntry entry;
        quint64 diskAllocated = 0;
        quint64 diskVirtual = 0;
        QImage thumbnail;
        QDateTime configModified;
        QString cloneLinks;  // what CloneLinksRole shows, from the whole library's backing chains
    };
    static void describeCloneLinks(QList<Item>& items);
    Item makeItem(const vm::VmEntry& entry) const;
    void watchEverything();

    vm::VmLibrary library_;
    QList<Item> items_;
    QHash<QString, VmRunState> runStates_;
    QFileSystemWatcher watcher_;
    QTimer reloadSoon_;  // coalesces bursts of file-system events
};

}  // namespace tessera::ui

Q_DECLARE_METATYPE(tessera::ui::VmRunState)
