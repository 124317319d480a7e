// The one way Sahil includes Boost.Asio.
//
// Boost 1.74's `boost/asio/awaitable.hpp` uses `std::exchange` without including <utility>, which
// fails under GCC 12 in C++20 mode ("'exchange' is not a member of 'std'"). Every file that uses
// Asio or Beast includes this header first, so <utility> always precedes the Asio headers.
//
// Thread-safety: n/a (includes only).
#pragma once

// clang-format off
#include <utility>
#include <boost/asio.hpp>
// clang-format on
