-- wrk script for the serve benchmark: cycles through the route pairs of
-- bench/osrm/pairs.json, requesting
--   /route/v1/driving/{lon},{lat};{lon},{lat}?overview=false
-- and prints, when done, one JSON line (prefixed "WRK_JSON ") with
-- requests/s, errors and latency percentiles in milliseconds.
--
--   WRK_PAIRS=bench/osrm/pairs.json wrk -t2 -c16 -d10s --latency -s bench/osrm/load.lua http://127.0.0.1:5000
--
-- WRK_PAIRS defaults to bench/osrm/pairs.json (relative to the working
-- directory); WRK_PROFILE changes the profile in the path (default driving);
-- WRK_QUERY adds options (silkroute's optimize=distance).
-- Each wrk thread starts at a different offset in the list, so the threads
-- do not ask the same routes in lockstep.

local paths = {}

local function load_paths()
  local file = os.getenv("WRK_PAIRS") or "bench/osrm/pairs.json"
  local profile = os.getenv("WRK_PROFILE") or "driving"
  local query = os.getenv("WRK_QUERY") or ""
  if query ~= "" then
    query = "&" .. query
  end
  local f = io.open(file, "r")
  if not f then
    error("load.lua: cannot open " .. file .. " (set WRK_PAIRS; make it with bench/osrm/pairs.py)")
  end
  local num = "(%-?[%d%.eE%+%-]+)"
  local pattern = '"from": {"node": %d+, "lon": ' .. num .. ', "lat": ' .. num ..
    '}, "to": {"node": %d+, "lon": ' .. num .. ', "lat": ' .. num .. '}'
  for line in f:lines() do
    local lon1, lat1, lon2, lat2 = line:match(pattern)
    if lon1 then
      paths[#paths + 1] = string.format(
        "/route/v1/%s/%.7f,%.7f;%.7f,%.7f?overview=false%s",
        profile, tonumber(lon1), tonumber(lat1), tonumber(lon2), tonumber(lat2), query)
    end
  end
  f:close()
  if #paths == 0 then
    error("load.lua: no pairs found in " .. file)
  end
end

load_paths()

local thread_index = 0
function setup(thread)
  thread:set("offset", thread_index * 7919)
  thread_index = thread_index + 1
end

local counter = 0
function init(args)
  counter = tonumber(offset) or 0
end

function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  local ms = function(us) return us / 1000 end
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_s": %.3f, "requests_per_s": %.1f, ' ..
    '"bytes": %d, "errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"latency_ms": {"mean": %.4f, "stdev": %.4f, "min": %.4f, "max": %.4f, ' ..
    '"p50": %.4f, "p90": %.4f, "p99": %.4f, "p99_9": %.4f}, "pairs": %d}\n',
    summary.requests, seconds, summary.requests / seconds, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    ms(latency.mean), ms(latency.stdev), ms(latency.min), ms(latency.max),
    ms(latency:percentile(50)), ms(latency:percentile(90)),
    ms(latency:percentile(99)), ms(latency:percentile(99.9)), #paths))
end
