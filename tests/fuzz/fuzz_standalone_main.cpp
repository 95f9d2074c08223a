// Runs a libFuzzer-style target without libFuzzer (GCC builds): random and
// mutated inputs from a fixed seed for a fixed number of iterations, so the
// run is reproducible. Usage: <target> [iterations] [seed]
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

int main(int argc, char** argv) {
    const long iterations = argc > 1 ? std::atol(argv[1]) : 20000;
    const unsigned seed = argc > 2 ? static_cast<unsigned>(std::atol(argv[2])) : 12345;
    std::mt19937_64 random(seed);
    std::vector<uint8_t> input;
    for (long i = 0; i < iterations; ++i) {
        // Half fresh random inputs, half small mutations of the previous one.
        if (i % 2 == 0 || input.empty()) {
            input.resize(random() % 1024);
            for (auto& byte : input) byte = static_cast<uint8_t>(random());
        } else {
            for (int flips = 1 + random() % 8; flips > 0; --flips) input[random() % input.size()] ^= 1u << (random() % 8);
        }
        LLVMFuzzerTestOneInput(input.data(), input.size());
    }
    std::printf("%ld inputs, no failures\n", iterations);
    return 0;
}
