-- wrk script: POST /api/sessions/s<0..3>/messages with a distinct recipient per request, so that
-- per-recipient ordering never serialises the load. Used by benchmarks/run-server.sh.
local counter = 0
local key = os.getenv("WA_BENCH_KEY")

request = function()
  counter = counter + 1
  local session = "s" .. (counter % 4)
  local body = string.format('{"to":"+1415%07d","text":"load %d"}', counter % 10000000, counter)
  return wrk.format("POST", "/api/sessions/" .. session .. "/messages",
    { ["Authorization"] = "Bearer " .. key, ["Content-Type"] = "application/json" }, body)
end

done = function(summary, latency, requests)
  io.write(string.format("RESULT server load: %.0f requests/s (%d in %.1f s), p50 %.2f ms, p99 %.2f ms, max %.1f ms;"
    .. " socket errors connect %d read %d write %d timeout %d; non-2xx %d\n",
    summary.requests / (summary.duration / 1e6), summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout, summary.errors.status))
end
