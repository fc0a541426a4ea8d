-- wrk's script for bench/ (common.wrk): requests the paths given after "--"
-- in turn, counts responses other than 200 and the page cache's X-Cache
-- hits and misses, and prints the figures as one line of JSON.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  paths, turn, not_ok, hits, misses = args, 0, 0, 0, 0
end

function request()
  turn = turn % #paths + 1
  return wrk.format("GET", paths[turn])
end

function response(status, headers, body)
  if status ~= 200 then not_ok = not_ok + 1 end
  local cache = headers["X-Cache"] or headers["x-cache"]
  if cache == "hit" then hits = hits + 1 elseif cache == "miss" then misses = misses + 1 end
end

function done(summary, latency, requests)
  local total = {not_ok = 0, hits = 0, misses = 0}
  for _, thread in ipairs(threads) do
    for name, count in pairs(total) do total[name] = count + thread:get(name) end
  end
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "errors": %d, "hits": %d, "misses": %d, '
      .. '"p50": %.2f, "p95": %.2f, "p99": %.2f, "max": %.2f}\n',
    summary.requests, summary.duration / 1e6,
    total.not_ok + e.connect + e.read + e.write + e.timeout, total.hits, total.misses,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
end
