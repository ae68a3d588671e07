-- wrk script: anonymous scorecard requests on hostile dates. Half ask for dates outside
-- cncl's window (far future, far past, extended years); half for random dates inside it,
-- each a fresh evaluation unless already kept. Counts answers by status.
local outside = { "%2B262142-12-31", "9999-12-31", "%2B10000-01-01", "-0001-01-01", "0001-01-01", "1900-01-01", "2101-01-01" }
local paths = { "/api/v1/scorecard?as_of=", "/scorecard?as_of=" }
local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(os.time() + id * 7919)
  counts = {}
end

function request()
  local date
  if math.random() < 0.5 then
    date = outside[math.random(#outside)]
  else
    date = string.format("%04d-%02d-%02d", math.random(1990, 2100), math.random(1, 12), math.random(1, 28))
  end
  return wrk.format("GET", paths[math.random(#paths)] .. date)
end

function response(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("counts")) do
      total[status] = (total[status] or 0) + n
    end
  end
  local parts = {}
  for status, n in pairs(total) do
    table.insert(parts, status .. ": " .. n)
  end
  table.sort(parts)
  io.write("answers by status: " .. table.concat(parts, ", ") .. "\n")
end
