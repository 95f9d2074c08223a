#include "core/vm/demo_vm.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include "core/vm/disk_image_factory.h"
#include "core/vm/vm_bundle_ops.h"

namespace tessera::vm {

namespace {

constexpr char kKernelFile[] = "Image";
constexpr char kInitrdFile[] = "initramfs.cpio.gz";
constexpr char kDiskFile[] = "disk.qcow2";

VmConfig demoConfig() {
    VmConfig config;
    config.name = QString::fromLatin1(kDemoVmName);
    config.memoryBytes = uint64_t(512) << 20;
    config.boot.kernel = QString::fromLatin1(kKernelFile);
    config.boot.initrd = QString::fromLatin1(kInitrdFile);
    // Kernel messages on the screen and the serial console; ttyS0 last so it is /dev/console.
    config.boot.append = QStringLiteral("console=tty0 console=ttyS0");
    config.disks = {{QString::fromLatin1(kDiskFile), QStringLiteral("qcow2"), false}};
    config.nics = {NetworkInterface{}};
    return config;
}

Status copyInto(const QString& from, const QString& to) {
    if (!QFile::copy(from, to))
        return makeError(QStringLiteral("cannot copy %1 into the demo VM").arg(from).toStdString());
    return Status::success();
}

}  // namespace

std::optional<DemoGuest> findDemoGuest(const QString& applicationDir) {
    DemoGuest fromEnvironment{qEnvironmentVariable("TESSERA_DEMO_KERNEL"), qEnvironmentVariable("TESSERA_DEMO_INITRD")};
    if (QFileInfo::exists(fromEnvironment.kernel) && QFileInfo::exists(fromEnvironment.initrd)) return fromEnvironment;
    const QDir installed(QDir(applicationDir).filePath(QStringLiteral("../share/tessera/demo")));
    DemoGuest shipped{installed.filePath(QString::fromLatin1(kKernelFile)), installed.filePath(QString::fromLatin1(kInitrdFile))};
    if (QFileInfo::exists(shipped.kernel) && QFileInfo::exists(shipped.initrd)) return shipped;
    return std::nullopt;
}

Result<std::optional<VmBundle>> offerDemoVm(const QString& root, const DemoGuest& guest) {
    const QString marker = QDir(root).filePath(QString::fromLatin1(kDemoOfferedMarker));
    if (QFileInfo::exists(marker)) return std::optional<VmBundle>();
    if (!QDir().mkpath(root)) return makeError(QStringLiteral("cannot create the VM library folder %1").arg(root).toStdString());

    const VmConfig config = demoConfig();
    auto bundle = VmBundle::create(root, config);
    if (!bundle) return bundle.error();
    Status filled = copyInto(guest.kernel, bundle->resolve(config.boot.kernel));
    if (filled) filled = copyInto(guest.initrd, bundle->resolve(config.boot.initrd));
    if (filled) filled = createDiskImage({bundle->resolve(config.disks.first().file), QStringLiteral("qcow2"), uint64_t(2) << 30, {}, {}});
    if (!filled) {
        (void)deleteBundle(*bundle, DeleteKind::DeleteForever);  // no half-made VM in the library
        return filled.error();
    }
    QFile offered(marker);
    if (!offered.open(QIODevice::WriteOnly)) return makeError(QStringLiteral("cannot write %1").arg(marker).toStdString());
    return std::optional<VmBundle>(*bundle);
}

}  // namespace tessera::vm
