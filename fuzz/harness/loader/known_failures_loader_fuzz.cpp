// The harness's known-failures loader over arbitrary text: known-failures XML (fixtures/known-failures/). Strict loading must end
// in values or file:line diagnostics, never a crash. The file name does not exist, so relative
// paths in the XML resolve to nothing.
#include "common/fuzz_support.hpp"
#include "mailspec/harness/loader/known_failures_loader.hpp"

using namespace mailspec;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size > fuzz::kMaxInput) return 0;
    const std::string_view xml = fuzz::as_view(data, size);
    harness::loader::Diagnostics errors;
    auto known = harness::loader::load_known_failures_text(xml, "/nonexistent/fuzz.xml", errors);
    if (!known) FUZZ_CHECK(!errors.empty());
    return 0;
}
