#include "core/devices/png_writer.h"

#include <zlib.h>

#include <QFile>
#include <QSaveFile>

namespace tessera::devices {

namespace {

void putBe32(std::vector<uint8_t>& out, uint32_t value) {
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<uint8_t>(value >> shift));
}

// A chunk is length, type, data, CRC-32 over type and data (PNG §5.3).
void appendChunk(std::vector<uint8_t>& out, const char type[4], const std::vector<uint8_t>& data) {
    putBe32(out, static_cast<uint32_t>(data.size()));
    const size_t typeAt = out.size();
    out.insert(out.end(), type, type + 4);
    out.insert(out.end(), data.begin(), data.end());
    const uLong crc = crc32(0, out.data() + typeAt, static_cast<uInt>(4 + data.size()));
    putBe32(out, static_cast<uint32_t>(crc));
}

}  // namespace

Result<std::vector<uint8_t>> encodePng(uint32_t width, uint32_t height, std::span<const uint8_t> rgb) {
    if (width == 0 || height == 0 || width > 16384 || height > 16384)
        return makeError("cannot write a PNG of " + std::to_string(width) + "x" + std::to_string(height) + " pixels");
    const size_t rowBytes = size_t{width} * 3;
    if (rgb.size() < rowBytes * height) return makeError("PNG encoder: pixel buffer too small");
    // Each scanline is preceded by its filter type (0 = none).
    std::vector<uint8_t> raw;
    raw.reserve((rowBytes + 1) * height);
    for (uint32_t y = 0; y < height; ++y) {
        raw.push_back(0);
        raw.insert(raw.end(), rgb.begin() + y * rowBytes, rgb.begin() + (y + 1) * rowBytes);
    }
    uLongf compressedSize = compressBound(static_cast<uLong>(raw.size()));
    std::vector<uint8_t> compressed(compressedSize);
    if (compress2(compressed.data(), &compressedSize, raw.data(), static_cast<uLong>(raw.size()), 6) != Z_OK)
        return makeError("PNG encoder: zlib compression failed");
    compressed.resize(compressedSize);

    std::vector<uint8_t> png = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    std::vector<uint8_t> header;
    putBe32(header, width);
    putBe32(header, height);
    header.insert(header.end(), {8, 2, 0, 0, 0});  // 8-bit, truecolour, deflate, filter 0, no interlace
    appendChunk(png, "IHDR", header);
    appendChunk(png, "IDAT", compressed);
    appendChunk(png, "IEND", {});
    return png;
}

Status writePngFile(const std::string& path, uint32_t width, uint32_t height, std::span<const uint8_t> rgb) {
    Result<std::vector<uint8_t>> png = encodePng(width, height, rgb);
    if (!png) return png.error();
    QSaveFile file(QString::fromStdString(path));
    if (!file.open(QIODevice::WriteOnly))
        return makeError("cannot write screenshot '" + path + "': " + file.errorString().toStdString());
    file.write(reinterpret_cast<const char*>(png->data()), static_cast<qint64>(png->size()));
    if (!file.commit()) return makeError("cannot write screenshot '" + path + "': " + file.errorString().toStdString());
    return {};
}

}  // namespace tessera::devices
