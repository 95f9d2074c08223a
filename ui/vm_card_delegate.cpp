#include "ui/vm_card_delegate.h"

#include <QApplication>
#include <QPainter>
#include <QPainterPath>
#include <QSvgRenderer>
#include <algorithm>

#include "core/vm/size_text.h"
#include "ui/vm_library_model.h"

namespace tessera::ui {

namespace {

constexpr int kMargin = 8;
constexpr int kRadius = 10;

QColor stateColor(VmRunState state) {
    switch (state) {
        case VmRunState::Running: return QColor(0x2e, 0xa0, 0x43);
        case VmRunState::Paused: return QColor(0xd0, 0x8c, 0x10);
        case VmRunState::Broken: return QColor(0xc6, 0x28, 0x28);
        case VmRunState::Stopped: break;
    }
    return QColor(0x80, 0x80, 0x88);
}

QColor warningColor() {
    return QColor(0xb3, 0x6b, 0x00);
}

void drawPill(QPainter* p, const QRect& rect, const QColor& color, const QString& text, const QFont& font) {
    QPainterPath path;
    path.addRoundedRect(rect, rect.height() / 2.0, rect.height() / 2.0);
    p->fillPath(path, color);
    p->setPen(Qt::white);
    p->setFont(font);
    p->drawText(rect, Qt::AlignCenter, text);
}

int pillWidth(const QFontMetrics& fm, const QString& text) { return fm.horizontalAdvance(text) + 16; }

}  // namespace

QColor VmCardDelegate::archColor(const QString& arch) {
    if (arch.startsWith(QLatin1String("riscv"))) return QColor(0x2f, 0x6f, 0xb0);
    if (arch == QLatin1String("aarch64") || arch == QLatin1String("arm")) return QColor(0x3a, 0xa3, 0x7a);
    if (arch.startsWith(QLatin1String("ppc"))) return QColor(0xc0, 0x50, 0x4d);
    if (arch == QLatin1String("x86_64") || arch == QLatin1String("i386")) return QColor(0x6a, 0x5a, 0xcd);
    if (arch.isEmpty()) return QColor(0x9e, 0x9e, 0x9e);
    return QColor(0xe0, 0xa0, 0x30);
}

QString relativeTime(const QDateTime& when, const QDateTime& now) {
    if (!when.isValid()) return VmCardDelegate::tr("never run");
    const qint64 seconds = when.secsTo(now);
    if (seconds < 60) return VmCardDelegate::tr("ran just now");
    if (seconds < 3600) return VmCardDelegate::tr("ran %n minute(s) ago", nullptr, int(seconds / 60));
    if (seconds < 86400) return VmCardDelegate::tr("ran %n hour(s) ago", nullptr, int(seconds / 3600));
    if (seconds < 86400 * 30) return VmCardDelegate::tr("ran %n day(s) ago", nullptr, int(seconds / 86400));
    return VmCardDelegate::tr("ran on %1").arg(QLocale().toString(when.toLocalTime().date(), QLocale::ShortFormat));
}

QSize VmCardDelegate::sizeHint(const QStyleOptionViewItem&, const QModelIndex&) const { return cardSize(); }

void VmCardDelegate::paint(QPainter* p, const QStyleOptionViewItem& option, const QModelIndex& index) const {
    p->save();
    p->setRenderHint(QPainter::Antialiasing);
    const QPalette& pal = option.palette;
    const QRect card = option.rect.adjusted(kMargin, kMargin, -kMargin, -kMargin);
    const bool selected = option.state & QStyle::State_Selected;
    const bool hovered = option.state & QStyle::State_MouseOver;
    const auto state = VmRunState(index.data(VmLibraryModel::StateRole).toInt());
    const QString arch = index.data(VmLibraryModel::ArchRole).toString();

    // Card body with a soft border; the selection is a colored outline, as in GNOME Boxes.
    QPainterPath body;
    body.addRoundedRect(QRectF(card).adjusted(0.5, 0.5, -0.5, -0.5), kRadius, kRadius);
    p->fillPath(body, pal.color(QPalette::Base));
    QPen border(selected ? pal.color(QPalette::Highlight) : pal.color(QPalette::Mid), selected ? 2.5 : 1.0);
    if (hovered && !selected) border.setColor(pal.color(QPalette::Highlight).lighter(150));
    p->setPen(border);
    p->drawPath(body);

    // Screen area.
    const QRect screen(card.left() + 10, card.top() + 10, card.width() - 20, 128);
    QPainterPath screenPath;
    screenPath.addRoundedRect(screen, 6, 6);
    p->setClipPath(screenPath);
    const QImage thumb = index.data(VmLibraryModel::ThumbnailRole).value<QImage>();
    if (!thumb.isNull()) {
        p->fillRect(screen, Qt::black);
        const QSize scaled = thumb.size().scaled(screen.size(), Qt::KeepAspectRatio);
        const QRect target(QPoint(screen.center().x() - scaled.width() / 2, screen.center().y() - scaled.height() / 2), scaled);
        p->drawImage(target, thumb);
    } else {
        const QColor base = state == VmRunState::Broken ? QColor(0x55, 0x2a, 0x2a) : archColor(arch).darker(260);
        QLinearGradient gradient(screen.topLeft(), screen.bottomRight());
        gradient.setColorAt(0, base.lighter(130));
        gradient.setColorAt(1, base);
        p->fillRect(screen, gradient);
        QSvgRenderer logo(QStringLiteral(":/icons/tessera.svg"));
        const int side = 56;
        p->setOpacity(state == VmRunState::Broken ? 0.25 : 0.55);
        logo.render(p, QRectF(screen.center().x() - side / 2.0, screen.center().y() - side / 2.0 - 6, side, side));
        p->setOpacity(1.0);
        QFont small = option.font;
        small.setPointSizeF(small.pointSizeF() * 0.85);
        p->setFont(small);
        p->setPen(QColor(255, 255, 255, 170));
        p->drawText(screen.adjusted(0, 0, 0, -8), Qt::AlignHCenter | Qt::AlignBottom,
                    state == VmRunState::Broken ? tr("Cannot be opened") : tr("No screenshot yet"));
    }
    p->setClipping(false);

    // Linked clones and their original: a pill over the screen's bottom-left corner,
    // since starting the original is refused while clones depend on it.
    if (const QString links = index.data(VmLibraryModel::CloneLinksRole).toString(); !links.isEmpty()) {
        QFont linkFont = option.font;
        linkFont.setPointSizeF(linkFont.pointSizeF() * 0.8);
        const QFontMetrics lfm(linkFont);
        const int width = std::min(pillWidth(lfm, links), screen.width() - 12);
        drawPill(p, QRect(screen.left() + 6, screen.bottom() - 6 - lfm.height() - 4, width, lfm.height() + 4),
                 QColor(0x45, 0x5a, 0x64), lfm.elidedText(links, Qt::ElideRight, width - 12), linkFont);
    }

    // State pill over the screen's top-left corner.
    QFont pillFont = option.font;
    pillFont.setPointSizeF(pillFont.pointSizeF() * 0.8);
    pillFont.setBold(true);
    const QFontMetrics pfm(pillFont);
    const QString stateText = index.data(VmLibraryModel::StateTextRole).toString();
    const QRect statePill(screen.left() + 6, screen.top() + 6, pillWidth(pfm, stateText), pfm.height() + 4);
    drawPill(p, statePill, stateColor(state), stateText, pillFont);
    // config.json keys that have no effect (a "readOnly" that leaves the disk writable): an amber
    // pill over the screen's top-right corner; the tooltip says which and what was probably meant.
    if (const int unknown = int(index.data(VmLibraryModel::WarningsRole).toStringList().size())) {
        const QString text = tr("%n unknown key(s)", nullptr, unknown);
        const int width = std::min(pillWidth(pfm, text), screen.right() - 6 - statePill.right() - 6);
        drawPill(p, QRect(screen.right() - 6 - width, screen.top() + 6, width, pfm.height() + 4),
                 warningColor(), pfm.elidedText(text, Qt::ElideRight, width - 12), pillFont);
    }

    // Name.
    int y = screen.bottom() + 10;
    QFont nameFont = option.font;
    nameFont.setBold(true);
    nameFont.setPointSizeF(nameFont.pointSizeF() * 1.1);
    const QFontMetrics nfm(nameFont);
    p->setFont(nameFont);
    p->setPen(pal.color(QPalette::Text));
    const QRect nameRect(card.left() + 12, y, card.width() - 24, nfm.height());
    p->drawText(nameRect, Qt::AlignLeft | Qt::AlignVCenter,
                nfm.elidedText(index.data(VmLibraryModel::NameRole).toString(), Qt::ElideRight, nameRect.width()));
    y += nfm.height() + 6;

    QFont detailFont = option.font;
    detailFont.setPointSizeF(detailFont.pointSizeF() * 0.9);
    const QFontMetrics dfm(detailFont);
    const QColor dim = pal.color(QPalette::PlaceholderText);
    if (state == VmRunState::Broken) {
        p->setFont(detailFont);
        p->setPen(stateColor(VmRunState::Broken));
        const QRect errorRect(card.left() + 12, y, card.width() - 24, card.bottom() - y - 8);
        p->drawText(errorRect, Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap,
                    dfm.elidedText(index.data(VmLibraryModel::ErrorRole).toString(), Qt::ElideRight, errorRect.width() * 3));
        p->restore();
        return;
    }

    // Architecture badge + memory/CPUs.
    const QString archLabel = index.data(VmLibraryModel::ArchLabelRole).toString();
    const QRect badge(card.left() + 12, y, pillWidth(pfm, archLabel), pfm.height() + 4);
    drawPill(p, badge, archColor(arch), archLabel, pillFont);
    p->setFont(detailFont);
    p->setPen(dim);
    const int cpus = index.data(VmLibraryModel::CpusRole).toInt();
    const QString hardware = tr("%1 · %n CPU(s)", nullptr, cpus)
                                 .arg(vm::formatSizeForHumans(index.data(VmLibraryModel::MemoryRole).value<quint64>()));
    p->drawText(QRect(badge.right() + 8, y, card.right() - badge.right() - 20, badge.height()), Qt::AlignLeft | Qt::AlignVCenter,
                dfm.elidedText(hardware, Qt::ElideRight, card.right() - badge.right() - 20));
    y += badge.height() + 8;

    // Disk usage: a thin bar of allocated against virtual size.
    const quint64 allocated = index.data(VmLibraryModel::DiskAllocatedRole).value<quint64>();
    const quint64 virtualSize = index.data(VmLibraryModel::DiskVirtualRole).value<quint64>();
    const QString disk = virtualSize ? tr("Disk %1 used of %2").arg(vm::formatSizeForHumans(allocated), vm::formatSizeForHumans(virtualSize))
                                     : tr("No disk");
    p->drawText(QRect(card.left() + 12, y, card.width() - 24, dfm.height()), Qt::AlignLeft | Qt::AlignVCenter,
                dfm.elidedText(disk, Qt::ElideRight, card.width() - 24));
    y += dfm.height() + 3;
    if (virtualSize) {
        const QRect track(card.left() + 12, y, card.width() - 24, 4);
        QPainterPath trackPath;
        trackPath.addRoundedRect(track, 2, 2);
        p->fillPath(trackPath, pal.color(QPalette::Midlight));
        const double fraction = std::min(1.0, double(allocated) / double(virtualSize));
        QPainterPath fill;
        fill.addRoundedRect(QRectF(track.left(), track.top(), std::max(4.0, track.width() * fraction), track.height()), 2, 2);
        p->fillPath(fill, archColor(arch));
    }
    y += 9;
    const QRect lastLine(card.left() + 12, y, card.width() - 24, dfm.height());
    p->drawText(lastLine, Qt::AlignLeft | Qt::AlignVCenter,
                relativeTime(index.data(VmLibraryModel::LastRunRole).toDateTime()));
    // Where its SSH server answers (the card's menu copies the whole command).
    if (const int sshPort = index.data(VmLibraryModel::SshPortRole).toInt())
        p->drawText(lastLine, Qt::AlignRight | Qt::AlignVCenter, tr("SSH port %1").arg(sshPort));
    p->restore();
}

}  // namespace tessera::ui
