// Mailbox name validation and the Maildir++ directory mapping.
#include "store/mailbox_names.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

namespace mailspec::server::store_detail {

namespace {

std::vector<std::string_view> components(std::string_view name) {
    std::vector<std::string_view> out;
    std::size_t start = 0;
    while (true) {
        auto slash = name.find(kDelimiter, start);
        out.push_back(name.substr(start, slash == std::string_view::npos ? slash : slash - start));
        if (slash == std::string_view::npos) break;
        start = slash + 1;
    }
    return out;
}

bool is_inbox(std::string_view component) {
    return component.size() == 5 &&
           std::equal(component.begin(), component.end(), "INBOX", [](char a, char b) {
               return std::toupper(static_cast<unsigned char>(a)) == b;
           });
}

constexpr std::size_t kMaxNameLength = 512;
constexpr std::size_t kMaxDirectoryLength = 255;  // NAME_MAX of common file systems

}  // namespace

std::optional<std::string> invalid_name(std::string_view name) {
    if (name.empty()) return "the mailbox name is empty";
    if (name.size() > kMaxNameLength) return "the mailbox name is longer than 512 octets";
    for (char c : name) {
        auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u > 0x7e) {
            return "the mailbox name contains a control or 8-bit octet (names are modified "
                   "UTF-7, RFC 3501 §5.1.3)";
        }
        if (c == '*' || c == '%') return "the mailbox name contains a LIST wildcard ('*' or '%')";
    }
    if (name.front() == kDelimiter) return "the mailbox name starts with '/' (absolute path)";
    if (name.back() == kDelimiter) return "the mailbox name ends with '/'";
    for (auto part : components(name)) {
        if (part.empty()) return "the mailbox name has an empty level ('//')";
        if (part == "." || part == "..") return "the mailbox name has a '.' or '..' level";
    }
    if (folder_directory(canonical_name(name)).size() > kMaxDirectoryLength) {
        return "the mailbox name is too long for the store";
    }
    return std::nullopt;
}

std::string canonical_name(std::string_view name) {
    auto first = name.substr(0, name.find(kDelimiter));
    if (!is_inbox(first)) return std::string(name);
    return "INBOX" + std::string(name.substr(first.size()));
}

std::string folder_directory(std::string_view canonical) {
    if (canonical == "INBOX") return "";
    std::string out;
    for (auto part : components(canonical)) {
        out += '.';
        for (char c : part) {
            if (c == '.' || c == '/' || c == '%') {
                static const char hex[] = "0123456789ABCDEF";
                out += '%';
                out += hex[(static_cast<unsigned char>(c) >> 4) & 0xf];
                out += hex[static_cast<unsigned char>(c) & 0xf];
            } else {
                out += c;
            }
        }
    }
    return out;
}

std::optional<std::string> name_from_directory(std::string_view directory) {
    if (directory.size() < 2 || directory.front() != '.' || directory == "..") return std::nullopt;
    std::string name;
    for (std::size_t i = 1; i < directory.size(); ++i) {
        char c = directory[i];
        if (c == '.') {
            name += kDelimiter;
        } else if (c == '%') {
            if (i + 2 >= directory.size()) return std::nullopt;
            auto hex = [](char h) -> int {
                if (h >= '0' && h <= '9') return h - '0';
                if (h >= 'A' && h <= 'F') return h - 'A' + 10;
                return -1;
            };
            int hi = hex(directory[i + 1]);
            int lo = hex(directory[i + 2]);
            if (hi < 0 || lo < 0) return std::nullopt;
            name += static_cast<char>(hi * 16 + lo);
            i += 2;
        } else {
            name += c;
        }
    }
    if (invalid_name(name)) return std::nullopt;
    return canonical_name(name);
}

std::optional<std::string> parent_name(std::string_view canonical) {
    auto slash = canonical.rfind(kDelimiter);
    if (slash == std::string_view::npos) return std::nullopt;
    return std::string(canonical.substr(0, slash));
}

}  // namespace mailspec::server::store_detail
