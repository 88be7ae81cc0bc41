package io.reportpipes.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.reportpipes.jobs.Job;
import io.reportpipes.jobs.JobRun;
import io.reportpipes.jobs.RunEvents;
import io.reportpipes.jobs.Jobs;
import io.reportpipes.jobs.Checkpoints;
import org.apache.camel.Body;
import org.apache.camel.CamelContext;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.SimpleEventNotifierSupport;
import org.quartz.Trigger;
import org.quartz.TriggerKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * What every job is doing and did, for the status endpoint, the health checks and the Prometheus
 * metrics ({@code report_pipes_*}, labelled by vendor and job id: nothing secret). The vendor beans tell
 * it when a run starts, a page is committed, a status is polled and a token fetched; the run summary
 * tells it when a run ends; Camel's events tell it about retries.
 */
public final class JobMonitor extends SimpleEventNotifierSupport implements RunEvents {

    private static final Logger LOG = LoggerFactory.getLogger("report-pipes");
    /** How a job's last run ended. */
    public record LastRun(String runId, String result, int pages, long rows, double seconds, String finishedAt,
                          String error) {
    }

    private static final class State {
        final Job job;
        volatile JobRun current;
        volatile LastRun last;
        volatile int consecutiveFailures;
        volatile double lastSuccessEpochSeconds;

        State(Job job) {
            this.job = job;
        }
    }

    private final Map<String, State> states = new LinkedHashMap<>();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final List<PendingGauge> gauges = new ArrayList<>();
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final Checkpoints checkpoints;
    private final Clock clock;
    private volatile MeterRegistry registry = new SimpleMeterRegistry();
    private volatile CamelContext context;

    public JobMonitor(Jobs jobs, Checkpoints checkpoints, Clock clock) {
        jobs.all().forEach(job -> states.put(job.id(), new State(job)));
        this.checkpoints = checkpoints;
        this.clock = clock;
    }

    /** Meters that exist before any run: per job its last success, and any gauge given here. */
    private void registerGauges(MeterRegistry meters) {
        states().forEach(state -> registerGauge(state, meters));
        gauges.forEach(gauge -> gauge.register(meters));
    }

    private static void registerGauge(State state, MeterRegistry meters) {
        Gauge.builder("report.pipes.last.success.timestamp", state, s -> s.lastSuccessEpochSeconds)
                .description("When the job's last successful run ended (0: none since start)")
                .baseUnit("seconds").tags("vendor", state.job.vendor(), "job", state.job.id()).register(meters);
    }

    private State state(String jobId) {
        synchronized (states) {
            return states.get(jobId);
        }
    }

    private List<State> states() {
        synchronized (states) {
            return List.copyOf(states.values());
        }
    }

    private record PendingGauge(String name, String description, String tagKey, String tagValue,
                                ToDoubleFunction<String> value) {
        void register(MeterRegistry meters) {
            Gauge.builder(name, tagValue, value).description(description).tags(tagKey, tagValue).register(meters);
        }
    }

    /** A gauge, e.g. the downloads an organisation has in flight; registered once the metrics registry is known. */
    public void gauge(String name, String description, String tagKey, String tagValue, ToDoubleFunction<String> value) {
        PendingGauge gauge = new PendingGauge(name, description, tagKey, tagValue, value);
        gauges.add(gauge);
        gauge.register(registry);
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.ExchangeRedeliveryEvent || event instanceof CamelEvent.CamelContextStartedEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        if (event instanceof CamelEvent.CamelContextStartedEvent started) {
            context = started.getContext();
            // camel-micrometer-prometheus binds its registry when metrics are on; else meters stay in memory
            MeterRegistry found = context.getRegistry().findSingleByType(MeterRegistry.class);
            registry = found != null ? found : new SimpleMeterRegistry();
            counters.clear();
            registerGauges(registry);
        } else if (event instanceof CamelEvent.ExchangeRedeliveryEvent redelivery) {
            JobRun run = redelivery.getExchange().getProperty("jobRun", JobRun.class);
            if (run != null) {
                counter("report.pipes.retries", "Failed calls or deliveries retried", run).increment();
            }
        }
    }

    /** Takes the job for a run; false (and a warning) when a run of it is still going in this process. */
    public boolean claim(@Body Job job) {
        synchronized (states) {
            // a source Kamelet's job is known from its first run on
            if (!states.containsKey(job.id())) {
                State state = new State(job);
                states.put(job.id(), state);
                registerGauge(state, registry);
            }
        }
        if (running.add(job.id())) {
            return true;
        }
        LOG.warn("{} is still running: this start is skipped", job.id());
        return false;
    }

