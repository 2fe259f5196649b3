-- wrk script for `scripts/bench.sh registrations|limit|growth`: POST a registration with an email
-- never used before to one of the events listed in a file (one id per line), chosen at random.
-- Arguments (after --): the file of event ids, and a tag that differs between runs.
local next_id = 1
function setup(thread)
    thread:set("id", next_id)
    next_id = next_id + 1
end

function init(args)
    events = {}
    for line in io.lines(args[1]) do
        if line ~= "" then events[#events + 1] = line end
    end
    tag = args[2]
    sent = 0
    math.randomseed(id * 7919 + #tag)
end

function request()
    sent = sent + 1
    local event = events[math.random(#events)]
    local email = string.format("growth-%s-%d-%d@example.org", tag, id, sent)
    local body = string.format('{"full_name":"Participant %s %d-%d","email":"%s","consent":true}',
        tag, id, sent, email)
    return wrk.format("POST", "/v1/events/" .. event .. "/registrations",
        { ["Content-Type"] = "application/json" }, body)
end
