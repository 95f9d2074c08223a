#include "ui/app_translator.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <cstring>

namespace tessera::ui {

QString NamespaceTolerantTranslator::translate(const char* context, const char* sourceText, const char* disambiguation,
                                               int n) const {
    QString text = QTranslator::translate(context, sourceText, disambiguation, n);
    if (!text.isEmpty() || !context) return text;
    const char* shortContext = std::strrchr(context, ':');
    if (!shortContext || shortContext == context) return text;
    return QTranslator::translate(shortContext + 1, sourceText, disambiguation, n);
}

bool installTranslations(const QLocale& locale) {
    auto* qt = new QTranslator(QCoreApplication::instance());
    if (qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"), QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qt);
    else
        delete qt;
    auto* own = new NamespaceTolerantTranslator(QCoreApplication::instance());
    if (own->load(locale, QStringLiteral("tessera"), QStringLiteral("_"), QStringLiteral(":/i18n"))) {
        QCoreApplication::installTranslator(own);
        return true;
    }
    // English is the source language; its .qm only adds plural forms ("1 CPU", "2 CPUs"),
    // which every other locale without a translation should get too.
    if (own->load(QStringLiteral(":/i18n/tessera_en.qm"))) QCoreApplication::installTranslator(own);
    else delete own;
    return false;
}

}  // namespace tessera::ui
