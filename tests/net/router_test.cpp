// Router: path matching and its error responses, without a network (authentication and
// authorisation: tests/http/router_auth_test.cpp).
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

constexpr Access open{.public_route = true};

std::string header_of(const Response& r, std::string_view name) {
    for (const auto& [n, v] : r.headers) {
        if (n == name) {
            return v;
        }
    }
    return {};
}

Router sample_router() {
    Router router;
    router.add("GET", "/api/feeds", open,
               [](const Request& req, const RequestContext&, Responder respond) {
                   respond(json_response({{"feeds", nlohmann::json::array()}, {"q", req.query}}));
               });
    router.add("POST", "/api/feeds", open,
               [](const Request&, const RequestContext&, Responder respond) {
                   respond(json_response({{"ok", true}}, 201));
               });
    router.add("GET", "/api/throws", open, [](const Request&, const RequestContext&, Responder) {
        throw std::runtime_error("secret detail");
    });
    router.add("GET", "/api/responds_then_throws", open,
               [](const Request&, const RequestContext&, Responder respond) {
                   respond(json_response({{"ok", true}}));
                   throw std::runtime_error("late");
               });
    const auto echo = [](const Request& req, const RequestContext& ctx, Responder respond) {
        respond(json_response({{"route", ctx.route}, {"params", req.path_params}}));
    };
    router.add("GET", "/api/vessels/{id}", open, echo);
    router.add("GET", "/api/vessels/search", open, echo);
    router.add("GET", "/api/vessels/{id}/licences/{licence_id}", open, echo);
    router.add("DELETE", "/api/vessels/{id}", open, echo);
    router.add("GET", "/api/harbours/{name}", open, echo);
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
    EXPECT_EQ(header_of(r, "Allow"), "GET, POST, HEAD");
    EXPECT_EQ(route(router, make_request("POST", "/api/vessels/7")).status, 405U);
    EXPECT_EQ(header_of(route(router, make_request("POST", "/api/vessels/7")), "Allow"),
              "DELETE, GET, HEAD");
}

TEST(Router, fills_path_parameters_from_the_pattern) {
    const Router router = sample_router();
    const auto body = [&](const char* path) {
        const Response r = route(router, make_request("GET", path));
        EXPECT_EQ(r.status, 200U) << path;
        return nlohmann::json::parse(r.body);
    };
    EXPECT_EQ(body("/api/vessels/17")["params"]["id"], "17");
    EXPECT_EQ(body("/api/vessels/17")["route"], "/api/vessels/{id}");
    const auto two = body("/api/vessels/3/licences/44");
    EXPECT_EQ(two["params"]["id"], "3");
    EXPECT_EQ(two["params"]["licence_id"], "44");
    EXPECT_EQ(body("/api/harbours/Pasni%20Fish")["params"]["name"], "Pasni Fish");
}

TEST(Router, matches_ids_with_digits_only) {
    const Router router = sample_router();
    for (const char* path :
         {"/api/vessels/abc", "/api/vessels/-1", "/api/vessels/1e3", "/api/vessels/%31",
          "/api/vessels/", "/api/vessels/12/", "/api/vessels/3/licences/x"}) {
        EXPECT_EQ(route(router, make_request("GET", path)).status, 404U) << path;
    }
}

TEST(Router, prefers_exact_segments_to_parameters) {
    Router router = sample_router();
    router.add("GET", "/api/harbours/all", open,
               [](const Request&, const RequestContext& ctx, Responder respond) {
                   respond(json_response({{"route", ctx.route}}));
               });
    const auto route_of = [&](const char* path) {
        return nlohmann::json::parse(route(router, make_request("GET", path)).body)["route"];
    };
    EXPECT_EQ(route_of("/api/vessels/search"), "/api/vessels/search");
    EXPECT_EQ(route_of("/api/harbours/all"), "/api/harbours/all");
    EXPECT_EQ(route_of("/api/harbours/some"), "/api/harbours/{name}");
}

TEST(Router, lists_its_routes_in_order) {
    const auto routes = sample_router().routes();
    ASSERT_EQ(routes.size(), 9U);
    EXPECT_EQ(routes[0].method, "GET");
    EXPECT_EQ(routes[0].pattern, "/api/feeds");
    EXPECT_EQ(routes[4].pattern, "/api/vessels/{id}");
    EXPECT_TRUE(routes[4].access.public_route);
}

TEST(Router, tags_every_response_with_a_request_id) {
    const Router router = sample_router();
    const std::string a =
        header_of(route(router, make_request("GET", "/api/feeds")), "X-Request-Id");
    const std::string b = header_of(route(router, make_request("GET", "/nope")), "X-Request-Id");
    EXPECT_FALSE(a.empty());
    EXPECT_FALSE(b.empty());
    EXPECT_NE(a, b);
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
    const Handler h = [](const Request&, const RequestContext&, Responder) {};
    EXPECT_THROW(router.add("GET", "/api/feeds", open, h), std::invalid_argument);
    EXPECT_THROW(router.add("GET", "api", open, h), std::invalid_argument);
    EXPECT_THROW(router.add("", "/x", open, h), std::invalid_argument);
    EXPECT_THROW(router.add("GET", "/x", open, Handler{}), std::invalid_argument);
    // Same paths under another parameter name.
    EXPECT_THROW(router.add("GET", "/api/vessels/{vessel_id}", open, h), std::invalid_argument);
    EXPECT_THROW(router.add("GET", "/a/{x}{y}", open, h), std::invalid_argument);
    EXPECT_THROW(router.add("GET", "/a/{Bad}", open, h), std::invalid_argument);
    EXPECT_THROW(router.add("GET", "/a/{x}/{x}", open, h), std::invalid_argument);
    // A vessel-scoped route must say which vessel.
    EXPECT_THROW(router.add("GET", "/a/b", Access{.scope = HarbourScope::vessel_id}, h),
                 std::invalid_argument);
    EXPECT_NO_THROW(router.add("POST", "/api/vessels/{id}", open, h));
}

} // namespace
} // namespace sahil::http
