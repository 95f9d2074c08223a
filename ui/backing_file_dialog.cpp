#include "ui/backing_file_dialog.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QPushButton>
#include <QStyle>
#include <QVBoxLayout>

namespace tessera::ui {

BackingFileDialog::BackingFileDialog(const vm::VmConfig& config, const vm::OutsideBacking& backing,
                                     QWidget* parent)
    : QDialog(parent), backing_(backing) {
    setObjectName(QStringLiteral("backingFileDialog"));
    setWindowTitle(tr("Allow a File Outside the VM Folder?"));

    const QString disk = config.disks.value(backing.disk).file;
    QString what = tr("The disk <b>%1</b> of <b>%2</b> builds on another file, its backing file:")
                       .arg(disk.toHtmlEscaped(), config.name.toHtmlEscaped());
    if (backing.depth > 0)
        what = tr("The disk <b>%1</b> of <b>%2</b> builds on <b>%3</b>, which builds on another file:")
                   .arg(disk.toHtmlEscaped(), config.name.toHtmlEscaped(), backing.image.toHtmlEscaped());
    auto* intro = new QLabel(what, this);
    intro->setWordWrap(true);

    auto* file = new QLabel(QStringLiteral("<tt>%1</tt>").arg(backing.file.toHtmlEscaped()), this);
    file->setObjectName(QStringLiteral("backingFile"));
    file->setTextInteractionFlags(Qt::TextSelectableByMouse);
    file->setWordWrap(true);
    auto* named =
        new QLabel(tr("The image names it as <tt>%1</tt>.").arg(backing.named.toHtmlEscaped()), this);
    named->setWordWrap(true);
    named->setVisible(backing.named != backing.file);

    auto* why =
        new QLabel(tr("This file lies outside the VM's folder. A disk image downloaded or copied from "
                      "elsewhere can name any file on this computer this way — your documents, your "
                      "keys — and the VM could then read it. Allow it only if you know that this file "
                      "belongs to the disk, for example because the disk was made from it."),
                   this);
    why->setWordWrap(true);

    auto* icon = new QLabel(this);
    icon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxWarning).pixmap(48, 48));
    icon->setAlignment(Qt::AlignTop);

    auto* buttons = new QDialogButtonBox(this);
    QPushButton* allow = buttons->addButton(tr("Allow This File"), QDialogButtonBox::AcceptRole);
    allow->setObjectName(QStringLiteral("allow"));
    allow->setAutoDefault(false);
    QPushButton* cancel = buttons->addButton(QDialogButtonBox::Cancel);
    cancel->setObjectName(QStringLiteral("cancel"));
    cancel->setDefault(true);  // Enter must not give a file away
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* text = new QVBoxLayout;
    text->addWidget(intro);
    text->addWidget(file);
    text->addWidget(named);
    text->addSpacing(6);
    text->addWidget(why);
    auto* row = new QHBoxLayout;
    row->addWidget(icon);
    row->addLayout(text, 1);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(row);
    layout->addWidget(buttons);
    resize(560, sizeHint().height());
}

bool confirmOutsideBacking(QWidget* parent, const vm::VmBundle& bundle, vm::VmConfig& config,
                           QString* error) {
    for (QList<vm::OutsideBacking> refused = vm::outsideBackingFiles(config, bundle); !refused.isEmpty();
         refused = vm::outsideBackingFiles(config, bundle)) {
        for (const vm::OutsideBacking& backing : std::as_const(refused)) {
            BackingFileDialog dialog(config, backing, parent);
            if (dialog.exec() != QDialog::Accepted) return false;
            vm::acceptBacking(config, backing);
            // Saved at once: a file allowed is not asked about again, even if a later one is declined.
            if (Status saved = bundle.save(config); !saved) {
                if (error) *error = QString::fromStdString(saved.message());
                return false;
            }
        }
    }
    return true;
}

}  // namespace tessera::ui
