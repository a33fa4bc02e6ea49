// MIME tree (RFC 2045 §5, RFC 2046 §5.1 multipart, §5.2.1 message/rfc822) with absolute byte
// offsets, and RFC 3501 §6.4.5 section addressing over it.
#include "mailspec/protocol/mime/message.hpp"

#include <algorithm>

namespace mailspec::protocol::mime {
namespace {

std::string trim(std::string_view s) {
    auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string_view::npos) return {};
    auto e = s.find_last_not_of(" \t\r\n");
    return std::string(s.substr(b, e - b + 1));
}

std::size_t count_lines(std::string_view body) {
    if (body.empty()) return 0;
    std::size_t n = static_cast<std::size_t>(std::count(body.begin(), body.end(), '\n'));
    if (body.back() != '\n') ++n;
    return n;
}

void parse_part(std::string_view raw, std::size_t begin, std::size_t end, bool digest_child,
                std::size_t depth, const ParseOptions& options, Part& part);

// RFC 2046 §5.1.1: a delimiter line is CRLF "--" boundary, optionally followed by "--" (close)
// and transport padding. The CRLF before the delimiter belongs to the delimiter. Returns
// [content_begin, content_end) of each body part between the first delimiter and the close
// delimiter (or the end of the body when the close delimiter is missing).
std::vector<std::pair<std::size_t, std::size_t>> split_multipart(std::string_view raw, std::size_t begin,
                                                                 std::size_t end,
                                                                 const std::string& boundary) {
    std::vector<std::pair<std::size_t, std::size_t>> parts;
    const std::string dash = "--" + boundary;
    std::size_t pos = begin;
    std::size_t part_start = std::string::npos;
    for (int guard = 0; guard < 100000 && pos < end; ++guard) {
        // pos is at the start of a line
        auto lf = raw.find('\n', pos);
        std::size_t line_end = (lf == std::string_view::npos || lf >= end) ? end : lf + 1;
        std::string_view line = raw.substr(pos, line_end - pos);
        if (line.size() >= dash.size() && line.compare(0, dash.size(), dash) == 0) {
            std::string_view rest = line.substr(dash.size());
            bool close = rest.size() >= 2 && rest[0] == '-' && rest[1] == '-';
            if (close) rest.remove_prefix(2);
            bool padding_only = rest.find_first_not_of(" \t\r\n") == std::string_view::npos;
            if (padding_only) {
                if (part_start != std::string::npos) {
                    // the line break before the delimiter belongs to the delimiter
                    std::size_t content_end = pos;
                    if (content_end > part_start && raw[content_end - 1] == '\n') --content_end;
                    if (content_end > part_start && raw[content_end - 1] == '\r') --content_end;
                    parts.emplace_back(part_start, content_end);
                }
                if (close) return parts;
                part_start = line_end;
            }
        }
        pos = line_end;
    }
    if (part_start != std::string::npos && part_start <= end) parts.emplace_back(part_start, end);
    return parts;
}

void parse_part(std::string_view raw, std::size_t begin, std::size_t end, bool digest_child,
                std::size_t depth, const ParseOptions& options, Part& part) {
    part.begin = begin;
    part.header = parse_header(raw.substr(begin, end - begin));
    part.body_begin = begin + part.header.length;
    part.end = end;
    const Header& h = part.header;

    part.type = digest_child ? "message" : "text";
    part.subtype = digest_child ? "rfc822" : "plain";
    if (auto ct = h.value("Content-Type")) {
        ContentValue cv = parse_content_value(*ct);
        auto slash = cv.value.find('/');
        if (slash != std::string::npos && slash > 0 && slash + 1 < cv.value.size()) {
            part.type = to_lower(cv.value.substr(0, slash));
            part.subtype = to_lower(cv.value.substr(slash + 1));
            part.params = std::move(cv.params);
        } else {
            // RFC 2045 §5.2: an invalid Content-Type means text/plain; charset=us-ascii
            part.type = "text";
            part.subtype = "plain";
        }
    }
    if (part.type == "text" && part.params.empty() && !h.find("Content-Type"))
        part.params.push_back(Param{"charset", "us-ascii"});
    if (auto v = h.value("Content-ID")) part.id = trim(*v);
    if (auto v = h.value("Content-Description")) part.description = trim(*v);
    if (auto v = h.value("Content-MD5")) part.md5 = trim(*v);
    if (auto v = h.value("Content-Location")) part.location = trim(*v);
    if (auto v = h.value("Content-Transfer-Encoding")) {
        std::string enc = to_upper(trim(*v));
        if (!enc.empty()) part.encoding = enc;
    }
    if (auto v = h.value("Content-Disposition")) {
        ContentValue cv = parse_content_value(*v);
        if (!cv.value.empty()) part.disposition = std::move(cv);
    }
    if (auto v = h.value("Content-Language")) {
        std::string s = *v;
        std::size_t i = 0;
        while (i < s.size()) {
            auto comma = s.find(',', i);
            std::string tag = trim(s.substr(i, comma == std::string::npos ? std::string::npos : comma - i));
            if (!tag.empty()) part.language.push_back(tag);
            if (comma == std::string::npos) break;
            i = comma + 1;
        }
    }

    std::string_view body = raw.substr(part.body_begin, end - part.body_begin);
    part.body_lines = count_lines(body);

    if (part.type == "multipart") {
        const std::string* boundary = nullptr;
        for (const auto& p : part.params)
            if (p.name == "boundary") boundary = &p.value;
        std::vector<std::pair<std::size_t, std::size_t>> ranges;
        if (boundary && !boundary->empty() && depth < options.max_depth)
            ranges = split_multipart(raw, part.body_begin, end, *boundary);
        if (ranges.empty()) {  // degrade: no boundary, no parts or too deep
            part.type = "text";
            part.subtype = "plain";
            part.params = {Param{"charset", "us-ascii"}};
            return;
        }
        bool digest = part.subtype == "digest";
        part.children.resize(ranges.size());
        for (std::size_t k = 0; k < ranges.size(); ++k)
            parse_part(raw, ranges[k].first, ranges[k].second, digest, depth + 1, options,
                       part.children[k]);
    } else if (part.is_message_rfc822()) {
        if (depth >= options.max_depth) {
            part.type = "text";
            part.subtype = "plain";
            return;
        }
        part.children.resize(1);
        parse_part(raw, part.body_begin, end, false, depth + 1, options, part.children[0]);
    }
}

}  // namespace

