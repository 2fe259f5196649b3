#include "support/process.hpp"

#include "support/test_database.hpp"

#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <poll.h>
#include <regex>
#include <signal.h>
#include <stdexcept>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace rencontres::testing {
namespace {

// The child of fork() runs only async-signal-safe calls (dup2, close, execve, _exit): the
// test's process has threads (an in-process server's), and one of them may hold a lock of the
// allocator when fork() copies the process, a lock nobody releases in the child (an allocation
// there, by setenv or a string, then spins or hangs for ever, as the sanitizers' allocator
// does). Everything the child needs, its arguments and its whole environment, is made before.
pid_t spawn(const std::string& binary, const std::vector<std::string>& args,
            const std::map<std::string, std::string>& given, int& in_fd, int& out_fd) {
    // With a PostgreSQL database, the key file and the outbox log are not beside a file: the
    // children of one test share a folder of their own unless the test names them.
    auto env = given;
    // Tests register many people from one address; the throttle has tests of its own.
    env.emplace("RENCONTRES_REGISTRATIONS_MAX_PER_CLIENT", "0");
    if (on_postgres()) {
        const auto folder = "/tmp/rencontres-test-" + std::to_string(::getpid());
        std::filesystem::create_directories(folder);
        env.emplace("RENCONTRES_SECURITY_KEY_FILE", folder + "/rencontres.key");
        env.emplace("RENCONTRES_OUTBOX_SINK_PATH", folder + "/outbox.log");
    }
    // This process's environment with the given variables over it.
    std::vector<std::string> variables;
    for (char** e = environ; *e; ++e) {
        const std::string_view entry(*e);
        if (!env.contains(std::string(entry.substr(0, entry.find('=')))))
            variables.emplace_back(entry);
    }
    for (const auto& [k, v] : env)
        variables.push_back(k + "=" + v);
    std::vector<char*> envp;
    for (auto& v : variables)
        envp.push_back(v.data());
    envp.push_back(nullptr);
    std::string program = binary;
    std::vector<std::string> copy = args;
    std::vector<char*> argv{program.data()};
    for (auto& a : copy)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    int in_pipe[2], out_pipe[2];
    if (pipe(in_pipe) != 0 || pipe(out_pipe) != 0) throw std::runtime_error("pipe");
    const pid_t pid = fork();
    if (pid == 0) {
        dup2(in_pipe[0], 0);
        dup2(out_pipe[1], 1);
        dup2(out_pipe[1], 2);
        close(in_pipe[1]);
        close(out_pipe[0]);
        execve(program.c_str(), argv.data(), envp.data());
        _exit(127);
    }
    if (pid < 0) throw std::runtime_error("fork");
    close(in_pipe[0]);
    close(out_pipe[1]);
    in_fd = in_pipe[1];
    out_fd = out_pipe[0];
    return pid;
}

int decode(int status) {
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return -WTERMSIG(status);
    return -1000;
}

void drain(int fd, std::string& into, int timeout_ms) {
    pollfd p{fd, POLLIN, 0};
    while (poll(&p, 1, timeout_ms) > 0) {
        char buffer[4096];
        const auto n = read(fd, buffer, sizeof buffer);
        if (n <= 0) break;
        into.append(buffer, static_cast<std::size_t>(n));
        timeout_ms = 0;
    }
}

} // namespace

finished run_program(const std::string& program, const std::vector<std::string>& args,
                     const std::string& input, const std::map<std::string, std::string>& env) {
    int in_fd = -1, out_fd = -1;
    const pid_t pid = spawn(program, args, env, in_fd, out_fd);
    if (!input.empty()) (void)!write(in_fd, input.data(), input.size());
    close(in_fd);
    finished result;
    char buffer[4096];
    ssize_t n;
    while ((n = read(out_fd, buffer, sizeof buffer)) > 0)
        result.output.append(buffer, static_cast<std::size_t>(n));
    close(out_fd);
    int status = 0;
    waitpid(pid, &status, 0);
    result.exit_code = decode(status);
    return result;
}

finished run_binary(const std::vector<std::string>& args, const std::string& input,
                    const std::map<std::string, std::string>& env) {
    return run_program(RENCONTRES_BINARY, args, input, env);
}

finished run_python(const std::vector<std::string>& args) {
    std::vector<std::string> full = args;
    full[0] = std::string(RENCONTRES_SOURCE_DIR) + "/" + full[0];
    return run_program("/usr/bin/python3", full, {}, {});
}

void create_admin(const std::string& db, const std::map<std::string, std::string>& env) {
    const auto made = run_binary({"admin", "create", "--db", db, "--email", "admin@x.fr"},
                                 "admin password 1\n", env);
    if (made.exit_code != 0) throw std::runtime_error("admin create failed: " + made.output);
}

child_server::child_server(const std::vector<std::string>& args,
                           const std::map<std::string, std::string>& env)
    : child_server(
          RENCONTRES_BINARY,
          [&] {
              std::vector<std::string> full{"serve", "--listen", "127.0.0.1:0"};
              full.insert(full.end(), args.begin(), args.end());
              return full;
          }(),
          env, R"(listening on 127\.0\.0\.1:(\d+))") {}

child_server::child_server(const std::string& program, const std::vector<std::string>& args,
                           const std::map<std::string, std::string>& env,
                           const std::string& ready_pattern) {
    int in_fd = -1;
    pid_ = spawn(program, args, env, in_fd, out_fd_);
    close(in_fd);
    const std::regex ready(ready_pattern);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    std::smatch m;
    while (std::chrono::steady_clock::now() < deadline) {
        drain(out_fd_, output_, 100);
        if (std::regex_search(output_, m, ready)) {
            port_ = static_cast<unsigned short>(std::stoi(m[1]));
            // From now on a thread keeps reading what the child prints, so that a chatty child
            // never blocks on a full pipe while the test waits for one of its answers.
            reader_ = std::thread([this] {
                while (!stop_reading_) {
                    std::string chunk;
                    drain(out_fd_, chunk, 100);
                    if (chunk.empty()) continue;
                    std::lock_guard lock(output_mutex_);
                    output_ += chunk;
                }
            });
            return;
        }
        int status = 0;
        if (waitpid(pid_, &status, WNOHANG) == pid_) {
            reaped_ = true;
            throw std::runtime_error(program + " exited before listening: " + output_);
        }
    }
    throw std::runtime_error(program + " did not start: " + output_);
}

child_server::~child_server() {
    if (!reaped_) {
        kill(pid_, SIGKILL);
        waitpid(pid_, nullptr, 0);
    }
    stop_reading_ = true;
    if (reader_.joinable()) reader_.join();
    close(out_fd_);
}

void child_server::signal(int sig) {
    kill(pid_, sig);
}

int child_server::wait(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        int status = 0;
        if (waitpid(pid_, &status, WNOHANG) == pid_) {
            reaped_ = true;
            std::this_thread::sleep_for(std::chrono::milliseconds(150)); // the last lines
            return decode(status);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return -1000;
}

std::string child_server::output() {
    std::this_thread::sleep_for(std::chrono::milliseconds(150)); // what is in the pipe now
    std::lock_guard lock(output_mutex_);
    return output_;
}

} // namespace rencontres::testing
