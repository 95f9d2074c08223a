#include "ui/vm_library_model.h"

#include <QDir>
#include <QFileInfo>

#include "core/vm/disk_usage.h"
#include "core/vm/linked_clones.h"
#include "core/vm/ssh_command.h"
#include "core/vm/vm_config_json.h"

namespace tessera::ui {

namespace {
constexpr QSize kThumbnailSize(400, 250);
}

VmLibraryModel::VmLibraryModel(const QString& libraryRoot, QObject* parent)
    : QAbstractListModel(parent), library_(libraryRoot) {
    qRegisterMetaType<VmRunState>();
    reloadSoon_.setSingleShot(true);
    reloadSoon_.setInterval(150);
    connect(&reloadSoon_, &QTimer::timeout, this, &VmLibraryModel::reload);
    connect(&watcher_, &QFileSystemWatcher::directoryChanged, &reloadSoon_, qOverload<>(&QTimer::start));
    connect(&watcher_, &QFileSystemWatcher::fileChanged, &reloadSoon_, qOverload<>(&QTimer::start));
    reload();
}

QString VmLibraryModel::stateText(VmRunState state) {
    switch (state) {
        case VmRunState::Stopped: return tr("Stopped");
        case VmRunState::Running: return tr("Running");
        case VmRunState::Paused: return tr("Paused");
        case VmRunState::Broken: return tr("Broken");
    }
    return {};
}

QStringList VmLibraryModel::warningsFor(const vm::VmConfig& config) {
    QStringList warnings;
    for (const vm::UnknownKey& key : vm::unknownKeysOf(config)) {
        QString text = tr("Unknown setting \"%1\" in config.json has no effect").arg(key.path);
        if (!key.suggestion.isEmpty()) text += tr("; did you mean \"%1\"?").arg(key.suggestion);
        warnings << text;
    }
    return warnings;
}

VmLibraryModel::Item VmLibraryModel::makeItem(const vm::VmEntry& entry) const {
    Item item;
    item.entry = entry;
    item.configModified = QFileInfo(entry.bundle.configPath()).lastModified();
    if (entry.config) {
        for (const vm::Disk& disk : entry.config->disks) {
            const auto usage = vm::diskUsage(entry.bundle.resolve(disk.file), disk.format);
            if (!usage) continue;
            item.diskAllocated += usage->allocatedBytes;
            item.diskVirtual += usage->virtualBytes;
        }
    }
    const QImage screenshot(entry.bundle.screenshotPath());
    if (!screenshot.isNull())
        item.thumbnail = screenshot.scaled(kThumbnailSize, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    return item;
}

void VmLibraryModel::describeCloneLinks(QList<Item>& items) {
    QList<vm::VmEntry> entries;
    for (const Item& item : items) entries << item.entry;
    const vm::CloneLinks links = vm::findCloneLinks(entries);
    for (int i = 0; i < items.size(); ++i) {
        QStringList parts;
        // The nearest original only: a clone of a clone names the clone it was made from.
        if (!links.basesOf[i].isEmpty())
            parts << tr("Linked clone of %1").arg(entries[links.basesOf[i].first()].displayName());
        if (const int clones = int(links.clonesOf[i].size()))
            parts << tr("Base of %n linked clone(s)", nullptr, clones);
        items[i].cloneLinks = parts.join(QStringLiteral(" · "));
    }
}

void VmLibraryModel::reload() {
    QList<Item> fresh;
    for (const vm::VmEntry& entry : library_.scan()) fresh << makeItem(entry);
    describeCloneLinks(fresh);

    // Remove rows whose bundle is gone (from the end, so indexes stay valid).
    for (int row = int(items_.size()) - 1; row >= 0; --row) {
        const QString dir = items_[row].entry.bundle.directory();
        const bool stillThere = std::any_of(fresh.begin(), fresh.end(),
                                            [&](const Item& i) { return i.entry.bundle.directory() == dir; });
        if (!stillThere) {
            beginRemoveRows({}, row, row);
            items_.removeAt(row);
            endRemoveRows();
        }
    }
    // Walk the new order: same bundle at the same row = update; otherwise insert.
    for (int row = 0; row < fresh.size(); ++row) {
        if (row < items_.size() && items_[row].entry.bundle.directory() == fresh[row].entry.bundle.directory()) {
            items_[row] = fresh[row];
            emit dataChanged(index(row), index(row));
            continue;
        }
        const bool existsLater = std::any_of(items_.begin() + row, items_.end(), [&](const Item& i) {
            return i.entry.bundle.directory() == fresh[row].entry.bundle.directory();
        });
        if (existsLater) {  // a rename changed the sort order: start over
            beginResetModel();
            items_ = fresh;
            endResetModel();
            break;
        }
        beginInsertRows({}, row, row);
        items_.insert(row, fresh[row]);
        endInsertRows();
    }
    watchEverything();
}

void VmLibraryModel::watchEverything() {
    QDir().mkpath(library_.root());
    if (!watcher_.directories().isEmpty()) watcher_.removePaths(watcher_.directories());
    if (!watcher_.files().isEmpty()) watcher_.removePaths(watcher_.files());
    QStringList paths{library_.root()};
    for (const Item& item : items_) {
        paths << item.entry.bundle.directory();  // config.json saved atomically = a rename inside the bundle
        if (QFileInfo::exists(item.entry.bundle.configPath())) paths << item.entry.bundle.configPath();
    }
    watcher_.addPaths(paths);
}

void VmLibraryModel::setRunState(const QString& bundleDirectory, VmRunState state) {
    runStates_.insert(QDir::cleanPath(bundleDirectory), state);
    const QModelIndex idx = indexForBundle(bundleDirectory);
    if (idx.isValid()) emit dataChanged(idx, idx, {StateRole, StateTextRole});
}

QModelIndex VmLibraryModel::indexForBundle(const QString& bundleDirectory) const {
    const QString wanted = QDir::cleanPath(bundleDirectory);
    for (int row = 0; row < items_.size(); ++row)
        if (items_[row].entry.bundle.directory() == wanted) return index(row);
    return {};
}

VmRunState VmLibraryModel::runState(int row) const {
    const Item& item = items_[row];
    if (item.entry.broken()) return VmRunState::Broken;
    return runStates_.value(item.entry.bundle.directory(), VmRunState::Stopped);
}

int VmLibraryModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(items_.size()); }

QVariant VmLibraryModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= items_.size()) return {};
    const Item& item = items_[index.row()];
    const auto& config = item.entry.config;
    switch (role) {
        case Qt::DisplayRole:
        case NameRole: return item.entry.displayName();
        case Qt::ToolTipRole:
            if (item.entry.broken()) return tr("This VM cannot be opened: %1").arg(item.entry.error);
            return (QStringList{item.entry.bundle.directory()} + warningsFor(*config) +
                    (item.cloneLinks.isEmpty() ? QStringList() : QStringList{item.cloneLinks}))
                .join(QLatin1Char('\n'));
        case ArchRole: return config ? config->arch : QString();
        case ArchLabelRole: return config ? vm::architectureLabel(config->arch) : QString();
        case StateRole: return int(runState(index.row()));
        case StateTextRole: return stateText(runState(index.row()));
        case MemoryRole: return config ? QVariant::fromValue<quint64>(config->memoryBytes) : QVariant();
        case CpusRole: return config ? config->cpus : 0;
        case DiskAllocatedRole: return QVariant::fromValue<quint64>(item.diskAllocated);
        case DiskVirtualRole: return QVariant::fromValue<quint64>(item.diskVirtual);
        case LastRunRole: return config && config->lastRun ? *config->lastRun : QDateTime();
        case ThumbnailRole: return item.thumbnail;
        case ErrorRole: return item.entry.error;
        case BundlePathRole: return item.entry.bundle.directory();
        case WarningsRole: return config ? warningsFor(*config) : QStringList();
        case CloneLinksRole: return item.cloneLinks;
        case SshPortRole: return config ? int(vm::sshHostPort(*config)) : 0;
        case SearchTextRole: {
            QString text = item.entry.displayName();
            if (config) text += QLatin1Char(' ') + config->arch + QLatin1Char(' ') + vm::architectureLabel(config->arch);
            return text + QLatin1Char(' ') + stateText(runState(index.row()));
        }
        default: return {};
    }
}

QHash<int, QByteArray> VmLibraryModel::roleNames() const {
    auto names = QAbstractListModel::roleNames();
    names.insert({{NameRole, "name"}, {ArchRole, "arch"}, {StateRole, "state"}, {MemoryRole, "memory"},
                  {DiskAllocatedRole, "diskAllocated"}, {DiskVirtualRole, "diskVirtual"}, {LastRunRole, "lastRun"},
                  {ThumbnailRole, "thumbnail"}, {ErrorRole, "error"}, {BundlePathRole, "bundlePath"},
                  {WarningsRole, "warnings"}});
    return names;
}

}  // namespace tessera::ui
