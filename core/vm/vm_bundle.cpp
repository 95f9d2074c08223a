#include "core/vm/vm_bundle.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QStandardPaths>

#include "core/vm/vm_config_json.h"

namespace tessera::vm {

QString defaultLibraryRoot() {
    const QByteArray env = qgetenv("TESSERA_VM_DIR");
    if (!env.isEmpty()) return QDir::cleanPath(QString::fromLocal8Bit(env));
    // GenericDataLocation is ~/.local/share (XDG_DATA_HOME) whatever the app name is.
    return QDir::cleanPath(QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) +
                           QStringLiteral("/Tessera/VMs"));
}

QString libraryRoot(const QString& override) {
    return override.isEmpty() ? defaultLibraryRoot() : QDir::cleanPath(override);
}

VmBundle VmBundle::forName(const QString& root, const QString& name) {
    return VmBundle(QDir(root).filePath(name + QLatin1String(kBundleSuffix)));
}

QString VmBundle::configPath() const { return QDir(dir_).filePath(QLatin1String(kConfigFileName)); }
QString VmBundle::screenshotPath() const { return QDir(dir_).filePath(QLatin1String(kScreenshotFileName)); }
QString VmBundle::logsPath() const { return QDir(dir_).filePath(QLatin1String(kLogsDirName)); }

QString VmBundle::resolve(const QString& path) const {
    if (path.isEmpty() || QDir::isAbsolutePath(path)) return path;
    return QDir::cleanPath(QDir(dir_).filePath(path));
}

QString VmBundle::relativize(const QString& path) const {
    if (path.isEmpty()) return path;
    const QString absolute = QFileInfo(path).absoluteFilePath();
    const QString relative = QDir(dir_).relativeFilePath(absolute);
    return relative.startsWith(QLatin1String("..")) ? absolute : relative;
}

QString VmBundle::baseName() const {
    QString name = QFileInfo(dir_).fileName();
    if (name.endsWith(QLatin1String(kBundleSuffix))) name.chop(int(qstrlen(kBundleSuffix)));
    return name;
}

Result<VmConfig> VmBundle::load() const {
    QFile file(configPath());
    if (!file.exists())
        return makeError(QStringLiteral("%1 is missing from the VM folder %2").arg(QLatin1String(kConfigFileName), dir_).toStdString());
    if (!file.open(QIODevice::ReadOnly))
        return makeError(QStringLiteral("cannot read %1: %2").arg(file.fileName(), file.errorString()).toStdString());
    // config.json is small; a huge one is damage, not a VM.
    if (file.size() > 1 << 20)
        return makeError(QStringLiteral("%1 is %2 bytes, far too large for a VM configuration")
                             .arg(QLatin1String(kConfigFileName)).arg(file.size()).toStdString());
    return fromJsonText(file.readAll(), QLatin1String(kConfigFileName));
}

Status VmBundle::save(const VmConfig& config) const {
    TESSERA_TRY(validate(config, QLatin1String(kConfigFileName)));
    QSaveFile file(configPath());
    if (!file.open(QIODevice::WriteOnly))
        return makeError(QStringLiteral("cannot write %1: %2").arg(file.fileName(), file.errorString()).toStdString());
    file.write(toJsonText(config));
    if (!file.commit())
        return makeError(QStringLiteral("cannot write %1: %2").arg(file.fileName(), file.errorString()).toStdString());
    return Status::success();
}

Result<VmBundle> VmBundle::create(const QString& root, const VmConfig& config) {
    TESSERA_TRY(validate(config));
    VmBundle bundle = forName(root, config.name);
    if (QFileInfo::exists(bundle.directory()))
        return makeError(QStringLiteral("a VM named \"%1\" already exists (%2)").arg(config.name, bundle.directory()).toStdString());
    if (!QDir().mkpath(bundle.logsPath()))
        return makeError(QStringLiteral("cannot create the VM folder %1").arg(bundle.directory()).toStdString());
    if (Status saved = bundle.save(config); !saved) {
        QDir(bundle.directory()).removeRecursively();
        return saved.error();
    }
    return bundle;
}

}  // namespace tessera::vm
