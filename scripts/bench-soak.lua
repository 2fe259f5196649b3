-- wrk script for the soak: 90% reads (the agenda and the event), 10% writes (registrations with
-- distinct emails, and cancellations of registrations this thread made, with their manage token).
-- Arguments after --: the event whose agenda and page are read, and the (future) event that
-- takes the registrations. Prints p50, p99, p99.9 and the non-2xx count when done.
local next_id = 1
local threads = {}
function setup(thread)
    thread:set("id", next_id)
    next_id = next_id + 1
    table.insert(threads, thread)
end

function init(args)
    event = args[1]
    open_event = args[2]
    sent = 0
    held = {}   -- registrations to cancel: { id, token }
    failed = 0
end

function request()
    sent = sent + 1
    local slot = sent % 20
    if slot == 0 then
        local email = string.format("soak-%d-%d@example.org", id, sent)
        local body = string.format('{"full_name":"Participant %d-%d","email":"%s","consent":true}', id, sent, email)
        return wrk.format("POST", "/v1/events/" .. open_event .. "/registrations",
            { ["Content-Type"] = "application/json" }, body)
    elseif slot == 10 and #held > 0 then
        local r = table.remove(held, 1)
        return wrk.format("DELETE", "/v1/registrations/" .. r.id, { ["X-Registration-Token"] = r.token })
    elseif slot % 2 == 0 then
        return wrk.format("GET", "/v1/events/" .. event .. "/agenda")
    else
        return wrk.format("GET", "/v1/events/" .. event)
    end
end

function response(status, headers, body)
    if status >= 300 then
        failed = failed + 1
    elseif status == 201 then
        local rid = string.match(body, '"id":"(%d+)"')
        local token = string.match(body, '"manage_token":"([^"]+)"')
        if rid and token then table.insert(held, { id = rid, token = token }) end
    end
end

function done(summary, latency, requests)
    local failures = 0
    for _, t in ipairs(threads) do failures = failures + t:get("failed") end
    io.write(string.format("SOAK %.3f %.3f %.3f %d\n", latency:percentile(50) / 1000,
        latency:percentile(99) / 1000, latency:percentile(99.9) / 1000,
        failures + summary.errors.connect + summary.errors.read + summary.errors.write
        + summary.errors.timeout))
end
