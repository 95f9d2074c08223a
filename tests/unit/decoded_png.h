#pragma once
// Tests' reader for the PNG screenshots core writes (png_writer.h: 8-bit RGB,
// one IDAT, filter 0 rows); core and its tests do without QtGui's QImage.

#include <zlib.h>

#include <QByteArray>
#include <QFile>
#include <QString>
#include <QtEndian>
#include <cstdint>
#include <vector>

// Decodes what saveScreenshot writes (8-bit RGB, one IDAT, filter 0 rows).
struct DecodedPng {
    quint32 width = 0, height = 0;
    std::vector<uint8_t> rows;  // each row: filter byte + width * RGB
    const uint8_t* pixel(quint32 x, quint32 y) const { return rows.data() + y * (width * 3 + 1) + 1 + x * 3; }
};

inline DecodedPng decodePng(const QByteArray& png) {
    DecodedPng decoded;
    if (!png.startsWith("\x89PNG\r\n\x1a\n") || png.mid(12, 4) != "IHDR") return decoded;
    decoded.width = qFromBigEndian<quint32>(png.constData() + 16);
    decoded.height = qFromBigEndian<quint32>(png.constData() + 20);
    const int idat = png.indexOf("IDAT");
    if (idat < 4) return decoded;
    const quint32 length = qFromBigEndian<quint32>(png.constData() + idat - 4);
    decoded.rows.resize((decoded.width * 3 + 1) * decoded.height);
    uLongf rawSize = decoded.rows.size();
    if (uncompress(decoded.rows.data(), &rawSize, reinterpret_cast<const Bytef*>(png.constData() + idat + 4),
                   length) != Z_OK ||
        rawSize != decoded.rows.size())
        decoded.rows.clear();
    return decoded;
}

inline DecodedPng readPngFile(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? decodePng(file.readAll()) : DecodedPng();
}
