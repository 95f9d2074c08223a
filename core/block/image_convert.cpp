#include "core/block/image_convert.h"

#include <unistd.h>

#include "core/block/image_copy.h"
#include "core/block/open_image.h"
#include "core/block/qcow2_image.h"

namespace tessera::block {

Status copyInto(BlockBackend& source, BlockBackend& target, CopyOptions options, const JobControl& control) {
    auto* qcow2 = dynamic_cast<Qcow2Image*>(&target);
    if (options.compress && !qcow2)
        return makeError("compression needs a qcow2 target; '" + target.fileName() + "' is " +
                         target.formatName());
    options.clusterSize = qcow2 ? qcow2->clusterSize() : 65536;
    if (qcow2) options.compressionType = qcow2->compressionType();
    CompressedClusterWriter writeCompressed;
    if (qcow2) {
        const uint64_t clusterSize = options.clusterSize;
        writeCompressed = [qcow2, clusterSize](uint64_t guestOffset, std::span<const uint8_t> compressed) {
            return qcow2->writeCompressedCluster(guestOffset / clusterSize, compressed);
        };
    }
    return copyImageData(source, target, options, writeCompressed, control);
}

Status convertImage(const ConvertRequest& request, const JobControl& control) {
    if (request.compress && request.targetOptions.format != ImageFormat::Qcow2)
        return makeError("compression (-c) needs a qcow2 target (-O qcow2)");
    if (request.compress && request.targetOptions.preallocation != Preallocation::Off)
        return makeError("compression and preallocation cannot be combined");
    if (request.source == request.target)
        return makeError("the target must be a different file than the source");

    OpenOptions sourceOptions;
    sourceOptions.readOnly = true;
    sourceOptions.format = request.sourceFormat;
    auto source = openImage(request.source, sourceOptions);
    if (!source) return source.error();

    CreateOptions create = request.targetOptions;
    if (create.size == 0) create.size = (*source)->size();
    if (auto s = createImage(request.target, create); !s) return s;

    // From here on the target is ours: remove it on any failure so a
    // half-written image is never mistaken for a good one.
    auto removeTarget = [&](Error error) -> Status {
        ::unlink(request.target.c_str());
        return error;
    };

    OpenOptions targetOptions;
    targetOptions.readOnly = false;
    targetOptions.format = create.format;
    targetOptions.openBacking = !create.backingFile.empty();
    auto target = openImage(request.target, targetOptions);
    if (!target) return removeTarget(target.error());

    CopyOptions copy;
    copy.compress = request.compress;
    copy.threads = request.threads;
    // A target with a backing file does not read as zeros where it is unallocated.
    copy.targetReadsZero = create.backingFile.empty();
    if (auto s = copyInto(**source, **target, copy, control); !s) {
        target->reset();
        return removeTarget(s.error());
    }
    if (auto* qcow2 = dynamic_cast<Qcow2Image*>(target->get())) {
        if (auto s = qcow2->close(); !s) return removeTarget(s.error());
    } else if (auto s = (*target)->flush(); !s) {
        return removeTarget(s.error());
    }
    return {};
}

}  // namespace tessera::block
