#include "mailspec/harness/loader/known_failures_loader.hpp"

#include <fstream>
#include <sstream>

#include "xml_document.hpp"

namespace mailspec::harness::loader {

using namespace model;

std::optional<KnownFailures> load_known_failures_text(std::string_view xml, const std::string& file_name,
                                                      Diagnostics& errors) {
    detail::XmlDocument doc;
    if (!doc.parse(xml, file_name, errors)) return std::nullopt;
    const auto before = errors.size();
    const auto root = doc.root();
    if (std::string_view(root.name()) != "known-failures") {
        doc.error(root, "root element <" + std::string(root.name()) + ">: expected <known-failures>", errors);
        return std::nullopt;
    }
    doc.check_attributes(root, {"target"}, {}, errors);
    KnownFailures k;
    k.target = root.attribute("target").value();
    for (const auto& child : root.children()) {
        if (child.type() != pugi::node_element) continue;
        if (std::string_view(child.name()) != "known") {
            doc.error(child, "unknown element <" + std::string(child.name()) + ">; expected <known>", errors);
            continue;
        }
        doc.check_no_children(child, false, errors);
        if (!doc.check_attributes(child, {"id", "reason", "rfc"}, {"id", "reason"}, errors)) continue;
        KnownFailure f{child.attribute("id").value(), child.attribute("reason").value(), child.attribute("rfc").value(),
                       doc.where(child)};
        if (f.id_glob.empty()) doc.error(child, "id='' : expected a scenario id or glob", errors);
        if (f.reason.empty()) doc.error(child, "reason='' : say why this server deviates", errors);
        k.entries.push_back(std::move(f));
    }
    if (errors.size() != before) return std::nullopt;
    return k;
}

std::optional<KnownFailures> load_known_failures_file(const std::string& path, Diagnostics& errors) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        errors.push_back({{path, 0}, "cannot open known-failures file"});
        return std::nullopt;
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    return load_known_failures_text(ss.str(), path, errors);
}

}  // namespace mailspec::harness::loader
