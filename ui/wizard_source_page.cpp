#include <QButtonGroup>
#include <QCheckBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QRegularExpression>
#include <QStackedWidget>
#include <QUrl>
#include <QVBoxLayout>

#include "ui/wizard_pages.h"

namespace tessera::ui {

namespace {

QWidget* fileRow(QLineEdit* edit, const QString& dialogTitle, const QString& filter, QWidget* parent) {
    auto* row = new QWidget(parent);
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* browse = new QPushButton(SourcePage::tr("Browse…"), row);
    QObject::connect(browse, &QPushButton::clicked, row, [=] {
        const QString file = QFileDialog::getOpenFileName(row, dialogTitle, edit->text(), filter);
        if (!file.isEmpty()) edit->setText(file);
    });
    layout->addWidget(edit, 1);
    layout->addWidget(browse);
    return row;
}

QString fileProblem(const QString& path, const QString& what) {
    if (path.trimmed().isEmpty()) return SourcePage::tr("Choose the %1 with Browse…, or type its path.").arg(what);
    const QFileInfo info(path.trimmed());
    if (!info.exists()) return SourcePage::tr("The file \"%1\" does not exist. Check the name or pick it with Browse….").arg(path.trimmed());
    if (info.isDir()) return SourcePage::tr("\"%1\" is a folder; choose the %2 file inside it.").arg(path.trimmed(), what);
    if (!info.isReadable()) return SourcePage::tr("You are not allowed to read \"%1\".").arg(path.trimmed());
    if (info.size() == 0) return SourcePage::tr("The file \"%1\" is empty.").arg(path.trimmed());
    return {};
}

QRadioButton* kindButton(const QString& title, const QString& description, QWidget* parent, QVBoxLayout* layout) {
    auto* button = new QRadioButton(title, parent);
    QFont bold = button->font();
    bold.setBold(true);
    button->setFont(bold);
    auto* text = new QLabel(description, parent);
    text->setWordWrap(true);
    text->setIndent(26);
    QPalette dim = text->palette();
    dim.setColor(QPalette::WindowText, dim.color(QPalette::PlaceholderText).darker(140));
    text->setPalette(dim);
    layout->addWidget(button);
    layout->addWidget(text);
    layout->addSpacing(4);
    return button;
}

}  // namespace

QLabel* makeProblemLabel(QWidget* parent) {
    auto* label = new QLabel(parent);
    label->setObjectName(QStringLiteral("problem"));
    label->setWordWrap(true);
    label->setStyleSheet(QStringLiteral("color: #c62828"));
    return label;
}

SourcePage::SourcePage(QWidget* parent) : QWizardPage(parent) {
    setTitle(tr("What do you want to run?"));
    setSubTitle(tr("Pick what the new virtual machine starts from. You can change this later in its settings."));

    auto* kindsLayout = new QVBoxLayout;
    kinds_ = new QButtonGroup(this);
    kinds_->addButton(kindButton(tr("Installer disc (ISO)"), tr("Install an operating system from a CD/DVD image, "
                                                                "like a real computer."), this, kindsLayout), int(SourceKind::Iso));
    kinds_->addButton(kindButton(tr("Linux kernel and initrd"), tr("Start a kernel directly, for kernel "
                                                                   "development or small systems."), this, kindsLayout), int(SourceKind::Kernel));
    kinds_->addButton(kindButton(tr("Existing disk image"), tr("Use a qcow2 or raw disk that already has a system "
                                                               "installed."), this, kindsLayout), int(SourceKind::DiskImage));
    kinds_->addButton(kindButton(tr("Download from the internet"), tr("Fetch an installer or disk image from a web "
                                                                      "address into the VM's folder."), this, kindsLayout), int(SourceKind::Download));
    for (QAbstractButton* b : kinds_->buttons()) b->setObjectName(QStringLiteral("kind%1").arg(kinds_->id(b)));

    iso_ = new QLineEdit(this);
    iso_->setObjectName(QStringLiteral("isoFile"));
    iso_->setPlaceholderText(tr("for example debian-13-netinst-riscv64.iso"));
    kernel_ = new QLineEdit(this);
    kernel_->setObjectName(QStringLiteral("kernelFile"));
    initrd_ = new QLineEdit(this);
    initrd_->setObjectName(QStringLiteral("initrdFile"));
    initrd_->setPlaceholderText(tr("optional"));
    append_ = new QLineEdit(QStringLiteral("console=ttyS0"), this);
    append_->setObjectName(QStringLiteral("kernelCommandLine"));
    disk_ = new QLineEdit(this);
    disk_->setObjectName(QStringLiteral("diskFile"));
    linked_ = new QCheckBox(tr("Linked clone: keep the original image unchanged and store changes in the VM"), this);
    linked_->setObjectName(QStringLiteral("linkedClone"));
    linked_->setChecked(true);
    url_ = new QLineEdit(this);
    url_->setObjectName(QStringLiteral("downloadUrl"));
    url_->setPlaceholderText(QStringLiteral("https://…"));
    sha256_ = new QLineEdit(this);
    sha256_->setObjectName(QStringLiteral("sha256"));
    sha256_->setPlaceholderText(tr("optional: 64 hexadecimal digits from the download page"));

    details_ = new QStackedWidget(this);
    auto addDetails = [this](QFormLayout* form) {
        auto* page = new QWidget(details_);
        form->setContentsMargins(26, 0, 0, 0);
        page->setLayout(form);
        details_->addWidget(page);
    };
    auto* isoForm = new QFormLayout;
    isoForm->addRow(tr("Disc image:"), fileRow(iso_, tr("Choose an installer disc"), tr("Disc images (*.iso *.img);;All files (*)"), this));
    express_ = new QGroupBox(tr("Express install: install without questions"), this);
    express_->setObjectName(QStringLiteral("expressInstall"));
    express_->setCheckable(true);
    express_->setChecked(true);
    hostname_ = new QLineEdit(express_);
    hostname_->setObjectName(QStringLiteral("expressHostname"));
    hostname_->setPlaceholderText(tr("optional, default: debian"));
    user_ = new QLineEdit(express_);
    user_->setObjectName(QStringLiteral("expressUser"));
    user_->setPlaceholderText(tr("lower case, for example alice"));
    password_ = new QLineEdit(express_);
    password_->setObjectName(QStringLiteral("expressPassword"));
    password_->setEchoMode(QLineEdit::Password);
    password_->setPlaceholderText(tr("stored only as a hash"));
    sshKey_ = new QLineEdit(express_);
    sshKey_->setObjectName(QStringLiteral("expressSshKey"));
    sshKey_->setPlaceholderText(tr("optional: ssh-ed25519 AAAA… (your ~/.ssh/id_ed25519.pub)"));
    auto* expressForm = new QFormLayout(express_);
    expressForm->addRow(tr("Host name:"), hostname_);
    expressForm->addRow(tr("User:"), user_);
    expressForm->addRow(tr("Password:"), password_);
    expressForm->addRow(tr("SSH public key:"), sshKey_);
    restartAfterInstall_ = new QCheckBox(tr("When it is done, eject the disc and restart from the disk"), express_);
    restartAfterInstall_->setObjectName(QStringLiteral("restartAfterInstall"));
    restartAfterInstall_->setChecked(true);
    expressForm->addRow(restartAfterInstall_);
    express_->setVisible(false);
    isoForm->addRow(express_);
    addDetails(isoForm);
    auto* kernelForm = new QFormLayout;
    kernelForm->addRow(tr("Kernel:"), fileRow(kernel_, tr("Choose a kernel"), tr("Kernels (Image* vmlinu* *.elf *.bin *.efi);;All files (*)"), this));
    kernelForm->addRow(tr("Initrd:"), fileRow(initrd_, tr("Choose an initial RAM disk"), tr("All files (*)"), this));
    kernelForm->addRow(tr("Command line:"), append_);
    addDetails(kernelForm);
    auto* diskForm = new QFormLayout;
    diskForm->addRow(tr("Disk image:"), fileRow(disk_, tr("Choose a disk image"), tr("Disk images (*.qcow2 *.img *.raw);;All files (*)"), this));
    diskForm->addRow(linked_);
    addDetails(diskForm);
    auto* urlForm = new QFormLayout;
    urlForm->addRow(tr("Address:"), url_);
    urlForm->addRow(tr("SHA-256:"), sha256_);
    addDetails(urlForm);

    problem_ = makeProblemLabel(this);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(kindsLayout);
    layout->addWidget(details_);
    layout->addStretch();
    layout->addWidget(problem_);

    connect(kinds_, &QButtonGroup::idClicked, this, [this](int id) {
        details_->setCurrentIndex(id);
        problem_->clear();
        emit completeChanged();
    });
    for (QLineEdit* edit : {iso_, kernel_, initrd_, disk_, url_, sha256_, hostname_, user_, password_, sshKey_})
        connect(edit, &QLineEdit::textChanged, this, [this] {
            problem_->clear();
            emit completeChanged();
        });
    // The disc says whether it installs unattended (a Tessera install disc).
    connect(iso_, &QLineEdit::textChanged, this,
            [this] { express_->setVisible(vm::isTesseraInstallDisc(iso_->text().trimmed())); });
    connect(express_, &QGroupBox::toggled, this, [this] { emit completeChanged(); });
    setKind(SourceKind::Iso);
}

SourceKind SourcePage::kind() const { return SourceKind(kinds_->checkedId()); }

void SourcePage::setKind(SourceKind kind) {
    kinds_->button(int(kind))->setChecked(true);
    details_->setCurrentIndex(int(kind));
    emit completeChanged();
}

bool SourcePage::expressInstall() const {
    return kind() == SourceKind::Iso && vm::isTesseraInstallDisc(iso_->text().trimmed()) && express_->isChecked();
}

vm::InstallAnswers SourcePage::typedAnswers() const {
    vm::InstallAnswers answers;
    if (!hostname_->text().trimmed().isEmpty()) answers.hostname = hostname_->text().trimmed();
    answers.user = user_->text().trimmed();
    answers.passwordHash = password_->text();
    answers.sshKey = sshKey_->text().trimmed();
    return answers;
}

QString SourcePage::problem() const {
    switch (kind()) {
        case SourceKind::Iso:
            if (QString p = fileProblem(iso_->text(), tr("disc image")); !p.isEmpty()) return p;
            return expressInstall() ? vm::checkInstallAnswers(typedAnswers()) : QString();
        case SourceKind::Kernel:
            if (QString p = fileProblem(kernel_->text(), tr("kernel")); !p.isEmpty()) return p;
            if (!initrd_->text().trimmed().isEmpty()) return fileProblem(initrd_->text(), tr("initrd"));
            return {};
        case SourceKind::DiskImage: return fileProblem(disk_->text(), tr("disk image"));
        case SourceKind::Download: {
            const QUrl url = QUrl::fromUserInput(url_->text().trimmed());
            if (url_->text().trimmed().isEmpty()) return tr("Type or paste the web address of the file to download.");
            if (!url.isValid() || !(url.scheme() == QLatin1String("http") || url.scheme() == QLatin1String("https")))
                return tr("\"%1\" is not a web address. It should start with https://").arg(url_->text().trimmed());
            if (url.fileName().isEmpty()) return tr("The address must end with a file name, like …/debian.iso");
            const QString sum = sha256_->text().trimmed();
            static const QRegularExpression hex(QStringLiteral("^[0-9a-fA-F]{64}$"));
            if (!sum.isEmpty() && !hex.match(sum).hasMatch())
                return tr("A SHA-256 checksum has exactly 64 characters 0-9 and a-f; this one has %n character(s).", nullptr, int(sum.size()));
            return {};
        }
    }
    return {};
}

bool SourcePage::isComplete() const {
    // Only block Next for empty fields; say what is wrong when Next is pressed.
    switch (kind()) {
        case SourceKind::Iso: return !iso_->text().trimmed().isEmpty();
        case SourceKind::Kernel: return !kernel_->text().trimmed().isEmpty();
        case SourceKind::DiskImage: return !disk_->text().trimmed().isEmpty();
        case SourceKind::Download: return !url_->text().trimmed().isEmpty();
    }
    return false;
}

bool SourcePage::validatePage() {
    const QString p = problem();
    problem_->setText(p);
    return p.isEmpty();
}

int SourcePage::nextId() const {
    return kind() == SourceKind::Download ? NewVmWizard::DownloadPageId : NewVmWizard::HardwarePageId;
}

}  // namespace tessera::ui
