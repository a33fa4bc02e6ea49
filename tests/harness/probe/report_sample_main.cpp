// Writes the sample judgement as JUnit and JSON so CTest can check them with xmllint (against
// shared/junit/junit-10.xsd) and python3's json module. Usage: probe_report_sample JUNIT JSON
#include <fstream>
#include <iostream>

#include "report_json.hpp"
#include "report_junit.hpp"
#include "sample_judgement.hpp"

int main(int argc, char** argv) {
    if (argc != 3) {
        std::cerr << "usage: probe_report_sample JUNIT_FILE JSON_FILE\n";
        return 2;
    }
    auto j = mailspec::harness::probe::testing::sample_judgement();
    std::ofstream(argv[1]) << mailspec::harness::probe::render_junit(j);
    std::ofstream(argv[2]) << mailspec::harness::probe::render_json(j);
    return 0;
}
