#pragma once
// Loader-internal: a parsed pugixml document that can turn node offsets into line numbers and
// check elements strictly (known attributes only, required attributes present).
#include <pugixml.hpp>

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mailspec/harness/loader/diagnostic.hpp"

namespace mailspec::harness::loader::detail {

class XmlDocument {
public:
    // Parses `xml`; on a syntax error appends "file:line: malformed XML: ..." and returns false.
    bool parse(std::string_view xml, const std::string& file_name, Diagnostics& errors);

    pugi::xml_node root() const { return doc_.document_element(); }
    model::SourceLocation where(const pugi::xml_node& node) const;
    model::SourceLocation where_offset(std::ptrdiff_t offset) const;
    const std::string& file() const { return file_; }

    // Reports every attribute of `node` not in `allowed` and every `required` one missing.
    // Returns false when anything was reported.
    bool check_attributes(const pugi::xml_node& node, std::initializer_list<const char*> allowed,
                          std::initializer_list<const char*> required, Diagnostics& errors) const;
    // Reports child elements (and non-whitespace text when !text_allowed) of a node that takes none.
    bool check_no_children(const pugi::xml_node& node, bool text_allowed, Diagnostics& errors) const;

    void error(const pugi::xml_node& node, std::string message, Diagnostics& errors) const;

private:
    std::string file_;
    std::string text_;
    std::vector<std::size_t> line_starts_;
    pugi::xml_document doc_;
};

// "a, b, c" of a list, for "expected one of ..." messages.
std::string join(std::initializer_list<const char*> names);
// Splits on spaces (and commas when `commas`), dropping empties.
std::vector<std::string> split_words(std::string_view text, bool commas = false);
// "true"/"false" (also "yes"/"no", "1"/"0"); nullopt when neither.
std::optional<bool> parse_bool(std::string_view text);

}  // namespace mailspec::harness::loader::detail
