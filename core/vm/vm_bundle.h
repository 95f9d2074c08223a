#pragma once
// A VM bundle: one directory `<library>/<name>.tessera/` holding config.json,
// the disk images, screenshot.png (last frame, the library thumbnail) and
// logs/. Relative paths inside config.json are relative to the bundle, so a
// bundle can be moved or copied as a whole.

#include <QString>

#include "core/util/result.h"
#include "core/vm/vm_config.h"

namespace tessera::vm {

inline constexpr char kBundleSuffix[] = ".tessera";
inline constexpr char kConfigFileName[] = "config.json";
inline constexpr char kScreenshotFileName[] = "screenshot.png";
inline constexpr char kLogsDirName[] = "logs";

// Where VMs live: $TESSERA_VM_DIR if set, else ~/.local/share/Tessera/VMs.
QString defaultLibraryRoot();
// `override` wins when not empty (API parameter; tests and --vm-dir use it).
QString libraryRoot(const QString& override = {});

class VmBundle {
public:
    explicit VmBundle(QString directory) : dir_(std::move(directory)) {}
    // `<root>/<name>.tessera`
    static VmBundle forName(const QString& root, const QString& name);

    const QString& directory() const { return dir_; }
    QString configPath() const;
    QString screenshotPath() const;
    QString logsPath() const;
    // Bundle-relative paths resolve against the bundle; absolute stay as they are.
    QString resolve(const QString& path) const;
    // The reverse: a file inside the bundle is stored relative to it.
    QString relativize(const QString& path) const;
    // The directory name without ".tessera", what the library shows for broken configs.
    QString baseName() const;

    Result<VmConfig> load() const;
    // Atomic (QSaveFile): a crash mid-save leaves the old config intact.
    Status save(const VmConfig& config) const;

    // Makes the directory and logs/ and writes config.json; fails if the bundle exists.
    static Result<VmBundle> create(const QString& root, const VmConfig& config);

private:
    QString dir_;
};

}  // namespace tessera::vm
