#pragma once
// Loads the user-interface translation for a locale: Tessera's own
// (:/i18n/tessera_<lang>.qm, built from translations/*.ts) and Qt's for
// standard buttons and dialogs.

#include <QLocale>
#include <QTranslator>

namespace tessera::ui {

// lupdate (Qt 6.4) does not resolve C++17 nested namespaces ("namespace
// tessera::ui {"), so it files MainWindow's strings under "MainWindow" while
// tr() asks for "tessera::ui::MainWindow". This translator retries a failed
// lookup without the namespace.
class NamespaceTolerantTranslator : public QTranslator {
public:
    using QTranslator::QTranslator;
    QString translate(const char* context, const char* sourceText, const char* disambiguation = nullptr,
                      int n = -1) const override;
};

// Returns true when a Tessera translation for `locale` was found (English needs none).
bool installTranslations(const QLocale& locale);

}  // namespace tessera::ui
