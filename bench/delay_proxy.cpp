// A TCP proxy that puts a database a network hop away, for scripts/bench.sh postgres.
//
// Usage: delay_proxy PORT UNIX_SOCKET DELAY_MS
// Listens on 127.0.0.1:PORT and relays each connection to the Unix socket UNIX_SOCKET (a
// PostgreSQL server's), holding every chunk DELAY_MS milliseconds in each direction: a round trip
// costs twice DELAY_MS more, as a database in the same data centre does. Bytes keep their order
// and pipelined requests stay pipelined: each chunk is due at its arrival time plus the delay,
// and a late one holds back those after it no more than it is late.
//
// Threads and clock_nanosleep on the monotonic clock, not an event loop: an event loop's timers
// round to the millisecond, which is the size of the delay measured. Two threads a direction (one
// reads, one sends when due), so the proxy itself adds no wait beyond the delay; it runs in C++
// so that on a machine shared with the database and the servers it takes little of their CPU.
// Prints "delay proxy listening on 127.0.0.1:PORT" when ready.
#include <arpa/inet.h>
#include <cerrno>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <deque>
#include <memory>
#include <mutex>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string>
#include <sys/socket.h>
#include <sys/un.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

struct chunk {
    timespec due;
    std::vector<char> bytes; // empty: the source closed
};

timespec now() {
    timespec t{};
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t;
}

timespec later(timespec t, long nanoseconds) {
    t.tv_nsec += nanoseconds;
    t.tv_sec += t.tv_nsec / 1'000'000'000;
    t.tv_nsec %= 1'000'000'000;
    return t;
}

bool send_all(int fd, const char* data, std::size_t size) {
    while (size > 0) {
        const auto sent = ::send(fd, data, size, MSG_NOSIGNAL);
        if (sent < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        data += sent;
        size -= static_cast<std::size_t>(sent);
    }
    return true;
}

// One direction of a connection: `source` to `target`, each chunk sent `delay_ns` after it was
// read. The writer closes both ends when either side ends.
struct pump {
    int source, target;
    long delay_ns;
    std::mutex mutex;
    std::condition_variable ready;
    std::deque<chunk> due;

    void read() {
        std::vector<char> buffer(65536);
        for (;;) {
            const auto got = ::recv(source, buffer.data(), buffer.size(), 0);
            if (got < 0 && errno == EINTR) continue;
            chunk c{later(now(), delay_ns), {}};
            if (got > 0) c.bytes.assign(buffer.data(), buffer.data() + got);
            {
                std::lock_guard lock(mutex);
                due.push_back(std::move(c));
            }
            ready.notify_one();
            if (got <= 0) return;
        }
    }

    void write() {
        for (;;) {
            chunk c;
            {
                std::unique_lock lock(mutex);
                ready.wait(lock, [&] { return !due.empty(); });
                c = std::move(due.front());
                due.pop_front();
            }
            while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &c.due, nullptr) == EINTR) {
            }
            if (c.bytes.empty() || !send_all(target, c.bytes.data(), c.bytes.size())) break;
        }
        ::shutdown(source, SHUT_RDWR);
        ::shutdown(target, SHUT_RDWR);
    }
};

void relay(int client, const std::string& path, long delay_ns) {
    const int server = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, path.c_str(), sizeof(address.sun_path) - 1);
    if (server < 0 ||
        ::connect(server, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
        if (server >= 0) ::close(server);
        ::close(client);
        return;
    }
    auto up = std::make_shared<pump>(client, server, delay_ns);
    auto down = std::make_shared<pump>(server, client, delay_ns);
    std::thread([up] { up->read(); }).detach();
    std::thread([down] { down->read(); }).detach();
    std::thread([up, down] {
        std::thread other([down] { down->write(); });
        up->write();
        other.join();
        ::close(up->source);
        ::close(up->target);
    }).detach();
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 4) {
        std::fprintf(stderr, "usage: delay_proxy PORT UNIX_SOCKET DELAY_MS\n");
        return 2;
    }
    const int port = std::atoi(argv[1]);
    const std::string path = argv[2];
    const long delay_ns = static_cast<long>(std::atof(argv[3]) * 1'000'000.0);
    const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
    const int yes = 1;
    ::setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
        ::listen(listener, 512) != 0) {
        std::perror("delay proxy");
        return 1;
    }
    std::printf("delay proxy listening on 127.0.0.1:%d\n", port);
    std::fflush(stdout);
    for (;;) {
        const int client = ::accept(listener, nullptr, nullptr);
        if (client < 0) {
            if (errno == EINTR) continue;
            std::perror("delay proxy");
            return 1;
        }
        ::setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof(yes));
        relay(client, path, delay_ns);
    }
}
