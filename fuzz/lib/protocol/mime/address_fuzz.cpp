// RFC 5322 §3.4 address lists (groups, display names, obsolete routes), as ENVELOPE renders them.
#include "common/fuzz_support.hpp"
#include "mailspec/protocol/mime/address.hpp"

using namespace mailspec;
using namespace mailspec::protocol::mime;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size > fuzz::kMaxInput) return 0;
    const std::vector<Address> list = parse_address_list(fuzz::as_view(data, size));
    FUZZ_CHECK(list.size() <= size + 1);
    return 0;
}
