-- wrk script: the same 10 alerts posted to Alertmanager's POST /api/v2/alerts, a distinct label set
-- per request, so Alertmanager stores new alerts as the relay stores new groups.
local counter = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

request = function()
  counter = counter + 1
  local group = string.format("bench-%d-%d", math.random(1, 1000000), counter)
  local alerts = {}
  for i = 1, 10 do
    alerts[i] = string.format('{"labels":{"alertname":"Bench","group":"%s","instance":"10.0.0.%d:9100","severity":"warning"},"annotations":{"summary":"benchmark alert %d"},"startsAt":"2026-11-21T05:00:00Z"}', group, i, i)
  end
  return wrk.format(nil, nil, nil, "[" .. table.concat(alerts, ",") .. "]")
end
