#include "core/vm/backing_trust.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSet>
#include <functional>
#include <optional>

#include "core/block/open_image.h"
#include "core/block/qcow2_image.h"
#include "core/vm/vm_tr.h"

namespace tessera::vm {

namespace {

// As long as the block layer's own limit, which also catches loops.
constexpr int kMaxChainLength = 64;

struct Walk {
    QStringList trusted;                    // canonical paths, in chain order
    std::optional<OutsideBacking> refused;  // the first file the rule refuses (disk left unset)
};

// Follows the chain below `top` exactly as opening it does (Qcow2Image:
// relative names against the naming image's directory, the backing format
// from the header or else probed), asking `isTrusted` about each backing file
// before it is opened.
Walk walkChain(const QString& top, const QString& format,
               const std::function<bool(const QString&)>& isTrusted) {
    Walk walk;
    QString image = top;
    std::optional<block::ImageFormat> imageFormat = block::parseImageFormat(format.toStdString());
    QSet<QString> seen;
    for (int depth = 0; depth < kMaxChainLength && imageFormat == block::ImageFormat::Qcow2; ++depth) {
        block::OpenOptions options;
        options.format = block::ImageFormat::Qcow2;
        options.openBacking = false;
        options.lock = false;  // only the header is read
        auto opened = block::Qcow2Image::open(QFile::encodeName(image).toStdString(), options);
        if (!opened || (*opened)->backingFileName().empty()) break;
        const block::Qcow2Image& qcow2 = **opened;
        const QString path = QFile::decodeName(qcow2.backingFilePath().c_str());
        const QString file = QFileInfo(path).canonicalFilePath();
        if (file.isEmpty() || seen.contains(file)) break;  // missing or a loop: the open reports it
        seen.insert(file);
        if (!isTrusted(file)) {
            walk.refused =
                OutsideBacking{-1, image, depth, QFile::decodeName(qcow2.backingFileName().c_str()), file};
            break;
        }
        walk.trusted << file;
        if (!qcow2.backingFormat().empty()) {
            imageFormat = block::parseImageFormat(qcow2.backingFormat());
        } else {
            auto probed = block::probeImageFormat(QFile::encodeName(path).toStdString());
            imageFormat = probed ? std::optional(*probed) : std::nullopt;
        }
        image = path;  // the next relative name resolves against this name's directory, as when opening
    }
    return walk;
}

QString canonicalDirectory(const VmBundle& bundle) {
    return QFileInfo(bundle.directory()).canonicalFilePath();
}

bool isInside(const QString& file, const QString& directory) {
    return !directory.isEmpty() && file.startsWith(directory + QLatin1Char('/'));
}

// The rule for one disk: inside `directory`, or accepted (compared after
// following symlinks, so either spelling of an accepted path counts).
std::function<bool(const QString&)> trustRule(const QString& directory, const QStringList& accepted) {
    QSet<QString> allowed;
    for (const QString& path : accepted) {
        allowed.insert(QDir::cleanPath(path));
        const QString canonical = QFileInfo(path).canonicalFilePath();
        if (!canonical.isEmpty()) allowed.insert(canonical);
    }
    return [directory, allowed](const QString& file) {
        return isInside(file, directory) || allowed.contains(file);
    };
}

}  // namespace

QList<OutsideBacking> outsideBackingFiles(const VmConfig& config, const VmBundle& bundle) {
    QList<OutsideBacking> refused;
    const QString directory = canonicalDirectory(bundle);
    for (int i = 0; i < config.disks.size(); ++i) {
        const Disk& disk = config.disks[i];
        Walk walk =
            walkChain(bundle.resolve(disk.file), disk.format, trustRule(directory, disk.acceptedBacking));
        if (!walk.refused) continue;
        walk.refused->disk = i;
        refused << *walk.refused;
    }
    return refused;
}

QStringList backingFilesOf(const Disk& disk, const VmBundle& bundle) {
    const Walk walk = walkChain(bundle.resolve(disk.file), disk.format,
                                trustRule(canonicalDirectory(bundle), disk.acceptedBacking));
    QStringList files = walk.trusted;
    if (walk.refused) files << walk.refused->file;
    return files;
}

void acceptBacking(VmConfig& config, const OutsideBacking& backing) {
    if (backing.disk < 0 || backing.disk >= config.disks.size()) return;
    QStringList& accepted = config.disks[backing.disk].acceptedBacking;
    if (!accepted.contains(backing.file)) accepted << backing.file;
}

QString describeOutsideBacking(const VmConfig& config, const OutsideBacking& backing) {
    const QString disk = config.disks.value(backing.disk).file;
    const QString where = backing.named == backing.file
                              ? QStringLiteral("\"%1\"").arg(backing.file)
                              : QStringLiteral("\"%1\" (%2)").arg(backing.named, backing.file);
    const QString via =
        backing.depth == 0 ? QString() : tr(" (through its backing file %1)").arg(backing.image);
    return tr("disk \"%1\"%2 uses the backing file %3, which lies outside the VM folder. An image from "
              "elsewhere can name any file on this computer and show it to the VM, so Tessera does not "
              "open it until you allow that file.")
        .arg(disk, via, where);
}

QStringList inheritedBacking(const QString& image, const QString& format, const VmBundle& clone,
                             const VmBundle& original, const QStringList& accepted) {
    const QString cloneDirectory = canonicalDirectory(clone);
    const QString originalDirectory = canonicalDirectory(original);
    const auto originalTrusts = trustRule(originalDirectory, accepted);
    const Walk walk = walkChain(image, format, [&](const QString& file) {
        return isInside(file, cloneDirectory) || originalTrusts(file);
    });
    QStringList outside;
    for (const QString& file : walk.trusted)
        if (!isInside(file, cloneDirectory)) outside << file;
    return outside;
}

}  // namespace tessera::vm