Part parse_message(std::string_view raw, const ParseOptions& options) {
    Part root;
    parse_part(raw, 0, raw.size(), false, 0, options, root);
    return root;
}

std::optional<std::pair<std::size_t, std::size_t>> section_range(const Part& root,
                                                                 const std::vector<unsigned>& path,
                                                                 SectionText text) {
    const Part* node = &root;
    bool is_message = true;  // node stands for a whole message (header + body)
    for (unsigned n : path) {
        if (!is_message && node->is_message_rfc822() && node->children.size() == 1) {
            node = &node->children[0];
            is_message = true;
        }
        if (node->is_multipart()) {
            if (n < 1 || n > node->children.size()) return std::nullopt;
            node = &node->children[n - 1];
            is_message = false;
        } else if (is_message) {
            if (n != 1) return std::nullopt;  // a non-multipart message has only part 1
            is_message = false;
        } else {
            return std::nullopt;
        }
    }
    switch (text) {
    case SectionText::none:
        if (path.empty()) return std::make_pair(node->begin, node->end);
        return std::make_pair(node->body_begin, node->end);
    case SectionText::mime:
        if (path.empty()) return std::nullopt;
        return std::make_pair(node->begin, node->body_begin);
    default:
        break;
    }
    if (!is_message) {
        if (!node->is_message_rfc822() || node->children.size() != 1) return std::nullopt;
        node = &node->children[0];
    }
    if (text == SectionText::text) return std::make_pair(node->body_begin, node->end);
    return std::make_pair(node->begin, node->body_begin);
}

std::string filter_header_fields(std::string_view header, const std::vector<std::string>& names,
                                 bool exclude) {
    Header h = parse_header(header);
    std::string out;
    for (const auto& f : h.fields) {
        bool listed = std::any_of(names.begin(), names.end(),
                                  [&](const std::string& n) { return iequals(n, f.name); });
        if (listed != exclude) {
            std::string_view bytes = header.substr(f.offset, f.length);
            out.append(bytes);
            if (bytes.empty() || bytes.back() != '\n') out += "\r\n";
        }
    }
    out += "\r\n";
    return out;
}

}  // namespace mailspec::protocol::mime
