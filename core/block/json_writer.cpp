#include "core/block/json_writer.h"

#include <cstdio>

namespace tessera::block {

void JsonWriter::prefix(const char* key) {
    if (!firstInLevel_.empty()) {
        if (!firstInLevel_.back()) out_ += ",";
        firstInLevel_.back() = false;
        out_ += "\n";
        out_.append(firstInLevel_.size() * 4, ' ');
    }
    if (key) out_ += quote(key) + ": ";
}

void JsonWriter::beginObject(const char* key) {
    prefix(key);
    out_ += "{";
    firstInLevel_.push_back(true);
}

void JsonWriter::endObject() {
    const bool empty = firstInLevel_.back();
    firstInLevel_.pop_back();
    if (!empty) {
        out_ += "\n";
        out_.append(firstInLevel_.size() * 4, ' ');
    }
    out_ += "}";
    if (firstInLevel_.empty()) out_ += "\n";
}

void JsonWriter::beginArray(const char* key) {
    prefix(key);
    out_ += "[";
    firstInLevel_.push_back(true);
}

void JsonWriter::endArray() {
    const bool empty = firstInLevel_.back();
    firstInLevel_.pop_back();
    if (!empty) {
        out_ += "\n";
        out_.append(firstInLevel_.size() * 4, ' ');
    }
    out_ += "]";
    if (firstInLevel_.empty()) out_ += "\n";
}

void JsonWriter::value(const char* key, const std::string& text) {
    prefix(key);
    out_ += quote(text);
}

void JsonWriter::value(const char* key, uint64_t number) {
    prefix(key);
    out_ += std::to_string(number);
}

void JsonWriter::value(const char* key, bool flag) {
    prefix(key);
    out_ += flag ? "true" : "false";
}

std::string JsonWriter::quote(const std::string& text) {
    std::string out = "\"";
    for (unsigned char c : text) {
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\t':
                out += "\\t";
                break;
            case '\r':
                out += "\\r";
                break;
            default:
                if (c < 0x20) {
                    char buffer[8];
                    std::snprintf(buffer, sizeof buffer, "\\u%04x", c);
                    out += buffer;
                } else {
                    out += static_cast<char>(c);
                }
        }
    }
    return out + "\"";
}

}  // namespace tessera::block
