#pragma once
// A store in a fresh temporary directory, removed when the test ends.
#include <filesystem>
#include <memory>
#include <random>
#include <string>

#include "store/store.hpp"

namespace mailspec::server::testing {

inline std::vector<UserConfig> test_users() {
    return {{"alice", "secret1", {"alice@example.test"}}, {"bob", "secret2", {"bob@example.test"}}};
}

class TempStore {
public:
    TempStore() {
        std::random_device rd;
        root_ = std::filesystem::temp_directory_path() /
                ("mailspec-store-test-" + std::to_string(rd()) + std::to_string(rd()));
        reopen();
    }
    ~TempStore() {
        store_.reset();
        std::error_code ec;
        std::filesystem::remove_all(root_, ec);
    }
    // Simulates a restart: a new Store over the same directory.
    void reopen() {
        store_.reset();
        store_ = std::make_unique<Store>(root_, test_users());
    }
    Store& operator*() { return *store_; }
    Store* operator->() { return store_.get(); }
    const std::filesystem::path& root() const { return root_; }
    std::filesystem::path maildir(const std::string& user = "alice") const {
        return root_ / user / "Maildir";
    }

private:
    std::filesystem::path root_;
    std::unique_ptr<Store> store_;
};

}  // namespace mailspec::server::testing
