#pragma once
// The New-VM wizard: what to install from → (download) → processor and
// memory → disk → network → summary. Creates the bundle on Finish, and the
// VM appears in the library.

#include <QWizard>

#include "core/util/result.h"
#include "core/vm/vm_config.h"

namespace tessera::ui {

class SourcePage;
class DownloadPage;
class HardwarePage;
class DiskPage;
class NetworkPage;
class SummaryPage;

enum class SourceKind { Iso, Kernel, DiskImage, Download };

class NewVmWizard : public QWizard {
    Q_OBJECT
public:
    enum PageId { SourcePageId, DownloadPageId, HardwarePageId, DiskPageId, NetworkPageId, SummaryPageId };

    explicit NewVmWizard(const QString& libraryRoot, QWidget* parent = nullptr);

    QString libraryRoot() const { return root_; }
    // Where downloads wait until the bundle exists (same file system, so moving them is a rename).
    QString downloadFolder() const;

    SourcePage* sourcePage() const { return source_; }
    DownloadPage* downloadPage() const { return download_; }
    HardwarePage* hardwarePage() const { return hardware_; }
    DiskPage* diskPage() const { return disk_; }
    NetworkPage* networkPage() const { return network_; }
    SummaryPage* summaryPage() const { return summary_; }

    // The file the user's choice boils down to (ISO, kernel, disk, or the finished download).
    QString sourceFile() const;
    // The config as it will be written, paths as they will be inside the bundle.
    vm::VmConfig plannedConfig() const;
    // Makes the bundle: copies/links files, creates the disk, writes config.json.
    Result<QString> createBundle();
    QString createdBundle() const { return created_; }

    void setCanStart(bool canStart);
    bool startAfterCreation() const;

private:
    QString root_;
    QString created_;
    SourcePage* source_;
    DownloadPage* download_;
    HardwarePage* hardware_;
    DiskPage* disk_;
    NetworkPage* network_;
    SummaryPage* summary_;
};

// What a downloaded or picked file is, by its contents.
enum class FileRole { CdRom, Disk, Kernel };
FileRole roleOfFile(const QString& path);

}  // namespace tessera::ui
