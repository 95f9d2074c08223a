#include "ui/vm_stopped_banner.h"

#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QPushButton>

namespace tessera::ui {

VmStoppedBanner::VmStoppedBanner(QWidget* parent) : QFrame(parent) {
    setObjectName(QStringLiteral("stoppedBanner"));
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    QPalette tinted = palette();
    tinted.setColor(QPalette::Window, tinted.color(QPalette::AlternateBase));
    setPalette(tinted);

    auto* icon = new QLabel(this);
    icon->setPixmap(QIcon::fromTheme(QStringLiteral("dialog-information")).pixmap(22, 22));
    text_ = new QLabel(this);
    text_->setObjectName(QStringLiteral("stoppedReason"));
    text_->setWordWrap(true);
    text_->setTextInteractionFlags(
        Qt::TextSelectableByMouse);  // an emulator error can be copied into a report
    start_ = new QPushButton(QIcon(QStringLiteral(":/icons/actions/start.svg")), tr("Start"), this);
    start_->setObjectName(QStringLiteral("startAgain"));
    connect(start_, &QPushButton::clicked, this, &VmStoppedBanner::startRequested);

    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(10, 6, 10, 6);
    layout->addWidget(icon);
    layout->addWidget(text_, 1);
    layout->addWidget(start_);
    hide();
}

void VmStoppedBanner::showReason(const QString& why) {
    text_->setText(tr("The VM has stopped. %1").arg(why));
    show();
}

QString VmStoppedBanner::text() const {
    return text_->text();
}

}  // namespace tessera::ui
