// Specification: every document a source comment cites is in the repository,
// and every section of docs/ARCHITECTURE.md a comment names by its heading
// (`docs/ARCHITECTURE.md, "Time"`) exists, so a reader can follow each pointer.
// Comments once cited DESIGN.md and RISCV-CONTRACT.md, which lived elsewhere.

#include <QDirIterator>
#include <QFile>
#include <QRegularExpression>
#include <QtTest>

namespace {

QString sourceRoot() {
    return QStringLiteral(TESSERA_SOURCE_DIR);
}

struct Citation {
    QString where;     // file:line
    QString document;  // as written
    QString section;   // the quoted heading after it, if any
};

QList<Citation> citations() {
    // A name ending in .md, optionally followed by `, "Section"` or ` "Section"`.
    static const QRegularExpression cite(QStringLiteral("([A-Za-z0-9_./-]+\\.md)(?:,? \"([^\"]+)\")?"));
    QList<Citation> found;
    for (const char* folder : {"core", "ui", "app", "tests", "scripts"}) {
        QDirIterator it(sourceRoot() + "/" + folder, {"*.h", "*.cpp", "*.py", "*.sh", "CMakeLists.txt"},
                        QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            if (path.endsWith("doc_references_test.cpp")) continue;  // its own examples
            QFile file(path);
            if (!file.open(QIODevice::ReadOnly)) continue;
            int lineNumber = 0;
            while (!file.atEnd()) {
                const QString line = QString::fromUtf8(file.readLine());
                ++lineNumber;
                auto matches = cite.globalMatch(line);
                while (matches.hasNext()) {
                    const auto m = matches.next();
                    found.push_back(
                        {QDir(sourceRoot()).relativeFilePath(path) + ":" + QString::number(lineNumber),
                         m.captured(1), m.captured(2)});
                }
            }
        }
    }
    return found;
}

// A cited document is named from the repository root or from the citing file's folder.
bool documentExists(const Citation& citation) {
    const QString file = citation.where.section(':', 0, 0);
    return QFile::exists(sourceRoot() + "/" + citation.document) ||
           QFile::exists(QFileInfo(sourceRoot() + "/" + file).dir().filePath(citation.document));
}

}  // namespace

class DocReferencesTest : public QObject {
    Q_OBJECT
private slots:
    void citedDocumentsAreInTheRepository() {
        const QList<Citation> all = citations();
        QVERIFY(!all.isEmpty());
        QStringList missing;
        for (const Citation& c : all)
            if (!documentExists(c)) missing << c.where + ": " + c.document;
        QVERIFY2(missing.isEmpty(), qPrintable("cited but not in the repository:\n" + missing.join('\n')));
    }

    void citedArchitectureSectionsExist() {
        QFile doc(sourceRoot() + "/docs/ARCHITECTURE.md");
        QVERIFY(doc.open(QIODevice::ReadOnly));
        QStringList headings;
        for (const QString& line : QString::fromUtf8(doc.readAll()).split('\n'))
            if (line.startsWith('#')) headings << line.section(' ', 1).trimmed();
        int cited = 0;
        QStringList missing;
        for (const Citation& c : citations()) {
            if (c.document != "docs/ARCHITECTURE.md" || c.section.isEmpty()) continue;
            ++cited;
            if (!headings.contains(c.section)) missing << c.where + ": \"" + c.section + "\"";
        }
        QVERIFY(cited > 0);
        QVERIFY2(missing.isEmpty(),
                 qPrintable("no such section in docs/ARCHITECTURE.md:\n" + missing.join('\n')));
    }
};

QTEST_GUILESS_MAIN(DocReferencesTest)
#include "doc_references_test.moc"
