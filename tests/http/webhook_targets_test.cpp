// Which addresses a webhook may reach (API.md §12): none that IANA's special-purpose registries
// list as not globally reachable, in any of the forms an address can take.
#include "server/notify/webhook_sender.hpp"

#include <cstdio>
#include <gtest/gtest.h>
#include <sstream>

namespace rencontres::notify {
namespace {

TEST(webhook_targets, every_form_of_a_non_global_address_is_refused) {
    for (const auto* refused : {"127.0.0.1",
                                "10.1.2.3",
                                "172.16.0.1",
                                "192.168.1.1",
                                "169.254.169.254",
                                "100.64.0.1",
                                "0.0.0.0",
                                "192.0.0.1",
                                "192.0.0.170",
                                "192.0.2.10",
                                "198.18.0.1",
                                "198.19.255.255",
                                "198.51.100.7",
                                "203.0.113.9",
                                "192.88.99.1",
                                "224.0.0.1",
                                "239.255.255.250",
                                "240.0.0.1",
                                "255.255.255.255",
                                "::",
                                "::1",
                                "::127.0.0.1",
                                "::ffff:127.0.0.1",
                                "::ffff:10.0.0.1",
                                "::ffff:8.8.8.8",
                                "64:ff9b::7f00:1",
                                "64:ff9b::808:808",
                                "64:ff9b:1::1",
                                "2002:7f00:1::",
                                "2002:c0a8:101::1",
                                "fec0::1",
                                "fe80::1",
                                "fc00::1",
                                "fd12:3456::1",
                                "ff02::1",
                                "100::1",
                                "2001:db8::1",
                                "2001::1",
                                "2001:10::1",
                                "3fff::1",
                                "5f00::1"})
        EXPECT_FALSE(public_address_text(refused)) << refused;
    for (const auto* allowed : {"8.8.8.8", "93.184.216.34", "192.0.1.1", "198.20.0.1",
                                "2002:808:808::1", "2a00:1450:4007:80e::200e", "2606:4700::1111"})
        EXPECT_TRUE(public_address_text(allowed)) << allowed;
    EXPECT_FALSE(public_address_text("not an address"));
}

// An independent classification: Python's ipaddress module (is_global) on thousands of random
// addresses, and on the edges of every special block. Whatever it calls not global, the guard
// refuses too.
TEST(webhook_targets, agree_with_an_independent_classifier_on_what_is_not_global) {
    const char* script =
        "import ipaddress, random\n"
        "random.seed(7)\n"
        "nets = [n for n in ipaddress.IPv4Address._constants._private_networks] + "
        "[n for n in ipaddress.IPv6Address._constants._private_networks] + "
        "[ipaddress.ip_network('100.64.0.0/10'), ipaddress.ip_network('224.0.0.0/4'), "
        "ipaddress.ip_network('ff00::/8'), ipaddress.ip_network('fec0::/10')]\n"
        "out = []\n"
        "for n in nets:\n"
        "    out += [n.network_address, n.broadcast_address, n[min(1, n.num_addresses - 1)]]\n"
        "for _ in range(20000):\n"
        "    out.append(ipaddress.IPv4Address(random.getrandbits(32)))\n"
        "    out.append(ipaddress.IPv6Address(random.getrandbits(128)))\n"
        "    n = random.choice(nets)\n"
        "    out.append(n.network_address + random.randrange(n.num_addresses))\n"
        "for a in out:\n"
        "    print(a, 1 if a.is_global else 0)\n";
    FILE* python = ::popen(("python3 -c \"" + std::string(script) + "\"").c_str(), "r");
    ASSERT_NE(python, nullptr);
    std::string text;
    char buffer[4096];
    while (const auto n = std::fread(buffer, 1, sizeof buffer, python))
        text.append(buffer, n);
    ASSERT_EQ(::pclose(python), 0) << "the classifier did not run";
    std::istringstream lines(text);
    int checked = 0, not_global = 0;
    for (std::string address, global; lines >> address >> global; ++checked) {
        if (global == "1") continue;
        ++not_global;
        EXPECT_FALSE(public_address_text(address)) << address << " is not global";
    }
    EXPECT_GT(checked, 60'000);
    EXPECT_GT(not_global, 10'000);
}

} // namespace
} // namespace rencontres::notify
