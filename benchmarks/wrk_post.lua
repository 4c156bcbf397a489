-- wrk script: POST the JSON file named by the environment variable JIFEN_WRK_BODY to every request.
-- Usage: JIFEN_WRK_BODY=src/jifen/examples/contract.json wrk -t2 -c8 -d10s --latency \
--          -s benchmarks/wrk_post.lua http://127.0.0.1:PORT/api/v1/score
local path = os.getenv("JIFEN_WRK_BODY")
local file = assert(io.open(path, "rb"), "JIFEN_WRK_BODY: no such file: " .. tostring(path))
wrk.method = "POST"
wrk.body = file:read("*a")
file:close()
wrk.headers["Content-Type"] = "application/json"
