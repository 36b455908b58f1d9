-- wrk script: Alertmanager webhooks of 10 alerts, a distinct group per request (as many Alertmanager
-- groups flushing would send), so the relay's work is not collapsed into one group.
local counter = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

request = function()
  counter = counter + 1
  local group = string.format("bench-%d-%d", math.random(1, 1000000), counter)
  local alerts = {}
  for i = 1, 10 do
    alerts[i] = string.format('{"status":"firing","labels":{"alertname":"Bench","group":"%s","instance":"10.0.0.%d:9100","severity":"warning"},"annotations":{"summary":"benchmark alert %d"},"startsAt":"2026-11-21T05:00:00Z","endsAt":"0001-01-01T00:00:00Z"}', group, i, i)
  end
  local body = string.format('{"version":"4","status":"firing","receiver":"relay","groupKey":"{}:{group=\\"%s\\"}","groupLabels":{"group":"%s"},"commonLabels":{},"commonAnnotations":{},"externalURL":"http://am:9093","alerts":[%s]}', group, group, table.concat(alerts, ","))
  return wrk.format(nil, nil, nil, body)
end
