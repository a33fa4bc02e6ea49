#pragma once
// Making raw protocol bytes readable and safe to print or embed in XML.
#include <string>
#include <string_view>

namespace mailspec::core {

// The one UTF-8 / escaping helper of the project. "Valid UTF-8" is RFC 3629 as utfcpp decodes it:
// overlong forms, UTF-16 surrogates (U+D800-U+DFFF), code points past U+10FFFF and truncated
// sequences are invalid, and each of their bytes is shown as "<0xNN>".

// Renders bytes for a transcript: CR and LF become "<CR>" and "<LF>", other control bytes
// (C0, DEL) and bytes that are not part of valid UTF-8 become "<0xNN>"; everything else is
// copied. A line break is added after each "<LF>" when `break_after_lf` is true.
std::string visible(std::string_view bytes, bool break_after_lf = false);

// Replaces every character XML 1.0 cannot carry (§2.2 Char: C0 controls except TAB/LF/CR,
// U+FFFE, U+FFFF; also DEL) and every byte of invalid UTF-8 with "<0xNN>" per byte, so the
// result is always well-formed character data whatever bytes a server sent.
std::string xml_safe(std::string_view text);

// Valid UTF-8 copied, each byte of invalid UTF-8 shown as "<0xNN>": text any JSON or UTF-8
// consumer accepts (JSON escaping of quotes and controls is the writer's job).
std::string utf8_safe(std::string_view text);

}  // namespace mailspec::core
