#pragma once
// The pages of NewVmWizard. Each validates its own input and says, in words
// a non-expert understands, what to change.

#include <QWizardPage>

#include "core/vm/arch_detect.h"
#include "core/vm/install_answers.h"
#include "core/vm/vm_config.h"
#include "ui/host_limits.h"
#include "ui/new_vm_wizard.h"

class QButtonGroup;
class QCheckBox;
class QComboBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QRadioButton;
class QSlider;
class QSpinBox;
class QStackedWidget;

namespace tessera::ui {

class DownloadJob;
class PortForwardEditor;

// A line with a red message under a page's controls.
QLabel* makeProblemLabel(QWidget* parent);

class SourcePage : public QWizardPage {
    Q_OBJECT
public:
    explicit SourcePage(QWidget* parent = nullptr);
    SourceKind kind() const;
    void setKind(SourceKind kind);

    QLineEdit* isoEdit() const { return iso_; }
    QLineEdit* kernelEdit() const { return kernel_; }
    QLineEdit* initrdEdit() const { return initrd_; }
    QLineEdit* appendEdit() const { return append_; }
    QLineEdit* diskEdit() const { return disk_; }
    QCheckBox* linkedCloneBox() const { return linked_; }
    QLineEdit* urlEdit() const { return url_; }
    QLineEdit* sha256Edit() const { return sha256_; }
    // Express install: offered when the ISO is a Tessera install disc
    // (core/vm/install_answers.h); the answers then go on an answer disk.
    QGroupBox* expressGroup() const { return express_; }
    QLineEdit* hostnameEdit() const { return hostname_; }
    QLineEdit* userEdit() const { return user_; }
    QLineEdit* passwordEdit() const { return password_; }
    QLineEdit* sshKeyEdit() const { return sshKey_; }
    QCheckBox* restartAfterInstallBox() const { return restartAfterInstall_; }
    bool expressInstall() const;
    // The answers as typed; passwordHash holds the plain password until hashed.
    vm::InstallAnswers typedAnswers() const;

    // Empty when the page's input is usable; otherwise what to fix.
    QString problem() const;
    bool isComplete() const override;
    bool validatePage() override;
    int nextId() const override;

private:
    QButtonGroup* kinds_;
    QStackedWidget* details_;
    QLineEdit* iso_;
    QLineEdit* kernel_;
    QLineEdit* initrd_;
    QLineEdit* append_;
    QLineEdit* disk_;
    QCheckBox* linked_;
    QLineEdit* url_;
    QLineEdit* sha256_;
    QGroupBox* express_;
    QLineEdit* hostname_;
    QLineEdit* user_;
    QLineEdit* password_;
    QLineEdit* sshKey_;
    QCheckBox* restartAfterInstall_;
    QLabel* problem_;
};

class DownloadPage : public QWizardPage {
    Q_OBJECT
public:
    explicit DownloadPage(QWidget* parent = nullptr);
    void initializePage() override;
    void cleanupPage() override;
    bool isComplete() const override;

    QString downloadedFile() const { return done_ ? target_ : QString(); }
    QProgressBar* progressBar() const { return progress_; }
    QPushButton* stopResumeButton() const { return stopResume_; }
    QLabel* statusLabel() const { return status_; }
    DownloadJob* job() const { return job_; }

private:
    void begin();
    DownloadJob* job_;
    QProgressBar* progress_;
    QLabel* status_;
    QPushButton* stopResume_;
    QString target_;
    bool done_ = false;
};

class HardwarePage : public QWizardPage {
    Q_OBJECT
public:
    explicit HardwarePage(QWidget* parent = nullptr);
    void initializePage() override;
    int nextId() const override;

    QString arch() const;
    void setArch(const QString& arch);
    uint64_t memoryBytes() const;
    int cpus() const;
    QComboBox* archCombo() const { return arch_; }
    QSpinBox* memorySpin() const { return memory_; }
    QSpinBox* cpuSpin() const { return cpus_; }
    QLabel* detectionLabel() const { return detected_; }
    const vm::ArchGuess& guess() const { return guess_; }

private:
    void updateArchNote();
    void updateCpuRange();
    void updateMemoryRange();
    HostLimits host_;
    vm::ArchGuess guess_;
    QComboBox* arch_;
    QLabel* detected_;
    QLabel* archNote_;
    QSlider* memorySlider_;
    QSpinBox* memory_;
    QSpinBox* cpus_;
    QLabel* cpuHint_;
};

class DiskPage : public QWizardPage {
    Q_OBJECT
public:
    explicit DiskPage(QWidget* parent = nullptr);
    void initializePage() override;
    bool createDisk() const;
    uint64_t sizeBytes() const;
    QRadioButton* newDiskButton() const { return newDisk_; }
    QRadioButton* noDiskButton() const { return noDisk_; }
    QSpinBox* sizeSpin() const { return sizeGiB_; }

private:
    QRadioButton* newDisk_;
    QRadioButton* noDisk_;
    QSpinBox* sizeGiB_;
    QLabel* space_;
};

class NetworkPage : public QWizardPage {
    Q_OBJECT
public:
    explicit NetworkPage(QWidget* parent = nullptr);
    bool validatePage() override;
    bool nat() const;
    QList<vm::PortForward> forwards() const;
    QCheckBox* natBox() const { return nat_; }
    PortForwardEditor* forwardEditor() const { return editor_; }

private:
    QCheckBox* nat_;
    PortForwardEditor* editor_;
    QLabel* problem_;
};

class SummaryPage : public QWizardPage {
    Q_OBJECT
public:
    explicit SummaryPage(QWidget* parent = nullptr);
    void initializePage() override;
    bool validatePage() override;
    bool isComplete() const override;

    QLineEdit* nameEdit() const { return name_; }
    QLabel* summaryLabel() const { return summary_; }
    QPlainTextEdit* qemuCommand() const { return qemu_; }
    QCheckBox* startBox() const { return start_; }
    QLabel* problemLabel() const { return problem_; }

private:
    void refresh();
    QLineEdit* name_;
    QLabel* summary_;
    QPlainTextEdit* qemu_;
    QCheckBox* start_;
    QLabel* problem_;
    QString suggestedName_;
};

}  // namespace tessera::ui
