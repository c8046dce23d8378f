-- Lookout's quota check: every quota of one request in one call.
--
-- The request is a list of units. A unit is what Relay checks in one call of its own
-- is_rate_limited.lua: one data category with one quantity against every quota that applies to it.
-- Within a unit the check is all-or-nothing: if any quota rejects, no counter of the unit moves.
-- A unit may name an earlier unit it depends on; when that one was not accepted, the unit is
-- skipped (nothing read, nothing counted), as Relay skips the attachment check of a limited event.
--
-- KEYS, 2 per quota: the counter key, then its refund key.
-- ARGV, 5 per quota:
--   limit      -1 for an unlimited (counted only) quota
--   expire_at  unix seconds at which the counter expires (end of the window + grace)
--   quantity   how much to add; 0 checks without counting
--   unit       1-based unit number; the quotas of a unit are adjacent and units ascend
--   parent     the unit that must be accepted first, 0 for none
--
-- Returns one integer per quota: 0 the quota accepts, 1 it rejects, 2 its unit was skipped.
-- A unit was rejected when any of its quotas answers 1.

local quotas = #KEYS / 2
assert(#KEYS % 2 == 0, "there must be 2 keys per quota")
assert(#ARGV == quotas * 5, "there must be 5 arguments per quota")

local function counter(key)
    local value = redis.call('GET', key)
    if value then
        return tonumber(value) or 0
    end
    return 0
end

local unit_status = {}
local results = {}
local first = 1
while first <= quotas do
    local base = (first - 1) * 5
    local unit = tonumber(ARGV[base + 4])
    local parent = tonumber(ARGV[base + 5])
    local last = first
    while last < quotas and tonumber(ARGV[last * 5 + 4]) == unit do
        last = last + 1
    end

    local status = 0
    if parent > 0 and unit_status[parent] ~= 0 then
        status = 2
    else
        for q = first, last do
            local a = (q - 1) * 5
            local limit = tonumber(ARGV[a + 1])
            local quantity = tonumber(ARGV[a + 3])
            local rejected = false
            if limit >= 0 then
                local consumed = counter(KEYS[q * 2 - 1]) - counter(KEYS[q * 2])
                if quantity == 0 then
                    rejected = consumed >= limit
                else
                    rejected = consumed + quantity > limit
                end
            end
            if rejected then
                results[q] = 1
                status = 1
            end
        end
        if status == 0 then
            for q = first, last do
                local a = (q - 1) * 5
                if tonumber(ARGV[a + 3]) > 0 then
                    redis.call('INCRBY', KEYS[q * 2 - 1], ARGV[a + 3])
                    redis.call('EXPIREAT', KEYS[q * 2 - 1], ARGV[a + 2])
                end
            end
        end
    end

    unit_status[unit] = status
    for q = first, last do
        if results[q] == nil then
            if status == 2 then
                results[q] = 2
            else
                results[q] = 0
            end
        end
    end
    first = last + 1
end

return results
