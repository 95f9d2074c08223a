#include "app/cli/run_bundle_checks.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSet>
#include <algorithm>
#include <cstdio>

#include "core/vm/backing_trust.h"
#include "core/vm/linked_clones.h"
#include "core/vm/port_conflicts.h"
#include "core/vm/shell_words.h"
#include "core/vm/vm_config_json.h"

namespace tessera::cli {

namespace {

// The path the way backing_trust.h compares files: absolute, symlinks followed.
QString canonical(const std::string& path) {
    const QString absolute = QFileInfo(QFile::decodeName(path.c_str())).absoluteFilePath();
    const QString resolved = QFileInfo(absolute).canonicalFilePath();
    return resolved.isEmpty() ? QDir::cleanPath(absolute) : resolved;
}

}  // namespace

void warnAboutUnknownKeys(const vm::VmConfig& config) {
    for (const vm::UnknownKey& key : vm::unknownKeysOf(config))
        std::fprintf(stderr, "tessera-cli run: warning: %s\n", qPrintable(vm::describeUnknownKey(key)));
}

Status acceptBackingFiles(vm::VmConfig& config, const vm::VmBundle& bundle,
                          const std::vector<std::string>& accepted) {
    QSet<QString> wanted;
    for (const std::string& path : accepted) wanted.insert(canonical(path));
    QSet<QString> used;
    QList<vm::OutsideBacking> refused = vm::outsideBackingFiles(config, bundle);
    // Accepting a file lets the walk go on to that file's own backing file.
    for (bool accepting = true; accepting;) {
        accepting = false;
        for (const vm::OutsideBacking& backing : std::as_const(refused)) {
            if (!wanted.contains(backing.file)) continue;
            vm::acceptBacking(config, backing);
            used.insert(backing.file);
            accepting = true;
        }
        if (accepting) refused = vm::outsideBackingFiles(config, bundle);
    }
    if (!used.isEmpty()) {
        TESSERA_TRY(bundle.save(config));
        for (const QString& file : std::as_const(used))
            std::fprintf(stderr, "tessera-cli run: allowed the backing file %s (remembered in config.json)\n",
                         qPrintable(file));
    }
    for (const QString& file : std::as_const(wanted)) {
        const bool alreadyAccepted =
            std::any_of(config.disks.begin(), config.disks.end(),
                        [&](const vm::Disk& d) { return d.acceptedBacking.contains(file); });
        if (!alreadyAccepted)
            std::fprintf(stderr,
                         "tessera-cli run: warning: --accept-backing %s: no disk of this VM uses that file\n",
                         qPrintable(file));
    }
    if (refused.isEmpty()) return Status::success();
    QStringList lines;
    QStringList options;
    for (const vm::OutsideBacking& backing : std::as_const(refused)) {
        lines << vm::describeOutsideBacking(config, backing);
        options << QStringLiteral("--accept-backing ") + vm::shellQuote(backing.file);
    }
    lines << QStringLiteral("If you trust %1, run again with %2 (remembered in config.json).")
                 .arg(refused.size() == 1 ? QStringLiteral("that file") : QStringLiteral("those files"),
                      options.join(QLatin1Char(' ')));
    return makeError(lines.join(QLatin1Char('\n')).toStdString());
}

Status protectLinkedClones(const vm::VmConfig& config, const vm::VmBundle& bundle, bool makeIndependent) {
    const QList<vm::VmEntry> clones = vm::clonesDamagedByStarting(config, bundle);
    if (clones.isEmpty()) return Status::success();
    if (!makeIndependent)
        return makeError(vm::describeDamagedClones(config, clones).toStdString() +
                         " To start one of them: tessera-cli run --vm " +
                         vm::shellQuote(clones.first().bundle.directory()).toStdString() +
                         ". To copy what they share into each clone first: add --make-clones-independent.");
    for (const vm::VmEntry& clone : clones) {
        std::fprintf(stderr, "tessera-cli run: making \"%s\" a full copy...\n",
                     qPrintable(clone.displayName()));
        if (Status made = vm::makeIndependent(clone.bundle); !made)
            return makeError("cannot make \"" + clone.displayName().toStdString() +
                             "\" independent: " + made.message());
    }
    return Status::success();
}

Status checkHostPorts(const vm::VmConfig& config, const vm::VmBundle& bundle) {
    const QList<vm::PortConflict> conflicts = vm::findPortConflicts(config, bundle);
    if (conflicts.isEmpty()) return Status::success();
    QStringList lines;
    for (const vm::PortConflict& conflict : conflicts)
        lines << vm::describePortConflict(conflict) +
                     QStringLiteral(" (nics[0].forwards[%1].hostPort in config.json)").arg(conflict.index);
    lines << QStringLiteral(
        "Stop what holds the port, or forward another host port: change it in the VM's "
        "Settings in the app or in config.json.");
    return makeError(lines.join(QLatin1Char('\n')).toStdString());
}

}  // namespace tessera::cli
