#pragma once
// Options for opening and creating disk images (the `-f`/`-o` knobs of qemu-img).

#include <cstdint>
#include <optional>
#include <string>

#include "core/block/qcow2_format.h"

namespace tessera::block {

enum class ImageFormat { Raw, Qcow2 };
const char* imageFormatName(ImageFormat format);                       // "raw", "qcow2"
std::optional<ImageFormat> parseImageFormat(const std::string& name);  // "raw"/"qcow2"

// How much of a qcow2 image's metadata open validates before it returns.
enum class OpenValidation {
    // Everything that reads and writes rely on: every table inside the file,
    // no overlapping metadata. VMs, convert, map, compare, resize.
    Full,
    // What describing the image needs, like `qemu-img info`: header fields,
    // table sizes and alignment, the snapshot table (read as QEMU reads it,
    // zeros past the end of the file). A damaged image still describes itself.
    // Read-only.
    Describe,
    // The minimum, like QEMU's check mode: the header and table sizes. For
    // check/repair, which reports everything else itself; an image whose corrupt
    // bit is set also opens read-write, and a dirty image is not auto-repaired.
    Check,
};

struct OpenOptions {
    bool readOnly = true;
    std::optional<ImageFormat> format;  // nullopt: probe (qcow2 magic -> qcow2, else raw)
    bool openBacking = true;            // false: open the image alone (info without the chain)
    unsigned maxBackingDepth = 64;      // longer chains are refused (also catches loops)
    // Take an OFD lock: exclusive when read-write, shared when read-only. A
    // conflict fails with "image is in use by another process (a running VM?)".
    bool lock = true;
    OpenValidation validation = OpenValidation::Full;
};

enum class Preallocation { Off, Metadata, Falloc, Full };
std::optional<Preallocation> parsePreallocation(const std::string& name);  // off|metadata|falloc|full

struct CreateOptions {
    ImageFormat format = ImageFormat::Qcow2;
    uint64_t size = 0;  // bytes; 0 with a backing file = the backing file's size
    uint32_t clusterSize = 65536;
    std::string compat = "1.1";  // "0.10" (version 2) or "1.1" (version 3)
    uint32_t refcountBits = 16;  // 1, 2, 4, ..., 64 (version 2 allows only 16)
    qcow2::CompressionType compressionType = qcow2::CompressionType::Zlib;
    std::string backingFile;  // stored as given; relative = relative to the new image's directory
    std::optional<ImageFormat> backingFormat;  // written as the backing format extension
    Preallocation preallocation = Preallocation::Off;
    bool lazyRefcounts = false;
    bool extendedL2 = false;
};

}  // namespace tessera::block
