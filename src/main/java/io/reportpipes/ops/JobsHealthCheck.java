package io.reportpipes.ops;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import java.util.Map;

/**
 * Jobs whose runs keep failing, in the health details: the process stays up (a restart would not mend a
 * refused key or a vendor outage), and the details say which jobs fail and why.
 */
public final class JobsHealthCheck extends AbstractHealthCheck {

    private final JobMonitor monitor;

    public JobsHealthCheck(JobMonitor monitor) {
        super("report-pipes", "jobs");
        this.monitor = monitor;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        Map<String, String> failing = monitor.failing();
        builder.detail("failing.jobs", failing.size());
        failing.forEach(builder::detail);
        builder.message(failing.isEmpty() ? "no job failing" : failing.size() + " job(s) failing: see the details");
        builder.up();
    }
}
