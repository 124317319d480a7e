// Router: exact-path matching and its error responses, without a network.
#include <optional>
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "server/http/router.hpp"

namespace sahil::http {
namespace {

Request make_request(std::string method, std::string path) {
    Request r;
    r.method = std::move(method);
    r.target = path;
    r.path = std::move(path);
    return r;
}

/// Dispatches and returns the (synchronous) response; counts responder calls.
Response route(const Router& router, const Request& request, int* calls = nullptr) {
    std::optional<Response> out;
    router.dispatch(request, [&](Response r) {
        if (calls != nullptr) {
            ++*calls;
        }
        out = std::move(r);
    });
    EXPECT_TRUE(out.has_value());
    return out.value_or(Response{});
}

std::string error_code_of(const Response& r) {
    return nlohmann::json::parse(r.body).at("error").get<std::string>();
}

Router sample_router() {
    Router router;
    router.add("GET", "/api/feeds", [](const Request& req, Responder respond) {
        respond(json_response({{"feeds", nlohmann::json::array()}, {"q", req.query}}));
    });
    router.add("POST", "/api/feeds", [](const Request&, Responder respond) {
        respond(json_response({{"ok", true}}, 201));
    });
    router.add("GET", "/api/throws",
               [](const Request&, Responder) { throw std::runtime_error("secret detail"); });
    router.add("GET", "/api/responds_then_throws", [](const Request&, Responder respond) {
        respond(json_response({{"ok", true}}));
        throw std::runtime_error("late");
    });
    return router;
}

TEST(Router, routes_an_exact_path_and_method) {
    const Router router = sample_router();
    Request req = make_request("GET", "/api/feeds");
    req.query["kind"] = "udp";
    const Response r = route(router, req);
    EXPECT_EQ(r.status, 200U);
    EXPECT_EQ(r.content_type, "application/json");
    EXPECT_EQ(nlohmann::json::parse(r.body)["q"]["kind"], "udp");
    EXPECT_EQ(route(router, make_request("POST", "/api/feeds")).status, 201U);
}

TEST(Router, answers_404_for_an_unknown_path) {
    const Router router = sample_router();
    for (const char* path : {"/api/feed", "/api/feeds/", "/API/FEEDS", "/"}) {
        const Response r = route(router, make_request("GET", path));
        EXPECT_EQ(r.status, 404U) << path;
        EXPECT_EQ(error_code_of(r), "not_found");
    }
}

TEST(Router, answers_405_with_allow_for_a_wrong_method) {
    const Router router = sample_router();
    const Response r = route(router, make_request("DELETE", "/api/feeds"));
    EXPECT_EQ(r.status, 405U);
    EXPECT_EQ(error_code_of(r), "method_not_allowed");
    ASSERT_EQ(r.headers.size(), 1U);
    EXPECT_EQ(r.headers[0].first, "Allow");
    EXPECT_EQ(r.headers[0].second, "GET, POST, HEAD");
}

TEST(Router, answers_head_with_the_get_handler) {
    const Router router = sample_router();
    EXPECT_EQ(route(router, make_request("HEAD", "/api/feeds")).status, 200U);
}

TEST(Router, turns_a_handler_exception_into_500_without_its_text) {
    Router router = sample_router();
    std::string reported;
    router.on_exception = [&](const Request&, const std::string& what) { reported = what; };
    const Response r = route(router, make_request("GET", "/api/throws"));
    EXPECT_EQ(r.status, 500U);
    EXPECT_EQ(error_code_of(r), "internal");
    EXPECT_EQ(r.body.find("secret"), std::string::npos);
    EXPECT_EQ(reported, "secret detail");
}

TEST(Router, responds_once_when_a_handler_responds_then_throws) {
    const Router router = sample_router();
    int calls = 0;
    const Response r = route(router, make_request("GET", "/api/responds_then_throws"), &calls);
    EXPECT_EQ(calls, 1);
    EXPECT_EQ(r.status, 200U);
}

TEST(Router, rejects_bad_and_duplicate_routes) {
    Router router = sample_router();
    const Handler h = [](const Request&, Responder) {};
    EXPECT_THROW(router.add("GET", "/api/feeds", h), std::invalid_argument);
    EXPECT_THROW(router.add("GET", "api", h), std::invalid_argument);
    EXPECT_THROW(router.add("", "/x", h), std::invalid_argument);
    EXPECT_THROW(router.add("GET", "/x", Handler{}), std::invalid_argument);
}

} // namespace
} // namespace sahil::http
