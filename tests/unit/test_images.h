#pragma once
// Real disk and disc images for device tests, in a temporary directory:
// qcow2 and raw through the block layer (createImage/openImage), ISO 9660
// through xorriso, checked with qemu-img where it is the reference.

#include <QProcess>
#include <QTemporaryDir>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "core/block/open_image.h"

namespace tessera::testing {

class TestImages {
public:
    std::string path(const std::string& name) const { return dir_.filePath(QString::fromStdString(name)).toStdString(); }

    // A new qcow2 image of `size` bytes, opened read-write.
    std::shared_ptr<block::BlockBackend> qcow2(const std::string& name, uint64_t size) {
        block::CreateOptions options;
        options.format = block::ImageFormat::Qcow2;
        options.size = size;
        if (!block::createImage(path(name), options)) return nullptr;
        return open(name, false);
    }

    // A raw file holding `bytes`, opened with the given mode.
    std::shared_ptr<block::BlockBackend> raw(const std::string& name, const std::vector<uint8_t>& bytes,
                                             bool readOnly) {
        std::ofstream(path(name), std::ios::binary)
            .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
        return open(name, readOnly);
    }

    std::shared_ptr<block::BlockBackend> open(const std::string& name, bool readOnly, bool lock = true) {
        block::OpenOptions options;
        options.readOnly = readOnly;
        options.lock = lock;
        auto image = block::openImage(path(name), options);
        if (!image) return nullptr;
        return std::shared_ptr<block::BlockBackend>(std::move(*image));
    }

    // An ISO 9660 image made by xorriso from files {name, contents}.
    std::string iso(const std::string& name, const std::vector<std::pair<std::string, std::string>>& files) {
        const std::string tree = path(name + ".d");
        QDir().mkpath(QString::fromStdString(tree));
        for (const auto& [file, contents] : files) std::ofstream(tree + "/" + file) << contents;
        QProcess xorriso;
        xorriso.start("xorriso", {"-as", "mkisofs", "-quiet", "-V", "TESSERA", "-o",
                                  QString::fromStdString(path(name)), QString::fromStdString(tree)});
        if (!xorriso.waitForFinished(60000) || xorriso.exitCode() != 0) return {};
        return path(name);
    }

    // `qemu-img check` exit status (0 = clean).
    int qemuImgCheck(const std::string& name) const {
        // -U: the VM (this test) still has the image open.
        QProcess check;
        check.start("qemu-img", {"check", "-q", "-U", "-f", "qcow2", QString::fromStdString(path(name))});
        if (!check.waitForFinished(60000)) return -1;
        if (check.exitCode() != 0)
            qWarning("qemu-img check: %s%s", check.readAllStandardOutput().constData(),
                     check.readAllStandardError().constData());
        return check.exitCode();
    }

private:
    QTemporaryDir dir_;
};

inline std::vector<uint8_t> pattern(size_t length, uint8_t seed) {
    std::vector<uint8_t> bytes(length);
    for (size_t i = 0; i < length; ++i) bytes[i] = static_cast<uint8_t>(seed + i * 7 + (i >> 9));
    return bytes;
}

}  // namespace tessera::testing
