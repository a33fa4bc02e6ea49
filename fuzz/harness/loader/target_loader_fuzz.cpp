// The harness's target loader over arbitrary text: target XML: host, endpoints, users, variables, ${env:...} secrets. Strict loading must end
// in values or file:line diagnostics, never a crash. The file name does not exist, so relative
// paths in the XML resolve to nothing.
#include "common/fuzz_support.hpp"
#include "mailspec/harness/loader/target_loader.hpp"

using namespace mailspec;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size > fuzz::kMaxInput) return 0;
    const std::string_view xml = fuzz::as_view(data, size);
    harness::loader::Diagnostics errors;
    auto target = harness::loader::load_target_text(xml, "/nonexistent/fuzz.xml", errors);
    if (!target) FUZZ_CHECK(!errors.empty());
    else { std::string error; (void)harness::loader::apply_user_option(*target, "user:alice:pa:ss", error); }
    return 0;
}
