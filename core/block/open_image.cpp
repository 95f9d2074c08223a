#include "core/block/open_image.h"

#include "core/block/big_endian.h"
#include "core/block/qcow2_image.h"
#include "core/block/raw_image.h"

namespace tessera::block {

const char* imageFormatName(ImageFormat format) {
    return format == ImageFormat::Qcow2 ? "qcow2" : "raw";
}

std::optional<ImageFormat> parseImageFormat(const std::string& name) {
    if (name == "qcow2") return ImageFormat::Qcow2;
    if (name == "raw") return ImageFormat::Raw;
    return std::nullopt;
}

std::optional<Preallocation> parsePreallocation(const std::string& name) {
    if (name == "off") return Preallocation::Off;
    if (name == "metadata") return Preallocation::Metadata;
    if (name == "falloc") return Preallocation::Falloc;
    if (name == "full") return Preallocation::Full;
    return std::nullopt;
}

Result<ImageFormat> probeImageFormat(const std::string& path) {
    auto file = HostFile::open(path, false, LockMode::None);
    if (!file) return file.error();
    uint8_t magic[4] = {};
    TESSERA_TRY(file->readZeroFilled(0, magic));
    return loadBE32(magic) == qcow2::kMagic ? ImageFormat::Qcow2 : ImageFormat::Raw;
}

Result<std::unique_ptr<BlockBackend>> openImage(const std::string& path, const OpenOptions& options) {
    ImageFormat format;
    if (options.format) {
        format = *options.format;
    } else {
        auto probed = probeImageFormat(path);
        if (!probed) return probed.error();
        format = *probed;
    }
    if (format == ImageFormat::Qcow2) {
        auto image = Qcow2Image::open(path, options);
        if (!image) return image.error();
        return std::unique_ptr<BlockBackend>(std::move(image.value()));
    }
    auto image = RawImage::open(path, options);
    if (!image) return image.error();
    return std::unique_ptr<BlockBackend>(std::move(image.value()));
}

Status createImage(const std::string& path, const CreateOptions& options) {
    if (options.format == ImageFormat::Raw) {
        if (!options.backingFile.empty()) return makeError("Raw images cannot have a backing file.");
        return RawImage::create(path, options.size, options.preallocation);
    }
    return Qcow2Image::create(path, options);
}

}  // namespace tessera::block
