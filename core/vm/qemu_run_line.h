#pragma once
// The `tessera-cli run` arguments a translated QEMU command (qemu_import.h)
// becomes: `tessera-cli qemu` runs exactly these, and its --dry-run prints them,
// so the printed line is the run. What a run cannot honour is refused here in
// one error naming every such option; what it can safely leave out comes back
// as warnings.

#include <QStringList>

#include "core/util/result.h"
#include "core/vm/qemu_import.h"

namespace tessera::vm {

struct QemuRunLine {
    QStringList arguments;  // after `tessera-cli run`
    QStringList warnings;   // one line each, for stderr
};

Result<QemuRunLine> runLineFor(const QemuImport& imported);

// "512M", "1G": the shortest exact spelling of a memory size for -m.
QString memorySizeArgument(uint64_t bytes);

}  // namespace tessera::vm
