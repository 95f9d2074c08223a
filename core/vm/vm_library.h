#pragma once
// VmLibrary: every bundle in the library folder, including broken ones. A
// damaged config.json never hides a VM: it is listed with its error so the
// user can repair or delete it.

#include <QList>
#include <QString>
#include <optional>

#include "core/vm/vm_bundle.h"

namespace tessera::vm {

struct VmEntry {
    VmBundle bundle{QString()};
    std::optional<VmConfig> config;  // nullopt = broken
    QString error;                   // why it is broken
    bool broken() const { return !config.has_value(); }
    // The config's name, or the folder name for a broken bundle.
    QString displayName() const { return config ? config->name : bundle.baseName(); }
};

class VmLibrary {
public:
    explicit VmLibrary(const QString& rootOverride = {});
    const QString& root() const { return root_; }

    // Sorted by display name (case-insensitive). A missing root is an empty library.
    QList<VmEntry> scan() const;
    static VmEntry loadEntry(const QString& bundleDirectory);

    // For `tessera-cli run --vm NAME|PATH`: a path to a bundle folder (or its
    // config.json), else the name of a VM in this library. A broken bundle is an
    // error carrying its config problem.
    Result<VmEntry> find(const QString& nameOrPath) const;

    // A name not used yet: "Debian", "Debian 2", "Debian 3", ...
    QString uniqueName(const QString& wanted) const;

private:
    QString root_;
};

}  // namespace tessera::vm
