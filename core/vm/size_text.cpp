#include "core/vm/size_text.h"

#include <cmath>
#include <limits>

namespace tessera::vm {

namespace {

int shiftForUnit(QChar unit) {
    switch (unit.toUpper().toLatin1()) {
        case 'B': return 0;
        case 'K': return 10;
        case 'M': return 20;
        case 'G': return 30;
        case 'T': return 40;
        case 'P': return 50;
        default: return -1;
    }
}

}  // namespace

std::optional<uint64_t> parseSize(const QString& input, char defaultUnit) {
    QString text = input.trimmed();
    if (text.isEmpty()) return std::nullopt;
    // Accept "512M", "512MB", "512MiB" and "512 M" alike.
    if (text.endsWith(QStringLiteral("iB"), Qt::CaseInsensitive)) text.chop(2);
    else if (text.size() > 1 && text.back().toUpper() == QLatin1Char('B') && shiftForUnit(text[text.size() - 2]) > 0)
        text.chop(1);
    int shift = defaultUnit ? shiftForUnit(QLatin1Char(defaultUnit)) : 0;
    if (!text.isEmpty() && text.back().isLetter()) {
        shift = shiftForUnit(text.back());
        if (shift < 0) return std::nullopt;
        text.chop(1);
    }
    text = text.trimmed();
    if (text.isEmpty()) return std::nullopt;
    for (QChar c : text)
        if (!c.isDigit() && c != QLatin1Char('.')) return std::nullopt;
    bool ok = false;
    if (!text.contains(QLatin1Char('.'))) {
        const qulonglong number = text.toULongLong(&ok);
        if (!ok) return std::nullopt;
        if (shift > 0 && number > (std::numeric_limits<uint64_t>::max() >> shift)) return std::nullopt;
        return uint64_t(number) << shift;
    }
    const double number = text.toDouble(&ok);
    if (!ok || !std::isfinite(number) || number < 0) return std::nullopt;
    const double bytes = std::round(std::ldexp(number, shift));
    if (bytes >= 18446744073709551615.0) return std::nullopt;
    return uint64_t(bytes);
}

QString formatSize(uint64_t bytes) {
    static constexpr struct { int shift; char unit; } kUnits[] = {{40, 'T'}, {30, 'G'}, {20, 'M'}, {10, 'K'}};
    if (bytes == 0) return QStringLiteral("0");
    for (const auto& u : kUnits) {
        const uint64_t mask = (uint64_t(1) << u.shift) - 1;
        if ((bytes & mask) == 0) return QString::number(bytes >> u.shift) + QLatin1Char(u.unit);
    }
    return QString::number(bytes);
}

QString formatSizeForHumans(uint64_t bytes) {
    static const char* const kUnits[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB"};
    double value = double(bytes);
    int unit = 0;
    while (value >= 1024.0 && unit < 5) {
        value /= 1024.0;
        ++unit;
    }
    if (unit == 0) return QStringLiteral("%1 bytes").arg(bytes);
    // "2 GiB", not "2.0 GiB"; one decimal only where it says something ("1.5 GiB").
    const int decimals = value < 10 && std::abs(value - std::round(value)) >= 0.05 ? 1 : 0;
    return QStringLiteral("%1 %2").arg(value, 0, 'f', decimals).arg(QLatin1String(kUnits[unit]));
}

}  // namespace tessera::vm
