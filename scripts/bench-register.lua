-- wrk script: POST a registration with a distinct email each time.
-- The target path comes from the command line (wrk ... URL -- /v1/events/ID/registrations).
local next_id = 1
function setup(thread)
    thread:set("id", next_id)
    next_id = next_id + 1
end

function init(args)
    path = args[1]
    sent = 0
end

function request()
    sent = sent + 1
    local email = string.format("bench-%d-%d@example.org", id, sent)
    local body = string.format('{"full_name":"Participant %d-%d","email":"%s","consent":true}', id, sent, email)
    return wrk.format("POST", path, { ["Content-Type"] = "application/json" }, body)
end
