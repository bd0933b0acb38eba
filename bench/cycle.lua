-- wrk script for the cache-miss runs: each connection walks its own slice of a URL list, so no
-- URL repeats within a round. Lines are "path" or "path<TAB>cookie" (a candidate's session).
local lines = {}
for line in io.lines(os.getenv("BENCH_URL_FILE")) do
  lines[#lines + 1] = line
end

local counter = 0
local threads = 0

function setup(thread)
  thread:set("offset", threads)
  threads = threads + 1
end

function init(args)
  -- wrk runs with -t2: thread 0 takes the even lines, thread 1 the odd ones.
  counter = tonumber(wrk.thread:get("offset")) or 0
  step = 2
end

function request()
  local line = lines[(counter % #lines) + 1]
  counter = counter + step
  local path, cookie = line:match("^([^\t]+)\t?(.*)$")
  local headers = {}
  if cookie ~= nil and cookie ~= "" then
    headers["Cookie"] = cookie
  end
  return wrk.format("GET", path, headers)
end
