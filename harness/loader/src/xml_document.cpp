#include "xml_document.hpp"

#include <algorithm>

#include "mailspec/core/split.hpp"

namespace mailspec::harness::loader::detail {

bool XmlDocument::parse(std::string_view xml, const std::string& file_name, Diagnostics& errors) {
    file_ = file_name;
    text_.assign(xml);
    line_starts_.assign(1, 0);
    for (std::size_t i = 0; i < text_.size(); ++i)
        if (text_[i] == '\n') line_starts_.push_back(i + 1);
    // parse_default keeps text as written (no trimming); pugixml reports the byte offset of errors.
    const auto result = doc_.load_buffer(text_.data(), text_.size(), pugi::parse_default, pugi::encoding_utf8);
    if (!result) {
        errors.push_back({where_offset(result.offset),
                          std::string("malformed XML: ") + result.description()});
        return false;
    }
    if (!doc_.document_element()) {
        errors.push_back({{file_, 1}, "expected a root element, found an empty document"});
        return false;
    }
    return true;
}

model::SourceLocation XmlDocument::where_offset(std::ptrdiff_t offset) const {
    if (offset < 0) return {file_, 0};
    const auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), static_cast<std::size_t>(offset));
    return {file_, static_cast<int>(it - line_starts_.begin())};
}

model::SourceLocation XmlDocument::where(const pugi::xml_node& node) const {
    return where_offset(node.offset_debug());
}

void XmlDocument::error(const pugi::xml_node& node, std::string message, Diagnostics& errors) const {
    errors.push_back({where(node), std::move(message)});
}

bool XmlDocument::check_attributes(const pugi::xml_node& node, std::initializer_list<const char*> allowed,
                                   std::initializer_list<const char*> required, Diagnostics& errors) const {
    bool ok = true;
    for (const auto& attr : node.attributes()) {
        const bool known = std::any_of(allowed.begin(), allowed.end(),
                                       [&](const char* a) { return std::string_view(a) == attr.name(); });
        if (!known) {
            ok = false;
            error(node,
                  std::string("unknown attribute '") + attr.name() + "' on <" + node.name() + ">; expected " +
                      (allowed.size() ? "one of: " + join(allowed) : std::string("no attributes")),
                  errors);
        }
    }
    for (const char* r : required) {
        if (!node.attribute(r)) {
            ok = false;
            error(node, std::string("<") + node.name() + "> needs the attribute '" + r + "'", errors);
        }
    }
    return ok;
}

bool XmlDocument::check_no_children(const pugi::xml_node& node, bool text_allowed, Diagnostics& errors) const {
    bool ok = true;
    for (const auto& child : node.children()) {
        if (child.type() == pugi::node_element) {
            ok = false;
            error(child, std::string("unexpected element <") + child.name() + "> inside <" + node.name() +
                             ">; it takes no child elements", errors);
        } else if (!text_allowed && (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata)) {
            const std::string_view v = child.value();
            if (v.find_first_not_of(" \t\r\n") != std::string_view::npos) {
                ok = false;
                error(node, std::string("unexpected text inside <") + node.name() + ">; it takes no text", errors);
            }
        }
    }
    return ok;
}

std::string join(std::initializer_list<const char*> names) {
    std::string out;
    for (const char* n : names) {
        if (!out.empty()) out += ", ";
        out += n;
    }
    return out;
}

std::vector<std::string> split_words(std::string_view text, bool commas) {
    return core::split_any(text, commas ? " \t\n\r," : " \t\n\r");
}

std::optional<bool> parse_bool(std::string_view text) {
    if (text == "true" || text == "yes" || text == "1") return true;
    if (text == "false" || text == "no" || text == "0") return false;
    return std::nullopt;
}

}  // namespace mailspec::harness::loader::detail

namespace mailspec::harness::loader {
std::string Diagnostic::str() const { return where.str() + ": " + message; }
}  // namespace mailspec::harness::loader
