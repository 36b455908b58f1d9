package io.alertrelay.probe;

import io.alertrelay.alert.Alert;
import io.alertrelay.config.ProbeConfig;
import io.alertrelay.routing.Router;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * Runs the configured probes, each at its own interval, the due ones side by side. A reload that
 * changes a probe starts its judgement afresh; the alerts it raised stay in the store and resolve.
 * A probe this runner has not run before (a start, or this replica taking over the singletons)
 * resumes from the store: what fires there keeps firing, rather than resolving and waiting a 'for'.
 */
public class ProbeRunner {

    private record Scheduled(ProbeEvaluator evaluator, Instant nextRun) {
    }

    /** A probe's last run on this replica (the one running the singletons): when, the query's failure if any, alerts firing. */
    public record Status(String name, Instant lastRun, String error, int firing) {
    }

    private final Router router;
    private final PrometheusClient prometheus;
    private final Clock clock;
    private final Map<String, Scheduled> schedule = new HashMap<>();
    private final Function<String, Optional<Instant>> firingSince;
    private final Map<String, Status> last = new java.util.concurrent.ConcurrentHashMap<>();

    public ProbeRunner(Router router, PrometheusClient prometheus, Clock clock) {
        this(router, prometheus, clock, fingerprint -> Optional.empty());
    }

    /**
     * @param firingSince since when an alert (by fingerprint) fires in the store: a probe this runner
     *                    has not run before (a start, a takeover of the singletons) resumes from it
     */
    public ProbeRunner(Router router, PrometheusClient prometheus, Clock clock, Function<String, Optional<Instant>> firingSince) {
        this.router = router;
        this.prometheus = prometheus;
        this.clock = clock;
        this.firingSince = firingSince;
    }

    /** Every configured probe's last run here; a probe not run on this replica (another runs the singletons) has no run. */
    public List<Status> status() {
        return router.config().probes().stream()
                .map(p -> last.getOrDefault(p.name(), new Status(p.name(), null, null, 0))).toList();
    }

    /** Runs the probes that are due and returns their alerts (called by one timer thread at a time). */
    public synchronized List<Alert> evaluateDue() {
        Instant now = clock.instant();
        Map<ProbeEvaluator, CompletableFuture<List<PrometheusClient.Sample>>> running = new LinkedHashMap<>();
        Map<String, Scheduled> current = new HashMap<>();
        for (ProbeConfig probe : router.config().probes()) {
            Scheduled scheduled = schedule.get(probe.name());
            if (scheduled == null) {
                scheduled = new Scheduled(new ProbeEvaluator(probe).resumingFrom(firingSince), now);
            } else if (!scheduled.evaluator().probe().equals(probe)) {
                scheduled = new Scheduled(new ProbeEvaluator(probe), now);
            }
            if (!scheduled.nextRun().isAfter(now)) {
                running.put(scheduled.evaluator(), prometheus.query(probe.prometheus(), probe.query(),
                        scheduled.evaluator().timeout()));
                scheduled = new Scheduled(scheduled.evaluator(), now.plus(scheduled.evaluator().interval()));
            }
            current.put(probe.name(), scheduled);
        }
        schedule.clear();
        schedule.putAll(current);
        List<Alert> alerts = new ArrayList<>();
        for (Map.Entry<ProbeEvaluator, CompletableFuture<List<PrometheusClient.Sample>>> run : running.entrySet()) {
            String name = run.getKey().probe().name();
            try {
                List<PrometheusClient.Sample> samples = run.getValue().join();
                List<Alert> raised = run.getKey().evaluate(samples, clock.instant());
                alerts.addAll(raised);
                last.put(name, new Status(name, clock.instant(), null, (int) raised.stream().filter(Alert::isFiring).count()));
            } catch (CompletionException e) {
                String why = e.getCause() instanceof PrometheusClient.QueryFailedException failed ? failed.getMessage()
                        : String.valueOf(e.getCause());
                List<Alert> raised = run.getKey().failed(why, clock.instant());
                alerts.addAll(raised);
                last.put(name, new Status(name, clock.instant(), why, (int) raised.stream().filter(Alert::isFiring).count()));
            }
        }
        last.keySet().retainAll(current.keySet());
        return alerts;
    }
}
