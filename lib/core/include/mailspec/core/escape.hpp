#pragma once
// Making raw protocol bytes readable and safe to print or embed in XML.
#include <string>
#include <string_view>

namespace mailspec::core {

// Renders bytes for a transcript: CR and LF become "<CR>" and "<LF>", other control bytes and
// bytes >= 0x80 that are not part of valid UTF-8 become "<0xNN>"; everything else is copied.
// A line break is added after each "<LF>" when `break_after_lf` is true.
std::string visible(std::string_view bytes, bool break_after_lf = false);

// Replaces every byte XML 1.0 cannot carry (C0 controls except TAB/LF/CR, invalid UTF-8) with
// "<0xNN>" so the result is always well-formed character data.
std::string xml_safe(std::string_view text);

}  // namespace mailspec::core
