#pragma once

#include <functional>

namespace rencontres {

// A check the caller attaches to an update (an If-Match ETag, for instance). The service runs it
// on the current state inside the write transaction, so nothing can change between check and
// write; a failed check is `precondition_failed`.
template <class T> using precondition = std::function<bool(const T&)>;

} // namespace rencontres
