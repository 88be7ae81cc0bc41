package io.reportpipes.jobs;

import org.apache.camel.CamelContext;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The job a source Kamelet runs, built from its properties by the same loader and checks as a job of
 * application.properties (a Kamelet's properties say what an organisation's or client's block would say).
 * Its pages come back to the Kamelet's route ({@link JobPagesComponent}), whose {@code kamelet:sink} hands them on
 * to whatever the Pipe or route binds. One instance per Kamelet route (a template bean); the job is built on the
 * first run and kept.
 */
public abstract class KameletSource {

    private String routeId;
    private String schedule;
    private String transform;
    private volatile Job job;

    public void setRouteId(String routeId) {
        this.routeId = routeId;
    }

    public void setSchedule(String schedule) {
        this.schedule = schedule;
    }

    public void setTransform(String transform) {
        this.transform = transform;
    }

    /** The Quartz cron expression the job runs at. */
    public String schedule() {
        return blankToEmpty(schedule);
    }

    /** The job, or an error listing every problem of the Kamelet's properties (values of secrets never shown). */
    public Job job(CamelContext context) {
        Job built = job;
        if (built == null) {
            List<String> problems = new ArrayList<>();
            Map<String, String> values = new LinkedHashMap<>();
            String base = prefix() + account() + ".";
            values.put(base + "schedule", blankToEmpty(schedule));
            values.put(base + "transform", blankToEmpty(transform));
            values.put(base + "sink", JobPagesComponent.sinkUri(routeId));
            describe(values, base);
            values.values().removeIf(String::isEmpty);
            JobSettings settings = JobSettings.with(context.getPropertiesComponent(), problems, prefix(), values);
            boolean sandbox = Boolean.parseBoolean(settings.value("sandbox.enabled", "false"));
            List<? extends Job> jobs = load(settings, sandbox);
            if (!problems.isEmpty() || jobs.size() != 1) {
                throw new IllegalArgumentException("Invalid properties of Kamelet " + kamelet() + " (route " + routeId
                        + "), in application.properties terms:\n  - " + String.join("\n  - ", problems));
            }
            JobSettings.requireTls(settings.value(baseUrlKey(), ""), baseUrlKey());
            built = jobs.get(0);
            job = built;
        }
        return built;
    }

    /** A property's value, "" when unset (an optional {{?property}} arrives blank). */
    protected static String blankToEmpty(String value) {
        return value == null || value.isBlank() ? "" : value.trim();
    }

    /** The Kamelet's name, for messages. */
    protected abstract String kamelet();

    /** Where the vendor's accounts are configured, e.g. serviceminder.organisation. */
    protected abstract String prefix();

    /** The organisation or client name. */
    protected abstract String account();

    /** The property holding the vendor's base URL. */
    protected abstract String baseUrlKey();

    /** Puts the Kamelet's properties under the keys application.properties would use ({@code base} = account's). */
    protected abstract void describe(Map<String, String> values, String base);

    /** Loads the vendor's jobs from the settings. */
    protected abstract List<? extends Job> load(JobSettings settings, boolean sandbox);
}
