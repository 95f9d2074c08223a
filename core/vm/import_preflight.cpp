#include "core/vm/import_preflight.h"

#include "core/vm/missing_files.h"
#include "core/vm/vm_machine_config.h"

namespace tessera::vm {

QStringList importProblems(const VmConfig& config, const QString& baseFolder) {
    QStringList problems;
    if (const QString why = whyEmulatorCannotRun(config); !why.isEmpty()) problems << why;
    problems << missingFiles(config, baseFolder);
    return problems;
}

}  // namespace tessera::vm