    @Override
    public void started(JobRun run) {
        State state = state(run.getJobId());
        if (state != null) {
            state.current = run;
        }
    }

    @Override
    public void pageDelivered(JobRun run) {
        counter("report.pipes.pages", "Pages delivered", run).increment();
        counter("report.pipes.rows", "Rows delivered", run).increment(run.getPageRows());
        counter("report.pipes.bytes", "Bytes of pages delivered, as the vendor sent them", run)
                .increment(run.getPageBytes());
    }

    @Override
    public void polled(JobRun run) {
        counter("report.pipes.polls", "Status calls and jobId polls", run).increment();
    }

    @Override
    public void tokenFetched(String client) {
        counters.computeIfAbsent("token/" + client, k -> Counter.builder("report.pipes.token.refreshes")
                .description("Crewmojo access tokens fetched").tag("client", client).register(registry)).increment();
    }

    @Override
    public void released(String jobId) {
        running.remove(jobId);
        State state = state(jobId);
        if (state != null) {
            state.current = null;
        }
    }

    @Override
    public void finished(JobRun run, String error) {
        running.remove(run.getJobId());
        State state = state(run.getJobId());
        String result = error == null ? "success" : "failure";
        Timer.builder("report.pipes.run.duration").description("How long runs took").tags("vendor", run.getVendor(),
                "job", run.getJobId(), "result", result).register(registry)
                .record(Duration.ofNanos((long) (run.getSeconds() * 1e9)));
        if (error != null) {
            counter("report.pipes.failures", "Runs that failed", run).increment();
        }
        if (state != null) {
            state.current = null;
            state.last = new LastRun(run.getRunId(), result, run.getPages(), run.getRows(),
                    Math.round(run.getSeconds() * 10) / 10.0, clock.instant().truncatedTo(ChronoUnit.SECONDS).toString(),
                    error);
            state.consecutiveFailures = error == null ? 0 : state.consecutiveFailures + 1;
            if (error == null) {
                state.lastSuccessEpochSeconds = clock.millis() / 1000.0;
            }
        }
    }

    private Counter counter(String name, String description, JobRun run) {
        return counters.computeIfAbsent(name + "/" + run.getJobId(), k -> Counter.builder(name).description(description)
                .tags("vendor", run.getVendor(), "job", run.getJobId()).register(registry));
    }

    /** Jobs whose last runs failed, with how many times in a row and the last reason. */
    public Map<String, String> failing() {
        Map<String, String> failing = new LinkedHashMap<>();
        states().forEach(state -> {
            if (state.consecutiveFailures > 0) {
                failing.put(state.job.id(), state.consecutiveFailures + " failed run(s) in a row, last: " + state.last.error());
            }
        });
        return failing;
    }

    /** Every job as the status endpoint shows it. */
    public List<Map<String, Object>> status() throws Exception {
        List<Map<String, Object>> jobs = new ArrayList<>();
        for (State state : states()) {
            Job job = state.job;
            String[] parts = job.id().split("/", 3);
            Map<String, Object> status = new LinkedHashMap<>();
            status.put("job", job.id());
            status.put("vendor", job.vendor());
            status.put("account", parts[1]);
            status.put("report", parts[2]);
            status.put("schedule", job.schedule());
            status.put("nextFireTime", nextFireTime(job));
            JobRun current = state.current;
            status.put("state", current != null ? "running" : state.last == null ? "idle"
                    : state.consecutiveFailures > 0 ? "failed" : "ok");
            if (current != null) {
                Map<String, Object> running = new LinkedHashMap<>();
                running.put("runId", current.getRunId());
                running.put("page", current.getPage());
                running.put("rows", current.getRows());
                running.put("seconds", Math.round(current.getSeconds() * 10) / 10.0);
                status.put("running", running);
            }
            status.put("lastRun", state.last);
            status.put("consecutiveFailures", state.consecutiveFailures);
            status.put("watermark", checkpoints.load(job.id()).watermark());
            jobs.add(status);
        }
        return jobs;
    }

    /** The job's next quartz fire time (daemon mode), or null. */
    private String nextFireTime(Job job) {
        CamelContext camel = context;
        if (camel == null || job.schedule().isEmpty() || camel.hasComponent("quartz") == null) {
            return null;
        }
        try {
            Trigger trigger = camel.getComponent("quartz", QuartzComponent.class).getScheduler()
                    .getTrigger(TriggerKey.triggerKey(job.id().replace('/', '-'), "report-pipes"));
            return trigger == null || trigger.getNextFireTime() == null ? null
                    : trigger.getNextFireTime().toInstant().toString();
        } catch (Exception e) {
            return null;
        }
    }
}
