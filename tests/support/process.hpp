// Runs the real `rencontres` binary as a child process, for the command line, shutdown and
// crash tests.
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <sys/types.h>
#include <thread>
#include <vector>

namespace rencontres::testing {

struct finished {
    int exit_code = -1; // -1 when killed by a signal
    std::string output; // stdout and stderr together
};

// Runs a program to completion with `input` on standard input.
finished run_program(const std::string& program, const std::vector<std::string>& args,
                     const std::string& input = {},
                     const std::map<std::string, std::string>& env = {});
// Runs the rencontres binary to completion with `input` on standard input.
finished run_binary(const std::vector<std::string>& args, const std::string& input = {},
                    const std::map<std::string, std::string>& env = {});

// Runs a script of the source tree with Debian's Python (where python3-icalendar lives).
finished run_python(const std::vector<std::string>& args);

// admin@x.fr with the password "admin password 1", created with `rencontres admin create`.
void create_admin(const std::string& db, const std::map<std::string, std::string>& env = {});

class child_server {
public:
    // Starts `rencontres serve` with the given extra arguments on 127.0.0.1:0 and waits for the
    // "listening on" line to learn the port.
    explicit child_server(const std::vector<std::string>& args,
                          const std::map<std::string, std::string>& env = {});
    // Any program that prints a line matching `ready_pattern`, whose first group is its port.
    child_server(const std::string& program, const std::vector<std::string>& args,
                 const std::map<std::string, std::string>& env, const std::string& ready_pattern);
    ~child_server();

    unsigned short port() const { return port_; }
    pid_t pid() const { return pid_; }
    void signal(int sig);
    // Waits for the process to end; returns its exit status (-signal when killed).
    int wait(std::chrono::milliseconds timeout);
    std::string output(); // what it printed so far

private:
    pid_t pid_ = -1;
    int out_fd_ = -1;
    std::mutex output_mutex_;
    std::string output_;
    std::thread reader_;
    std::atomic<bool> stop_reading_{false};
    unsigned short port_ = 0;
    bool reaped_ = false;
};

} // namespace rencontres::testing
