#include "core/devices/openpic.h"

#include <algorithm>

namespace tessera::devices {

namespace {
constexpr uint32_t kMask = 0x80000000u;
constexpr uint32_t kActivity = 0x40000000u;
constexpr uint32_t kSenseLevel = 0x00400000u;
constexpr uint32_t kIvprWritable = 0x80cf00ffu;  // mask, polarity, sense, priority, vector
constexpr uint32_t kGcrReset = 0x80000000u;
// Feature reporting: last source, last CPU (0), version 1.2 (QEMU's keylargo).
constexpr uint32_t kFeature = ((OpenPic::kSources - 1) << 16) | 0x02;
}  // namespace

void OpenPic::reset() {
    for (Source& s : sources_) {
        const bool input = s.input;  // the wires keep their level
        s = Source{};
        s.ivpr = kMask;
        s.idr = 1;
        s.input = input;
    }
    inService_.clear();
    taskPriority_ = 0xf;
    spurious_ = kSpuriousDefault;
    globalConfig_ = 0;
    update();
}

bool OpenPic::pending(unsigned n) const {
    const Source& s = sources_[n];
    return (s.ivpr & kSenseLevel) ? s.input : s.latched;
}

int OpenPic::inServicePriority() const {
    int best = -1;
    for (unsigned n : inService_) best = std::max(best, int(priority(n)));
    return best;
}

int OpenPic::highestPending() const {
    int best = -1;
    for (unsigned n = 0; n < kSources; ++n) {
        if (!pending(n) || (sources_[n].ivpr & kMask) || !(sources_[n].idr & 1)) continue;
        if (std::find(inService_.begin(), inService_.end(), n) != inService_.end()) continue;
        if (best < 0 || priority(n) > priority(unsigned(best))) best = int(n);
    }
    return best;
}

void OpenPic::update() {
    const int n = highestPending();
    const int threshold = std::max(int(taskPriority_), inServicePriority());
    output_.set(n >= 0 && int(priority(unsigned(n))) > threshold);
}

void OpenPic::setSourceLevel(unsigned source, bool level) {
    if (source >= kSources) return;
    Source& s = sources_[source];
    if (level && !s.input) s.latched = true;
    s.input = level;
    update();
}

uint32_t OpenPic::acknowledge() {
    const int n = highestPending();
    const int threshold = std::max(int(taskPriority_), inServicePriority());
    if (n < 0 || int(priority(unsigned(n))) <= threshold) {
        update();
        return spurious_;
    }
    sources_[n].latched = false;
    inService_.push_back(unsigned(n));
    update();
    return sources_[n].ivpr & 0xff;
}

void OpenPic::endOfInterrupt() {
    if (inService_.empty()) return;
    // Retire the highest-priority source in service (the one being handled).
    auto top = std::max_element(inService_.begin(), inService_.end(),
                                [this](unsigned a, unsigned b) { return priority(a) < priority(b); });
    inService_.erase(top);
    update();
}

uint64_t OpenPic::read(uint64_t offset, unsigned size) {
    if (size != 4 || (offset & 3)) return 0;
    if (offset >= 0x10000 && offset < 0x10000 + kSources * 0x20) {
        const unsigned n = unsigned((offset - 0x10000) / 0x20);
        const Source& s = sources_[n];
        if ((offset & 0x1f) == 0x00) {
            const bool active =
                pending(n) || std::find(inService_.begin(), inService_.end(), n) != inService_.end();
            return s.ivpr | (active ? kActivity : 0);
        }
        if ((offset & 0x1f) == 0x10) return s.idr;
        return 0;
    }
    switch (offset) {
        case 0x1000:
            return kFeature;
        case 0x1020:
            return globalConfig_;
        case 0x1080:
            return 0;  // vendor identification
        case 0x10e0:
            return spurious_;
        case 0x20080:
            return taskPriority_;
        case 0x20090:
            return 0;  // WHOAMI: CPU 0
        case 0x200a0:
            return acknowledge();
        default:
            return 0;
    }
}

void OpenPic::write(uint64_t offset, unsigned size, uint64_t value64) {
    if (size != 4 || (offset & 3)) return;
    const uint32_t value = static_cast<uint32_t>(value64);
    if (offset >= 0x10000 && offset < 0x10000 + kSources * 0x20) {
        Source& s = sources_[(offset - 0x10000) / 0x20];
        if ((offset & 0x1f) == 0x00) s.ivpr = value & kIvprWritable;
        if ((offset & 0x1f) == 0x10) s.idr = value & 1;
        update();
        return;
    }
    switch (offset) {
        case 0x1020:
            if (value & kGcrReset) {
                reset();
                return;
            }
            globalConfig_ = value;
            break;
        case 0x10e0:
            spurious_ = value & 0xff;
            break;
        case 0x20080:
            taskPriority_ = value & 0xf;
            update();
            break;
        case 0x200b0:
            endOfInterrupt();
            break;
        default:
            break;
    }
}

}  // namespace tessera::devices
