#pragma once
// Paints one VM in the library grid as a card: last screen (or an
// architecture-colored placeholder), name, architecture badge, state pill,
// memory, disk allocated vs virtual, and when it last ran; a warning pill when
// config.json holds keys this Tessera ignores.

#include <QDateTime>
#include <QStyledItemDelegate>

namespace tessera::ui {

class VmCardDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    static QSize cardSize() { return {248, 262}; }
    // Badge color per architecture family, shared with the wizard.
    static QColor archColor(const QString& arch);

    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;
};

// "2 hours ago", "yesterday", "never", for the card's last-run line.
QString relativeTime(const QDateTime& when, const QDateTime& now = QDateTime::currentDateTimeUtc());

}  // namespace tessera::ui
