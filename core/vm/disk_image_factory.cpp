#include "core/vm/disk_image_factory.h"

#include <QFile>

#include "core/block/open_image.h"

namespace tessera::vm {

Status createDiskImage(const NewDiskImage& image) {
    const auto format = block::parseImageFormat(image.format.toStdString());
    if (!format)
        return makeError(QStringLiteral("cannot create a disk in the \"%1\" format; use qcow2 or raw").arg(image.format).toStdString());
    if (image.sizeBytes == 0 || image.sizeBytes > kMaxDiskBytes)
        return makeError("the disk size must be between 1 byte and 16 TiB");
    if (!image.backingFile.isEmpty() && *format != block::ImageFormat::Qcow2)
        return makeError("only a qcow2 disk can be a linked clone of another image");
    // createImage overwrites (as qemu-img create does); a VM's disk must never be replaced by accident.
    if (QFile::exists(image.path))
        return makeError(QStringLiteral("%1 already exists; not overwriting it").arg(image.path).toStdString());

    block::CreateOptions options;
    options.format = *format;
    options.size = (image.sizeBytes + 511) / 512 * 512;  // QEMU counts whole 512-byte sectors
    if (!image.backingFile.isEmpty()) {
        options.backingFile = QFile::encodeName(image.backingFile).toStdString();
        options.backingFormat = block::parseImageFormat(image.backingFormat.toStdString());
    }
    Status created = block::createImage(QFile::encodeName(image.path).toStdString(), options);
    if (!created) QFile::remove(image.path);
    return created;
}

}  // namespace tessera::vm
