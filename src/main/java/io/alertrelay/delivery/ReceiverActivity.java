package io.alertrelay.delivery;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Each receiver's last success and last failure (with its reason), for the status API. */
public class ReceiverActivity {

    public record Failure(Instant at, String reason, String detail) {
    }

    public record Activity(Instant lastSuccess, Failure lastFailure) {
    }

    private final Map<String, Activity> activity = new ConcurrentHashMap<>();

    public void succeeded(String receiver, Instant at) {
        activity.merge(receiver, new Activity(at, null), (old, now) -> new Activity(at, old.lastFailure()));
    }

    public void failed(String receiver, Instant at, String reason, String detail) {
        Failure failure = new Failure(at, reason, detail);
        activity.merge(receiver, new Activity(null, failure), (old, now) -> new Activity(old.lastSuccess(), failure));
    }

    public Activity of(String receiver) {
        return activity.getOrDefault(receiver, new Activity(null, null));
    }
}
