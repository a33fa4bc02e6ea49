// The harness's scenario loader over arbitrary text: scenario XML (docs/scenario-format.md): suites, scenarios, steps, matchers, values. Strict loading must end
// in values or file:line diagnostics, never a crash. The file name does not exist, so relative
// paths in the XML resolve to nothing.
#include "common/fuzz_support.hpp"
#include "mailspec/harness/loader/scenario_loader.hpp"

using namespace mailspec;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size > fuzz::kMaxInput) return 0;
    const std::string_view xml = fuzz::as_view(data, size);
    harness::loader::Diagnostics errors;
    const auto scenarios = harness::loader::load_scenario_text(xml, "/nonexistent/fuzz.xml", errors);
    if (!errors.empty()) FUZZ_CHECK(!errors.front().message.empty());
    (void)scenarios;
    return 0;
}
