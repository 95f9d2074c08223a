#pragma once
// Answers the GUI's "Let other computers connect?" question (ui::confirmExposure)
// from a timer, the way a user would click it, for the GUI exposure tests.

#include <QAbstractButton>
#include <QMessageBox>
#include <QTimer>
#include <QtTest>

namespace tessera::testing {

inline const QString kAllowOtherComputers = QStringLiteral("Allow Other Computers");
inline const QString kCancel = QStringLiteral("Cancel");

// If `window` (the dialog whose Save/Apply/Next is about to be pressed) asks the
// question during the next call, clicks `button`; `asked` tells whether it asked.
inline void answerExposureQuestion(QWidget* window, const QString& button, bool& asked) {
    asked = false;
    QTimer::singleShot(0, window, [window, button, &asked] {
        auto* box = window->findChild<QMessageBox*>(QStringLiteral("exposureConfirmation"));
        if (!box || !box->isVisible()) return;
        asked = true;
        QVERIFY2(box->text().contains(QStringLiteral("reachable from other machines")),
                 qPrintable(box->text()));
        for (QAbstractButton* b : box->buttons())
            if (b->text().remove(QLatin1Char('&')) == button) b->click();
    });
}

}  // namespace tessera::testing
